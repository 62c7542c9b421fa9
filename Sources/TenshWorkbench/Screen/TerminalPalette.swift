import TenshRender

/// How a terminal shows colours, and the pure mapping from render colours to
/// the numbers ncurses takes. Lives here (not in the backend) so it is tested
/// without a terminal.
public enum TerminalColorMode: String, Sendable, CaseIterable {
    /// A direct-colour terminfo (`xterm-direct`, `tmux-direct`): a colour number is `0xRRGGBB`.
    case direct
    /// The xterm-256 palette: nearest index.
    case palette256
    /// No colours: heatmap pixels become a character ramp.
    case none

    /// Picks the mode from what the terminal reports.
    public static func detect(colors: Int, hasColors: Bool) -> TerminalColorMode {
        guard hasColors else { return .none }
        if colors >= 1 << 24 { return .direct }
        return colors >= 256 ? .palette256 : .none
    }

    /// The ncurses colour number for `color`; -1 is the terminal's default colour.
    public func colorNumber(_ color: Color) -> Int32 {
        switch (self, color) {
        case (_, .default), (.none, _): return -1
        case let (.direct, .rgb(r, g, b)):
            let value = Int32(r) << 16 | Int32(g) << 8 | Int32(b)
            // Direct terminfo maps numbers below 8 to the ANSI colours: nudge near-black up.
            return value < 8 ? 8 : value
        case let (.direct, .indexed(i)):
            let c = XtermPalette.rgb(of: i)
            return max(8, Int32(c.r) << 16 | Int32(c.g) << 8 | Int32(c.b))
        case let (.palette256, .rgb(r, g, b)): return Int32(XtermPalette.nearestIndex(r: r, g: g, b: b))
        case let (.palette256, .indexed(i)): return Int32(i)
        }
    }

    /// Without colours a half-block pixel becomes a ramp character by its mean
    /// luminance (NaN `?`, infinities `!`); other cells keep symbol and attributes.
    public static func monochrome(_ cell: Cell) -> Cell {
        var out = Cell(cell.symbol, style: Style(attributes: cell.attributes))
        guard cell.symbol == "▀" else { return out }
        let halves = [cell.fg, cell.bg].filter { $0 != .default }
        if halves.contains(ColorScale.nanColor) { out.symbol = "?"; return out }
        if halves.contains(ColorScale.positiveInfinityColor) || halves.contains(ColorScale.negativeInfinityColor) {
            out.symbol = "!"
            return out
        }
        let lums = halves.compactMap(\.luminance)
        guard !lums.isEmpty else { return out }
        let ramp = AnsiEncoder.ramp
        let mean = lums.reduce(0, +) / Double(lums.count)
        out.symbol = String(ramp[min(ramp.count - 1, Int(mean * Double(ramp.count)))])
        return out
    }
}

/// Colour pairs allocated on demand, as ncurses needs a pair per (fg, bg).
/// When the terminal's pairs run out the cache starts over and asks for a full repaint.
public struct ColorPairCache {
    public struct Key: Hashable { public var fg: Int32; public var bg: Int32 }
    private var pairs: [Key: Int32] = [:]
    private var nextPair: Int32 = 1
    public let capacity: Int32

    public init(capacity: Int) { self.capacity = Int32(max(1, min(capacity, Int(Int32.max)))) }

    /// The pair for (fg, bg); `isNew` says the backend must define it; `reset` that
    /// earlier pairs were forgotten (everything on screen must be repainted).
    public mutating func pair(fg: Int32, bg: Int32) -> (pair: Int32, isNew: Bool, reset: Bool) {
        if fg == -1 && bg == -1 { return (0, false, false) }
        let key = Key(fg: fg, bg: bg)
        if let p = pairs[key] { return (p, false, false) }
        var reset = false
        if nextPair >= capacity {
            pairs = [:]
            nextPair = 1
            reset = true
        }
        let p = nextPair
        nextPair += 1
        pairs[key] = p
        return (p, true, reset)
    }

    public var count: Int { pairs.count }
}
