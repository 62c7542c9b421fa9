import TenshText

/// One series of a line plot.
public struct PlotSeries: Hashable, Sendable {
    public var name: String
    public var values: [Double]
    /// nil picks the next colour of `LinePlot.palette`.
    public var color: Color?

    public init(_ name: String = "", values: [Double], color: Color? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }
}

/// A line chart drawn with braille dots (each cell holds 2 × 4 dots), several
/// series in distinct colours, a y axis labelled with max (top) and min (bottom)
/// and an x axis labelled with the first and last index. Non-finite values break the line.
public struct LinePlot: Sendable {
    public var series: [PlotSeries]
    /// nil: the finite min/max over all series.
    public var range: ValueRange?

    /// matplotlib's tab10 colours: distinct and readable on dark and light terminals.
    public static let palette: [Color] = [0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                          0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf].map { Color(hex: $0) }

    public init(series: [PlotSeries], range: ValueRange? = nil) {
        self.series = series
        self.range = range
    }

    /// The series' own colour, else the palette entry for its position.
    public func color(ofSeries index: Int) -> Color {
        let fallback = Self.palette[((index % Self.palette.count) + Self.palette.count) % Self.palette.count]
        return series.indices.contains(index) ? (series[index].color ?? fallback) : fallback
    }

    public func draw(into buffer: inout Buffer, area: Rect) {
        let r = range ?? ValueRange(of: series.flatMap(\.values))
        let top = NumberText.short(r.max), bottom = NumberText.short(r.min)
        let labelWidth = max(top.count, bottom.count)
        guard area.height >= 3, area.width >= labelWidth + 3 else { return }
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 2)
        drawAxes(into: &buffer, area: area, plot: plot, labels: (top, bottom), labelWidth: labelWidth)
        var canvas = BrailleCanvas(width: plot.width, height: plot.height)
        let count = series.map(\.values.count).max() ?? 0
        for (index, s) in series.enumerated() {
            plotSeries(s.values, count: count, range: r, on: &canvas, color: color(ofSeries: index))
        }
        canvas.draw(into: &buffer, at: plot)
        drawLegend(into: &buffer, plot: plot)
    }

    private func drawAxes(into buffer: inout Buffer, area: Rect, plot: Rect, labels: (String, String), labelWidth: Int) {
        let axisX = plot.x - 1, axisY = plot.bottom
        buffer.setString(x: area.x + labelWidth - labels.0.count, y: plot.y, labels.0, clip: area)
        buffer.setString(x: area.x + labelWidth - labels.1.count, y: plot.bottom - 1, labels.1, clip: area)
        for y in plot.y..<axisY { buffer.set(x: axisX, y: y, Cell("│")) }
        buffer.set(x: axisX, y: axisY, Cell("└"))
        for x in plot.x..<plot.right { buffer.set(x: x, y: axisY, Cell("─")) }
        let count = series.map(\.values.count).max() ?? 0
        buffer.setString(x: plot.x, y: axisY + 1, "0", clip: area)
        let last = String(max(0, count - 1))
        if count > 1 { buffer.setString(x: plot.right - last.count, y: axisY + 1, last, clip: area) }
    }

    private func plotSeries(_ values: [Double], count: Int, range: ValueRange, on canvas: inout BrailleCanvas, color: Color) {
        let dotsW = canvas.width * 2, dotsH = canvas.height * 4
        let span = range.max - range.min
        func dot(_ i: Int, _ v: Double) -> (Int, Int) {
            let x = count > 1 ? Int((Double(i) * Double(dotsW - 1) / Double(count - 1)).rounded()) : 0
            let f = span > 0 ? (range.max - v) / span : 0.5
            return (x, Int((min(1, max(0, f)) * Double(dotsH - 1)).rounded()))
        }
        var previous: (Int, Int)?
        for (i, v) in values.enumerated() {
            guard v.isFinite else { previous = nil; continue }
            let p = dot(i, v)
            if let q = previous { canvas.line(from: q, to: p, color: color) } else { canvas.setDot(p.0, p.1, color: color) }
            previous = p
        }
    }

    /// Named series get a legend in the plot's top-right corner: `─ train ─ val`.
    private func drawLegend(into buffer: inout Buffer, plot: Rect) {
        let named = series.indices.filter { !series[$0].name.isEmpty }
        guard !named.isEmpty else { return }
        let width = named.reduce(0) { $0 + DisplayWidth.of(series[$1].name) + 3 }
        var x = max(plot.x, plot.right - width)
        for index in named {
            x = buffer.setString(x: x, y: plot.y, "─ ", style: Style(fg: color(ofSeries: index)), clip: plot)
            x = buffer.setString(x: x, y: plot.y, series[index].name + " ", clip: plot)
        }
    }
}

/// A grid of braille cells addressed by dot; each cell remembers the colour of the
/// last series that touched it.
struct BrailleCanvas {
    let width: Int
    let height: Int
    private var bits: [UInt8]
    private var colors: [Color]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        colors = Array(repeating: .default, count: self.width * self.height)
    }

    /// Unicode braille dot numbering: column 0 holds dots 1,2,3,7; column 1 holds 4,5,6,8.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func setDot(_ x: Int, _ y: Int, color: Color) {
        guard x >= 0, y >= 0, x < width * 2, y < height * 4 else { return }
        let index = (y / 4) * width + x / 2
        bits[index] |= Self.dotBits[x % 2][y % 4]
        colors[index] = color
    }

    /// Bresenham's line between two dots.
    mutating func line(from a: (Int, Int), to b: (Int, Int), color: Color) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            setDot(x, y, color: color)
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    func draw(into buffer: inout Buffer, at area: Rect) {
        for row in 0..<height {
            for column in 0..<width where bits[row * width + column] != 0 {
                let scalar = Unicode.Scalar(0x2800 + UInt32(bits[row * width + column])) ?? " "
                buffer.set(x: area.x + column, y: area.y + row,
                           Cell(String(Character(scalar)), style: Style(fg: colors[row * width + column])))
            }
        }
    }
}
