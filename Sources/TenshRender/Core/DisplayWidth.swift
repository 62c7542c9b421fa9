/// Terminal column widths of graphemes. Box drawing (U+2500–257F), block
/// elements such as `▀` (U+2580–259F) and braille are one column; East Asian
/// wide characters and most emoji are two; combining-only graphemes are zero.
public enum DisplayWidth {
    /// Columns the grapheme occupies in a terminal.
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let v = first.value
        if v < 0x20 || (v >= 0x7f && v < 0xa0) { return 0 }
        if v >= 0x0300 && v <= 0x036f { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// Columns a string occupies.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Ranges from Unicode's East Asian Width = W/F tables that matter in practice.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115f, 0x2e80...0x303e, 0x3041...0x33ff, 0x3400...0x4dbf, 0x4e00...0x9fff,
        0xa000...0xa4cf, 0xac00...0xd7a3, 0xf900...0xfaff, 0xfe30...0xfe4f, 0xff00...0xff60,
        0xffe0...0xffe6, 0x1f300...0x1f64f, 0x1f900...0x1f9ff, 0x20000...0x3fffd,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        return wideRanges.contains { $0.contains(v) }
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: String, fitting columns: Int) -> (text: String, width: Int) {
        var out = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > columns { break }
            out.append(ch)
            used += w
        }
        return (out, used)
    }
}
