/// A closed range of data values mapped onto a colormap. Built by the caller
/// (per channel or global normalisation is the caller's choice of range).
public struct ValueRange: Hashable, Sendable {
    public var min: Double
    public var max: Double

    public init(min: Double, max: Double) {
        self.min = min
        self.max = max
    }

    /// The finite min/max of `values`; (0, 0) when none is finite.
    public init<S: Sequence>(of values: S) where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        if lo > hi { lo = 0; hi = 0 }
        self.init(min: lo, max: hi)
    }

    /// The smallest range covering all of `ranges` (global normalisation).
    public static func union(_ ranges: [ValueRange]) -> ValueRange {
        guard let first = ranges.first else { return ValueRange(min: 0, max: 0) }
        return ranges.dropFirst().reduce(first) {
            ValueRange(min: Swift.min($0.min, $1.min), max: Swift.max($0.max, $1.max))
        }
    }
}

/// Maps data values to colours: a colormap, a value range, and distinct colours
/// for values that are not finite so they can never be mistaken for data.
public struct ColorScale: Hashable, Sendable {
    public var colormap: Colormap
    public var range: ValueRange

    /// NaN is magenta, +Inf orange, -Inf cyan: none of them occurs in the colormaps.
    public static let nanColor = Color(hex: 0xff00ff)
    public static let positiveInfinityColor = Color(hex: 0xff8c00)
    public static let negativeInfinityColor = Color(hex: 0x00e5ff)

    public init(colormap: Colormap, range: ValueRange) {
        self.colormap = colormap
        self.range = range
    }

    /// The range the colours actually span. The diverging map is centred on zero,
    /// so it spans [-m, m] with m the largest magnitude.
    public var displayedRange: ValueRange {
        guard colormap == .diverging else { return range }
        let m = Swift.max(abs(range.min), abs(range.max))
        return ValueRange(min: -m, max: m)
    }

    /// Position of `value` along the colormap in [0, 1]. A flat range maps to the middle.
    public func position(of value: Double) -> Double {
        let r = displayedRange
        let span = r.max - r.min
        guard span > 0, span.isFinite else { return 0.5 }
        return Swift.min(1, Swift.max(0, (value - r.min) / span))
    }

    public func color(for value: Double) -> Color {
        if value.isNaN { return Self.nanColor }
        if value == .infinity { return Self.positiveInfinityColor }
        if value == -.infinity { return Self.negativeInfinityColor }
        return colormap.color(at: position(of: value))
    }
}
