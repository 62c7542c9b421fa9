import TenshEngine
import TenshRender
import TenshText

/// `stats(y)`: a header (nodes, the NaN/Inf origin, dead ReLUs) above the table
/// of every node. Shared by the pane and plain text.
public enum StatsPanel {
    public static let columns: [TableColumn] = [
        TableColumn("#"), TableColumn("node", alignRight: false), TableColumn("op", alignRight: false, dropOrder: 3),
        TableColumn("shape", alignRight: false, dropOrder: 2), TableColumn("mean"), TableColumn("std", dropOrder: 4),
        TableColumn("min", dropOrder: 5), TableColumn("max", dropOrder: 5), TableColumn("|grad|"),
        TableColumn("|grad|/|x|", dropOrder: 1), TableColumn("dead"), TableColumn("nan"), TableColumn("inf"),
        TableColumn("", alignRight: false),
    ]
    public static let originStyle = Style(fg: Color(hex: 0xe06c75), attributes: [.bold])

    public static func body(of area: Rect) -> Rect { area.splitTop(1).rest }

    /// One row's cells, in `columns` order.
    public static func cells(_ r: NodeStatistics) -> [String] {
        let short = NumberText.short
        return [String(r.index), r.name, r.op, shapeText(r.shape), short(r.mean), short(r.std), short(r.min), short(r.max),
                r.gradientNorm.map(short) ?? "-", r.gradientRatio.map(short) ?? "-",
                r.deadFraction.map { short(100 * $0) + "%" } ?? "", String(r.nanCount), String(r.infCount),
                r.isOrigin ? (r.nanCount > 0 ? "◀ NaN origin" : "◀ Inf origin") : ""]
    }

    public static func table(_ rows: [NodeStatistics], selected: Int? = nil, firstRow: Int = 0) -> TextTable {
        TextTable(columns: columns, rows: rows.map(cells), rowStyles: rows.map { $0.isOrigin ? originStyle : .plain },
                  selected: selected, firstRow: firstRow)
    }

    /// `stats of loss  9 nodes  NaN/Inf from #4 Log  dead ReLU: h 25%`.
    public static func header(_ rows: [NodeStatistics], title: String) -> String {
        var parts = ["stats of \(title.isEmpty ? "y" : title)", "\(rows.count) nodes"]
        if let origin = rows.first(where: \.isOrigin) {
            parts.append("NaN/Inf from #\(origin.index) \(origin.name)")
        } else {
            parts.append("no NaN/Inf")
        }
        let dead = rows.filter { ($0.deadFraction ?? 0) > 0 }
        if !dead.isEmpty {
            parts.append("dead ReLU: " + dead.map { "\($0.name) " + NumberText.short(100 * ($0.deadFraction ?? 0)) + "%" }
                .joined(separator: ", "))
        }
        return parts.joined(separator: "  ")
    }

    public static func draw(_ view: StatsState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 2 else { return }
        let (head, body) = area.splitTop(1)
        let table = table(view.rows, selected: view.selected, firstRow: view.firstRow)
        var text = header(view.rows, title: view.title)
        let dropped = table.droppedColumns(width: body.width)
        if dropped > 0 { text += dropped == 1 ? "  1 column hidden" : "  \(dropped) columns hidden" }
        buffer.setString(x: head.x, y: head.y, text, style: Style(attributes: [.bold]), clip: head)
        table.draw(into: &buffer, area: body)
    }

    /// Plain text: the header and every row.
    public static func plainLines(_ rows: [NodeStatistics], title: String, width: Int) -> [String] {
        [header(rows, title: title)] + table(rows).lines(width: width)
    }
}

/// `hist(x)`: a header (shape, bins, range, mean, zeros) above the chart.
public enum HistogramPanel {
    public static func header(_ view: HistogramState) -> String {
        "\(view.title)  " + view.data.summary(bins: view.bins) + (view.logScale ? "  log counts" : "")
    }

    public static func draw(_ view: HistogramState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 4 else { return }
        let (head, body) = area.splitTop(1)
        buffer.setString(x: head.x, y: head.y, header(view), style: Style(attributes: [.bold]), clip: head)
        HistogramChart(counts: view.data.counts, range: view.data.range, logScale: view.logScale).draw(into: &buffer, area: body)
    }

    /// Plain text: the header and a chart 12 rows high.
    public static func plainBuffer(_ view: HistogramState, width: Int) -> Buffer {
        var buffer = Buffer(width: width, height: 14)
        draw(view, into: &buffer, area: buffer.area)
        return buffer
    }
}
