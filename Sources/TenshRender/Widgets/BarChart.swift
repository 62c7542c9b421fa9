/// A 1-d array as vertical bars that grow from zero: positive values upward,
/// negative ones downward, coloured by sign, in eighths of a cell (`▁▂▃▄▅▆▇█`).
/// The zero line sits on a cell boundary, with rows above and below it in
/// proportion to the largest positive and negative values. More values than
/// columns are area-averaged; NaN shows `?` and an infinity `!`.
public struct BarChart: Sendable {
    public var values: [Double]
    /// The values the height spans; zero is always inside it.
    public var range: ValueRange

    public static let positiveColor = Color(hex: 0xd6604d)
    public static let negativeColor = Color(hex: 0x4393c3)
    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init(values: [Double], range: ValueRange? = nil) {
        self.values = values
        let r = range ?? ValueRange(of: values)
        self.range = ValueRange(min: Swift.min(0, r.min), max: Swift.max(0, r.max))
    }

    /// Rows above the zero line (the rest are below it).
    public func rowsAboveZero(height: Int) -> Int {
        let span = range.max - range.min
        guard span > 0, range.min < 0 else { return height }
        guard range.max > 0 else { return 0 }
        return Swift.min(height - 1, Swift.max(1, Int((Double(height) * range.max / span).rounded())))
    }

    /// Columns per bar: one when the values fill the width (or more values than
    /// columns are averaged), up to 8 for a few values, a column apart from 3 on.
    public static func barWidth(values: Int, width: Int) -> (bar: Int, stride: Int) {
        guard values > 0, values * 2 <= width else { return (1, 1) }
        let stride = Swift.min(9, width / values)
        return stride >= 3 ? (stride - 1, stride) : (stride, stride)
    }

    public func draw(into buffer: inout Buffer, area: Rect) {
        guard !values.isEmpty, !area.isEmpty else { return }
        let count = Swift.min(values.count, area.width)
        let columns = Resample.resampled(Matrix(rows: 1, columns: values.count, values: values), rows: 1, columns: count)
        let (bar, stride) = Self.barWidth(values: count, width: area.width)
        for c in 0..<count {
            for dx in 0..<bar { drawBar(columns[0, c], x: area.x + c * stride + dx, into: &buffer, area: area) }
        }
    }

    private func drawBar(_ v: Double, x: Int, into buffer: inout Buffer, area: Rect) {
        let above = rowsAboveZero(height: area.height), below = area.height - above
        let zeroY = area.y + above  // the first row below the zero line
        guard v.isFinite else {
            buffer.set(x: x, y: v > 0 || v.isNaN ? zeroY - 1 : zeroY, Cell(v.isNaN ? "?" : "!", fg: ColorScale.nanColor))
            return
        }
        if v > 0, above > 0 {
            let level = eighthsOf(v / range.max, rows: above)
            for row in 0..<above where level - row * 8 > 0 {
                buffer.set(x: x, y: zeroY - 1 - row, Cell(Self.eighths[Swift.min(8, level - row * 8)], fg: Self.positiveColor))
            }
        } else if v < 0, below > 0 {
            let level = eighthsOf(v / range.min, rows: below)
            for row in 0..<below where level - row * 8 > 0 {
                buffer.set(x: x, y: zeroY + row, Self.hanging(Swift.min(8, level - row * 8)))
            }
        }
    }

    /// Eighths filled for a fraction of the rows on one side (at least one for a non-zero value).
    private func eighthsOf(_ fraction: Double, rows: Int) -> Int {
        Swift.max(1, Int((Swift.min(1, fraction) * Double(rows * 8)).rounded()))
    }

    /// A cell filled `level` eighths from the top: the lower block of the rest,
    /// reversed, so the glyph takes the background and the top the bar's colour.
    static func hanging(_ level: Int) -> Cell {
        if level >= 8 { return Cell("█", fg: negativeColor) }
        return Cell(eighths[8 - level], fg: negativeColor, attributes: [.reverse])
    }
}
