import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// The plain REPL's input: GNU readline (history, completion, editing) on a
/// terminal, plain line reading when stdin is not one.
final class LineReader {
    let interactive: Bool
    private let core: ReadlineCore?

    init(complete: @escaping (String, String) -> [String]) {
        interactive = isatty(STDIN_FILENO) != 0
        core = interactive ? ReadlineCore(historyPath: ReplHistory.defaultPath(), complete: complete) : nil
    }

    /// One line without its newline (already in the history); nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard let core else { return Swift.readLine(strippingNewline: true) }
        Interrupts.atPrompt.store(true, ordering: .relaxed)
        defer { Interrupts.atPrompt.store(false, ordering: .relaxed) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        core.remember(line)
        return line
    }

    func close() {
        core?.close()
    }
}
