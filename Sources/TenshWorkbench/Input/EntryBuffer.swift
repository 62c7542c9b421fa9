/// The lines of the REPL entry being typed, shared by the plain REPL and the
/// workbench: while a bracket or brace is open the entry goes on at the
/// continuation prompt, and the lines are handed on joined by newlines.
public struct EntryBuffer: Sendable {
    public static let primaryPrompt = ">>> "
    public static let continuationPrompt = "... "

    private var lines: [String] = []

    public init() {}

    /// The prompt for the next line.
    public var prompt: String { lines.isEmpty ? Self.primaryPrompt : Self.continuationPrompt }

    /// Adds a typed line; returns the entry so far (every line, joined).
    public mutating func add(_ line: String) -> String {
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// The entry was run (or abandoned with Ctrl-C): the next line starts a new one.
    public mutating func clear() {
        lines = []
    }

    /// A line of nothing but whitespace: it runs nothing and goes to no history.
    public static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }
}
