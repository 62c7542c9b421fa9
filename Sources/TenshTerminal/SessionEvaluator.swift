import TenshEngine
import TenshLanguage
import TenshWorkbench

/// Connects the workbench to a `Session`: each REPL entry (source or a `:`
/// command) is prepared and run by `Session.prepareReplInput`/`runReplInput`,
/// exactly as in the plain REPL. `print` output reaches the transcript as it is
/// written (through `ForwardingOutput`), so `Evaluation.output` stays empty.
final class SessionEvaluator: LineEvaluator {
    let session: Session
    let output: ForwardingOutput
    /// The transcript's width now (`:vars` cuts its lines to it).
    var columns: () -> Int = { 80 }

    init(arguments: [String] = []) {
        output = ForwardingOutput()
        session = Session(output: output, arguments: arguments, mode: .repl)
    }

    func prepare(_ source: String) -> (() -> Evaluation)? {
        guard let entry = session.prepareReplInput(source) else { return nil }
        return { [self] in
            session.outputWidth = columns()
            return evaluation(session.runReplInput(entry, readSource: SourceFile.read))
        }
    }

    /// A watch's echo is its value on the watch line, so the text written while
    /// it runs is captured instead of going to the transcript.
    func evaluateWatch(_ expression: String) -> Evaluation {
        let transcript = output.target
        var captured = ""
        output.target = { captured += $0 }
        defer { output.target = transcript }
        var evaluation = evaluation(session.runReplInput(expression, readSource: SourceFile.read))
        evaluation.output = captured + evaluation.output
        return evaluation
    }

    func completions(for word: String, line: String) -> [String] { session.completions(line: line, word: word) }

    private func evaluation(_ ran: (Session.ReplResult, Session.Outcome?)) -> Evaluation {
        let (result, outcome) = ran
        var evaluation = Evaluation()
        if let outcome, !outcome.diagnostics.isEmpty {
            var text = outcome.rendered
            if text.hasSuffix("\n") { text.removeLast() }
            evaluation.error = text
        }
        if result == .quit {
            if let outcome, case .exit(let code) = outcome.status { evaluation.exitCode = code } else { evaluation.exitCode = 0 }
        }
        return evaluation
    }
}

/// An OutputWriter whose text goes wherever `target` says (the transcript).
final class ForwardingOutput: OutputWriter {
    var target: ((String) -> Void)?
    func write(_ text: String) { target?(text) }
}
