import Foundation
import TenshText

/// Counts of values in equal-width bins drawn as vertical bars in eighths of a
/// cell: the largest count on the left axis, the value range under the bars,
/// and a `┴` tick where zero falls. With `logScale` a bar's height is
/// log(1 + count), so a few outliers stay visible next to a tall peak.
/// More bins than columns are summed into columns.
public struct HistogramChart: Sendable {
    public var counts: [Int]
    /// The lower edge of the first bin and the upper edge of the last.
    public var range: ValueRange
    public var logScale: Bool

    public static let barColor = Color(hex: 0x56b6c2)

    public init(counts: [Int], range: ValueRange, logScale: Bool = false) {
        self.counts = counts
        self.range = range
        self.logScale = logScale
    }

    /// The area the bars take inside `area` (left of it: the count labels; below: axis and range).
    public func plotArea(in area: Rect) -> Rect {
        let labelWidth = max(countLabel.count, 1)
        return Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 2)
    }

    private var countLabel: String { String(counts.max() ?? 0) }

    public func draw(into buffer: inout Buffer, area: Rect) {
        let plot = plotArea(in: area)
        guard !counts.isEmpty, plot.width >= 2, plot.height >= 1 else { return }
        let columns = columnCounts(width: plot.width)
        let peak = height(of: columns.map(\.count).max() ?? 0)
        for (x, column) in columns.enumerated() where column.count > 0 && peak > 0 {
            let level = max(1, Int((height(of: column.count) / peak * Double(plot.height * 8)).rounded()))
            for row in 0..<plot.height where level - row * 8 > 0 {
                buffer.set(x: plot.x + x, y: plot.bottom - 1 - row,
                           Cell(BarChart.eighths[min(8, level - row * 8)], fg: Self.barColor))
            }
        }
        drawAxes(into: &buffer, area: area, plot: plot, usedWidth: columns.count)
    }

    private func height(of count: Int) -> Double {
        logScale ? log1p(Double(count)) : Double(count)
    }

    /// The count of each drawn column: a bin spread over a whole number of
    /// columns (a one-column gap between wide bars), or several bins summed.
    func columnCounts(width: Int) -> [(count: Int, bin: Int)] {
        let bins = counts.count
        if bins <= width {
            let perBin = width / bins
            return (0..<(bins * perBin)).map { x in
                let bin = x / perBin
                let isGap = perBin >= 3 && x % perBin == perBin - 1
                return (isGap ? 0 : counts[bin], bin)
            }
        }
        return (0..<width).map { x in
            let lo = x * bins / width, hi = max(lo + 1, (x + 1) * bins / width)
            return (counts[lo..<hi].reduce(0, +), lo)
        }
    }

    private func drawAxes(into buffer: inout Buffer, area: Rect, plot: Rect, usedWidth: Int) {
        let label = countLabel
        buffer.setString(x: plot.x - 1 - label.count, y: plot.y, label, clip: area)
        buffer.setString(x: plot.x - 2, y: plot.bottom - 1, "0", clip: area)
        for y in plot.y..<plot.bottom { buffer.set(x: plot.x - 1, y: y, Cell("│", attributes: [.dim])) }
        buffer.set(x: plot.x - 1, y: plot.bottom, Cell("└", attributes: [.dim]))
        for x in plot.x..<plot.x + usedWidth { buffer.set(x: x, y: plot.bottom, Cell("─", attributes: [.dim])) }
        let low = NumberText.short(range.min), high = NumberText.short(range.max)
        let labels = plot.bottom + 1
        buffer.setString(x: plot.x, y: labels, low, clip: area)
        let highX = max(plot.x + low.count + 1, plot.x + usedWidth - high.count)
        buffer.setString(x: highX, y: labels, high, clip: area)
        let span = range.max - range.min
        guard range.min < 0, range.max > 0, span > 0 else { return }
        let zero = plot.x + min(usedWidth - 1, Int(Double(usedWidth) * -range.min / span))
        buffer.set(x: zero, y: plot.bottom, Cell("┴", attributes: [.dim]))
        if zero > plot.x + low.count, zero + 1 < highX { buffer.setString(x: zero, y: labels, "0", clip: area) }
    }
}
