/// What the workbench needs from the language: prepare and run one REPL entry,
/// say what it printed, complete a word. `SessionEvaluator` (the terminal module)
/// implements it with a `Session`; tests use small fakes. `print` output may also
/// arrive earlier through `Workbench.appendOutput`.
public protocol LineEvaluator: AnyObject {
    /// Lexes and parses `source` (the lines of one entry so far) once: nil while
    /// a bracket or brace is open (the prompt asks for another line), otherwise
    /// what runs it.
    func prepare(_ source: String) -> (() -> Evaluation)?
    /// Tab completion candidates for `word` (the text before the cursor back to a word start).
    func completions(for word: String, line: String) -> [String]
    /// Evaluates a watched expression; its echo must come back in `output`
    /// (not stream into the transcript like a typed line's).
    func evaluateWatch(_ expression: String) -> Evaluation
}

extension LineEvaluator {
    public func completions(for word: String, line: String) -> [String] { [] }

    public func evaluateWatch(_ expression: String) -> Evaluation {
        prepare(expression)?() ?? Evaluation(error: "watch: the expression is unfinished (a bracket is open)")
    }
}

/// The result of one REPL entry.
public struct Evaluation: Equatable, Sendable {
    /// Text the entry printed (echoed values, `print`), shown in the transcript.
    public var output: String
    /// A rendered diagnostic (`<stdin>:1:5: error: ...`), shown in red.
    public var error: String?
    /// `:quit` / `exit(code)`: leave the workbench with this exit code.
    public var exitCode: Int32?

    public init(output: String = "", error: String? = nil, exitCode: Int32? = nil) {
        self.output = output
        self.error = error
        self.exitCode = exitCode
    }
}
