/// The one place diagnostics become text, in the compiler convention editors parse:
///
///     train.tsh:12:9: error: conv2d: input has 3 channels but weight expects 4
///       y = conv2d(x, w, padding=1)
///               ^~~~~~~~~~~~~~~~~~~
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    public func render(_ diagnostic: Diagnostic, source runSource: String, file runFile: String) -> String {
        // An error inside a function defined elsewhere shows that function's source.
        let source = diagnostic.origin?.source ?? runSource, file = diagnostic.origin?.file ?? runFile
        let span = diagnostic.span
        let location = "\(file):\(span.line):\(span.column):"
        var text = paint(location, "1") + " " + paint("error:", "1;31") + " " + diagnostic.message + "\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard span.line >= 1, span.line <= lines.count else { return text }
        let line = Array(String(lines[span.line - 1]).unicodeScalars)
        let start = min(max(span.column - 1, 0), line.count)
        // Keep tabs so the caret lines up under the same characters.
        let padding = String(String.UnicodeScalarView(line[0..<start].map { $0 == "\t" ? "\t" : " " }))
        let length = max(1, min(span.length, line.count - start))
        let marker = "^" + String(repeating: "~", count: length - 1)
        text += "  " + String(String.UnicodeScalarView(line)) + "\n"
        text += "  " + padding + paint(marker, "1;32") + "\n"
        return text
    }

    /// Every diagnostic of a run, in order.
    public func render(_ diagnostics: [Diagnostic], source: String, file: String) -> String {
        diagnostics.map { render($0, source: source, file: file) }.joined()
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
