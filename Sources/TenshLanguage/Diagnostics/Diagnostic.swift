/// One error to show the user: a message and the span of source it is about.
/// Syntax errors, runtime errors and engine errors all end up as one of these,
/// and `DiagnosticRenderer` is the only code that turns them into text.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Phase: Sendable, Equatable { case syntax, runtime, interrupted }

    public var message: String
    public var span: SourceSpan
    public var phase: Phase

    public init(_ message: String, _ span: SourceSpan, phase: Phase = .syntax) {
        self.message = message
        self.span = span
        self.phase = phase
    }

    public var description: String { "\(span): \(message)" }
}

/// A runtime failure raised by the evaluator or a builtin, before the span is
/// known (a builtin names the argument; the call site supplies the span).
struct RuntimeError: Error {
    var message: String
    var span: SourceSpan?

    init(_ message: String, at span: SourceSpan? = nil) {
        self.message = message
        self.span = span
    }
}
