import CReadline
import TenshLanguage
#if canImport(Glibc)
import Glibc
#endif

/// GNU readline with persistent history and tab completion, or plain line
/// reading when stdin is not a terminal.
final class LineReader {
    let interactive: Bool
    private let historyPath: String?

    /// The session completion asks; readline's callbacks are C functions, so
    /// they reach it through this one global (readline itself is global state).
    nonisolated(unsafe) static var completionSession: Session?
    nonisolated(unsafe) static var candidates: [String] = []

    init(session: Session) {
        interactive = isatty(STDIN_FILENO) != 0
        historyPath = interactive ? LineReader.historyFile() : nil
        guard interactive else { return }
        LineReader.completionSession = session
        rl_catch_signals = 0
        rl_readline_name = strdupConst("tensh")
        rl_completer_word_break_characters = strdupConst(" \t\n\"'()[]{},=+-*/@<>;.")
        rl_attempted_completion_function = completeCallback
        using_history()
        if let path = historyPath { _ = read_history(path) }
    }

    /// One line without its newline; nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        Interrupts.atPrompt.store(true, ordering: .relaxed)
        defer { Interrupts.atPrompt.store(false, ordering: .relaxed) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Adds a complete input to the history and appends it to the history file.
    func remember(_ input: String) {
        guard interactive, !input.isBlank else { return }
        add_history(input)
        guard let path = historyPath else { return }
        if access(path, F_OK) != 0 { _ = write_history(path) } else { _ = append_history(1, path) }
        _ = history_truncate_file(path, 10_000)
    }

    /// `$XDG_STATE_HOME/tensh/history`, else `~/.tensh_history`.
    static func historyFile() -> String? {
        if let state = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), !state.isEmpty {
            let dir = state + "/tensh"
            _ = mkdir(state, 0o700)
            _ = mkdir(dir, 0o700)
            return dir + "/history"
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.tensh_history"
    }
}

private func strdupConst(_ s: String) -> UnsafePointer<CChar>? { UnsafePointer(strdup(s)) }

extension String {
    var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" } }
}

/// readline's attempted-completion hook: our candidates, no filename fallback.
private func completeCallback(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1
    rl_completion_append_character = 0
    let word = text.map { String(cString: $0) } ?? ""
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    let prefix = String(decoding: line.utf8.prefix(Int(max(end, 0))), as: UTF8.self)
    LineReader.candidates = LineReader.completionSession?.completions(line: prefix, word: word) ?? []
    return rl_completion_matches(text, generateCallback)
}

/// readline's generator: hands out one candidate per call (state 0 restarts).
private func generateCallback(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let i = Int(state)
    guard i >= 0, i < LineReader.candidates.count else { return nil }
    return strdup(LineReader.candidates[i])
}
