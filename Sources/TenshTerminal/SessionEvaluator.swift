import TenshEngine
import TenshLanguage
import TenshWorkbench

/// Connects the workbench to a `Session`: each REPL entry (source or a `:`
/// command) runs through `Session.runReplInput`, exactly as in the plain REPL.
/// `print` output reaches the transcript as it is written (through
/// `ForwardingOutput`), so `Evaluation.output` stays empty.
final class SessionEvaluator: LineEvaluator {
    let session: Session
    let output: ForwardingOutput

    init(arguments: [String] = []) {
        output = ForwardingOutput()
        session = Session(output: output, arguments: arguments, mode: .repl)
    }

    func evaluate(_ source: String) -> Evaluation {
        Cancellation.reset()
        let (result, outcome) = session.runReplInput(source, readFile: TenshCommandLine.readSource)
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

    /// A watch's echo is its value on the watch line, so the text written while
    /// it runs is captured instead of going to the transcript.
    func evaluateWatch(_ expression: String) -> Evaluation {
        let transcript = output.target
        var captured = ""
        output.target = { captured += $0 }
        defer { output.target = transcript }
        var evaluation = evaluate(expression)
        evaluation.output = captured + evaluation.output
        return evaluation
    }

    func needsMoreInput(_ source: String) -> Bool { Parser.needsMoreInput(source) }

    func completions(for word: String, line: String) -> [String] { session.completions(line: line, word: word) }

    /// The name of a session variable holding exactly this tensor (for graph labels).
    func name(of tensor: Tensor) -> String? { session.variableName(of: tensor) }
}

/// An OutputWriter whose text goes wherever `target` says (the transcript).
final class ForwardingOutput: OutputWriter {
    var target: ((String) -> Void)?
    func write(_ text: String) { target?(text) }
}

extension Session {
    /// The first global variable (by name) whose value is this very tensor.
    func variableName(of tensor: Tensor) -> String? {
        for (name, value) in variables {
            if case .tensor(let t) = value, t === tensor { return name }
        }
        return nil
    }
}
