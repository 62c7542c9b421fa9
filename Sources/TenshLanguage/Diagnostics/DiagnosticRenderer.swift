import TenshText

/// The one place diagnostics become text, in the compiler convention editors parse:
///
///     train.tsh:12:9: error: conv2d: input has 3 channels but weight expects 4
///       y = conv2d(x, w, padding=1)
///               ^~~~~~~~~~~~~~~~~~~
///
/// The file name, the message and the source line come from users and files,
/// so every character the terminal would act on (controls, C1 codes, bidi
/// overrides, NUL) is escaped as Python's `repr` escapes it; the caret is
/// placed under the escaped text.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    public func render(_ diagnostic: Diagnostic, source runSource: String, file runFile: String) -> String {
        // An error inside a function defined elsewhere shows that function's source.
        let source = diagnostic.origin?.source ?? runSource, file = diagnostic.origin?.file ?? runFile
        let span = diagnostic.span
        let location = "\(Escaping.printable(file)):\(span.line):\(span.column):"
        var text = paint(location, "1") + " " + paint("error:", "1;31") + " " + Escaping.printable(diagnostic.message) + "\n"
        guard let line = Self.line(span.line, of: source) else { return text }
        let start = min(max(span.column - 1, 0), line.count)
        let end = min(start + max(1, span.length), line.count)
        var shown = "", padding = "", markerWidth = 0
        for (i, scalar) in line.enumerated() {
            // Tabs stay tabs (in the padding too) so the caret lines up under the same characters.
            let piece = scalar == "\t" || Escaping.isPrintable(scalar) ? String(scalar) : Escaping.printable(String(scalar))
            shown += piece
            if i < start {
                padding += scalar == "\t" ? "\t" : String(repeating: " ", count: piece.unicodeScalars.count)
            } else if i < end {
                markerWidth += piece.unicodeScalars.count
            }
        }
        let marker = "^" + String(repeating: "~", count: max(1, markerWidth) - 1)
        text += "  " + shown + "\n"
        text += "  " + padding + paint(marker, "1;32") + "\n"
        return text
    }

    /// Every diagnostic of a run, in order.
    public func render(_ diagnostics: [Diagnostic], source: String, file: String) -> String {
        diagnostics.map { render($0, source: source, file: file) }.joined()
    }

    /// The scalars of line `number` (1-based), split where the lexer splits lines
    /// (`\n`, `\r\n`, a lone `\r`) and without the byte-order mark the lexer skips.
    static func line(_ number: Int, of source: String) -> [Unicode.Scalar]? {
        guard number >= 1 else { return nil }
        var current = 1
        var line: [Unicode.Scalar] = []
        var previous: Unicode.Scalar?
        for (i, scalar) in source.unicodeScalars.enumerated() {
            defer { previous = scalar }
            if i == 0 && scalar == "\u{FEFF}" { continue }
            if scalar == "\n" && previous == "\r" { continue }
            if isLineBreak(scalar) {
                if current == number { return line }
                current += 1
                continue
            }
            if current == number { line.append(scalar) }
        }
        return current == number ? line : nil
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
