/// A 1-d array as vertical bars in eighth-blocks (`▁▂▃▄▅▆▇█`); with a height of
/// one row it is a sparkline. More values than columns are area-averaged.
public struct BarChart: Sendable {
    public var values: [Double]
    public var range: ValueRange
    /// Colours each bar by its value when set; plain text otherwise.
    public var colormap: Colormap?

    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init(values: [Double], range: ValueRange? = nil, colormap: Colormap? = nil) {
        self.values = values
        self.range = range ?? ValueRange(of: values)
        self.colormap = colormap
    }

    public func draw(into buffer: inout Buffer, area: Rect) {
        guard !values.isEmpty, !area.isEmpty else { return }
        let count = min(values.count, area.width)
        let columns = Resample.resampled(Matrix(rows: 1, columns: values.count, values: values), rows: 1, columns: count)
        let span = range.max - range.min
        let totalEighths = area.height * 8
        for c in 0..<count {
            let v = columns[0, c]
            let x = area.x + c
            if !v.isFinite {
                // Non-finite values get a marker in the bottom row instead of a bar.
                buffer.set(x: x, y: area.bottom - 1, Cell(v.isNaN ? "?" : "!", fg: ColorScale.nanColor))
                continue
            }
            // A flat series draws half-height bars so it is visible; the minimum gets one eighth.
            let fraction = span > 0 ? (v - range.min) / span : 0.5
            let filled = max(1, Int((fraction * Double(totalEighths)).rounded()))
            let fg = colormap.map { ColorScale(colormap: $0, range: range).color(for: v) } ?? .default
            for row in 0..<area.height {
                let level = min(8, max(0, filled - row * 8))
                guard level > 0 else { break }
                buffer.set(x: x, y: area.bottom - 1 - row, Cell(Self.eighths[level], fg: fg))
            }
        }
    }
}
