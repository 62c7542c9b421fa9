/// Text attributes a backend can show; combined as a set (`[.bold, .reverse]`).
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
}

/// Colours and attributes applied together when drawing text.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()
}

/// One terminal cell. `symbol` is one grapheme; the cell to the right of a
/// double-width grapheme holds the empty string (a continuation, like ratatui).
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var style: Style

    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    public init(_ symbol: Character, fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.symbol = String(symbol)
        self.style = Style(fg: fg, bg: bg, attributes: attributes)
    }

    public var fg: Color { get { style.fg } set { style.fg = newValue } }
    public var bg: Color { get { style.bg } set { style.bg = newValue } }
    public var attributes: Attributes { get { style.attributes } set { style.attributes = newValue } }

    /// True for the right half of a double-width grapheme; backends skip it.
    public var isContinuation: Bool { symbol.isEmpty }

    public static let blank = Cell()
}
