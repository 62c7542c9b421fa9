/// What the workbench needs from the language: evaluate one REPL entry and say
/// what it printed. The lead wires this to `Session`; tests use small fakes.
/// `print` output may also arrive earlier through `Workbench.appendOutput`.
public protocol LineEvaluator: AnyObject {
    /// Runs `source` (one or more complete lines) as a REPL entry.
    func evaluate(_ source: String) -> Evaluation
    /// True when `source` has open brackets/braces and needs another line.
    func needsMoreInput(_ source: String) -> Bool
    /// Tab completion candidates for `word` (the text before the cursor back to a word start).
    func completions(for word: String, line: String) -> [String]
    /// Evaluates a watched expression; its echo must come back in `output`
    /// (not stream into the transcript like a typed line's).
    func evaluateWatch(_ expression: String) -> Evaluation
}

extension LineEvaluator {
    public func evaluateWatch(_ expression: String) -> Evaluation { evaluate(expression) }
    public func needsMoreInput(_ source: String) -> Bool { false }
    public func completions(for word: String, line: String) -> [String] { [] }
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
