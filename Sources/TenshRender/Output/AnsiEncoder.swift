/// Turns a buffer into text lines for plain mode (no ncurses): SGR escapes for
/// 24-bit or 256 colours, or no escapes at all, in which case half-block pixels
/// become a character ramp by luminance. Output is deterministic so script
/// tests can compare it. Trailing blank, unstyled cells are trimmed.
public struct AnsiEncoder: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// `ESC[38;2;r;g;bm` — terminals with COLORTERM=truecolor.
        case trueColor
        /// `ESC[38;5;nm` with the nearest xterm-256 index.
        case palette256
        /// Plain characters; heatmaps become ` .:-=+*#%@`.
        case none
    }

    public var mode: Mode
    public static let ramp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    static let reset = "\u{1b}[0m"

    public init(mode: Mode) { self.mode = mode }

    public func encode(_ buffer: Buffer) -> [String] {
        (0..<buffer.height).map { encodeRow($0, of: buffer) }
    }

    /// All lines joined with newlines (each line ends with one).
    public func encodeText(_ buffer: Buffer) -> String {
        encode(buffer).map { $0 + "\n" }.joined()
    }

    private func encodeRow(_ row: Int, of buffer: Buffer) -> String {
        var cells: [Cell] = (0..<buffer.width).compactMap { buffer[$0, row] }
        while let last = cells.last, last.symbol == " ", last.style == .plain { cells.removeLast() }
        var out = ""
        var current = Style.plain
        for cell in cells where !cell.isContinuation {
            if mode == .none {
                out += Self.plainSymbol(cell)
                continue
            }
            if cell.style != current {
                out += sgr(cell.style)
                current = cell.style
            }
            out += cell.symbol
        }
        if current != .plain { out += Self.reset }
        return out
    }

    private func sgr(_ style: Style) -> String { "\u{1b}[0" + sgrBody(style) + "m" }

    /// `;1;7;38;2;r;g;b;48;…` — always after a reset (`0`), so styles never leak.
    private func sgrBody(_ style: Style) -> String {
        var codes: [String] = []
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        if let fg = colorCode(style.fg, foreground: true) { codes.append(fg) }
        if let bg = colorCode(style.bg, foreground: false) { codes.append(bg) }
        return codes.map { ";" + $0 }.joined()
    }

    private func colorCode(_ color: Color, foreground: Bool) -> String? {
        let base = foreground ? "38" : "48"
        switch color {
        case .default: return nil
        case let .indexed(i): return "\(base);5;\(i)"
        case let .rgb(r, g, b):
            if mode == .trueColor { return "\(base);2;\(r);\(g);\(b)" }
            return "\(base);5;\(XtermPalette.nearestIndex(r: r, g: g, b: b))"
        }
    }

    /// Without escapes a reversed eighth block (a bar hanging below zero) cannot
    /// show; the nearest upper block stands in for `eighths` filled from the top.
    static func hanging(_ eighths: Int) -> String {
        eighths >= 6 ? "█" : eighths >= 3 ? "▀" : eighths > 0 ? "▔" : " "
    }

    /// Half-block pixels become ramp characters by the mean luminance of their two
    /// halves; NaN pixels show `?` and infinite ones `!` so they stay distinct.
    static func plainSymbol(_ cell: Cell) -> String {
        if cell.attributes.contains(.reverse), cell.fg != .default, cell.symbol.count == 1,
           let level = BarChart.eighths.firstIndex(of: Character(cell.symbol)) {
            return hanging(8 - level)
        }
        guard cell.symbol == "▀" else { return cell.symbol }
        let halves = [cell.fg, cell.bg].filter { $0 != .default }
        if halves.contains(ColorScale.nanColor) { return "?" }
        if halves.contains(ColorScale.positiveInfinityColor) || halves.contains(ColorScale.negativeInfinityColor) { return "!" }
        let lums = halves.compactMap(\.luminance)
        guard !lums.isEmpty else { return cell.symbol }
        let mean = lums.reduce(0, +) / Double(lums.count)
        return String(ramp[min(ramp.count - 1, Int(mean * Double(ramp.count)))])
    }
}
