import Foundation

/// Colours for magnitudes that span many powers of ten (gradient norms): a
/// value sits on the colormap at `log10(value)` between the decades `low` and
/// `high` that enclose the values given. Zero takes the low end; NaN and the
/// infinities the colours they have in heatmaps.
public struct LogScale: Hashable, Sendable {
    public var colormap: Colormap
    /// Exponents of the decades at the two ends (`1e-6 … 1e+1`: -6 and 1).
    public var low: Int
    public var high: Int

    public init(colormap: Colormap = .viridis, low: Int, high: Int) {
        self.colormap = colormap
        self.low = min(low, high)
        self.high = max(low, high)
    }

    /// The decades that enclose the positive finite `values` (one decade when there are none).
    public init(colormap: Colormap = .viridis, enclosing values: [Double]) {
        let exponents = values.filter { $0 > 0 && $0.isFinite }.map(log10)
        let low = Int((exponents.min() ?? 0).rounded(.down)), high = Int((exponents.max() ?? 0).rounded(.up))
        self.init(colormap: colormap, low: low, high: high == low ? low + 1 : high)
    }

    /// Position of `value` along the colormap in [0, 1].
    public func position(of value: Double) -> Double {
        guard value > 0 else { return 0 }
        return min(1, max(0, (log10(value) - Double(low)) / Double(high - low)))
    }

    public func color(for value: Double) -> Color {
        if value.isNaN { return ColorScale.nanColor }
        if value == .infinity { return ColorScale.positiveInfinityColor }
        return colormap.color(at: position(of: value))
    }

    /// `1e-06`, `1`, `1e+02`: the label of decade `exponent`.
    public static func decade(_ exponent: Int) -> String {
        exponent == 0 ? "1" : String(format: "1e%+03d", exponent)
    }

    /// One row: `title 1e-06 ▀▀▀▀▀▀ 10  lowWord … highWord`.
    public func drawLegend(title: String, words: (low: String, high: String), into buffer: inout Buffer, area: Rect) {
        guard area.height > 0 else { return }
        var x = buffer.setString(x: area.x, y: area.y, "\(title) \(Self.decade(low)) ", clip: area)
        let tail = " \(Self.decade(high))  \(words.low) … \(words.high)"
        let barWidth = min(24, area.right - x - DisplayWidth.of(tail))
        guard barWidth >= 2 else { return }
        for i in 0..<barWidth {
            let color = colormap.color(at: Double(i) / Double(barWidth - 1))
            buffer.set(x: x + i, y: area.y, Cell("▀", fg: color, bg: color))
        }
        x += barWidth
        buffer.setString(x: x, y: area.y, tail, clip: area)
    }
}
