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
        let reader = LineReader { line, word in session.completions(line: line, word: word) }
        defer { reader.close() }
        Interrupts.install()
        if reader.interactive { print("\(TenshCommandLine.version) — :help for commands, Ctrl-D to quit") }
        var exitStatus = ExitCode.success
        while let entry = readEntry(reader, session) {
            let (result, outcome) = session.runReplInput(entry, readSource: SourceFile.read)
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

    /// The next complete entry: lines are read while a bracket or brace is open.
    /// nil at the end of input; an entry left unfinished there still runs, and
    /// its syntax error says which bracket was never closed.
    private func readEntry(_ reader: LineReader, _ session: Session) -> Session.ReplEntry? {
        var buffer = EntryBuffer()
        var text = ""
        while let line = reader.read(prompt: buffer.prompt) {
            text = buffer.add(line)
            if EntryBuffer.isBlank(text) {
                buffer.clear()
                continue
            }
            if let entry = session.prepareReplInput(text) { return entry }
        }
        return text.isEmpty ? nil : session.prepareReplInput(text, atEnd: true)
    }
}
