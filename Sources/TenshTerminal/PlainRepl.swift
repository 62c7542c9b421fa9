import TenshEngine
import TenshLanguage
import TenshWorkbench
#if canImport(Glibc)
import Glibc
#endif

/// The plain (non-ncurses) REPL: readline prompt, text output, diagnostics
/// with `<stdin>` as the file; every error leaves the session's variables intact.
struct PlainRepl {
    let color: Bool
    let colorChoice: ColorChoice

    func run() -> ExitCode {
        let session = Session(mode: .repl)
        session.progressSink = StatusLineProgress.ifTerminal()
        TenshCommandLine.attachPlainDisplay(session, colorChoice)
        let reader = LineReader(session: session)
        Interrupts.install()
        if reader.interactive { print("\(TenshCommandLine.version) — :help for commands, Ctrl-D to quit") }
        var exitStatus = ExitCode.success
        while let input = readInput(reader) {
            reader.remember(input)
            Cancellation.reset()
            let (result, outcome) = session.runReplInput(input, readFile: TenshCommandLine.readSource)
            if let outcome {
                // The terminal echoed `^C` without a newline.
                if outcome.status == .interrupted && reader.interactive { print("") }
                TenshCommandLine.report(outcome, color: color)
            }
            if result == .quit {
                if let outcome, case .exit(let code) = outcome.status { exitStatus = ExitCode(rawValue: code) }
                break
            }
        }
        if reader.interactive { print("") }
        return exitStatus
    }

    /// A complete input: more lines are read while brackets or braces are open.
    private func readInput(_ reader: LineReader) -> String? {
        guard var text = reader.read(prompt: ">>> ") else { return nil }
        while Parser.needsMoreInput(text) {
            guard let more = reader.read(prompt: "... ") else { break }
            text += "\n" + more
        }
        return text
    }
}
