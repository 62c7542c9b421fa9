/// One error to show the user: a message and the span of source it is about.
/// Syntax errors, runtime errors and engine errors all end up as one of these,
/// and `DiagnosticRenderer` is the only code that turns them into text.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable { case syntax, runtime, interrupted }

    public var message: String
    public var span: SourceSpan
    public var phase: Phase
    /// Set when the span lies in other source than the run's (the body of a
    /// function defined by an earlier REPL input or a loaded file).
    public var origin: SourceOrigin?

    public init(_ message: String, _ span: SourceSpan, phase: Phase = .syntax) {
        self.message = message
        self.span = span
        self.phase = phase
    }

    public var description: String { "\(span): \(message)" }
}

/// A piece of source text and the file name it is shown under.
public struct SourceOrigin: Equatable, Sendable {
    public let source: String
    public let file: String
}

/// A runtime failure raised by the evaluator or a builtin, before the span is
/// known (a builtin names the argument; the call site supplies the span).
struct RuntimeError: Error {
    var message: String
    var span: SourceSpan?
    /// The source `span` refers to, when not the running one.
    var origin: SourceOrigin?

    init(_ message: String, at span: SourceSpan? = nil) {
        self.message = message
        self.span = span
    }
}
