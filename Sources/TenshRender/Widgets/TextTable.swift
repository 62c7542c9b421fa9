/// One column of a `TextTable`.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var alignRight: Bool
    /// When the table is too wide, columns with the highest `dropOrder` go
    /// first; 0 is never dropped.
    public var dropOrder: Int

    public init(_ title: String, alignRight: Bool = true, dropOrder: Int = 0) {
        self.title = title
        self.alignRight = alignRight
        self.dropOrder = dropOrder
    }
}

/// Rows of text under a bold header, columns two spaces apart and sized to
/// their widest cell. A table wider than its area drops columns by
/// `dropOrder` (all of one order together) and says how many in `droppedColumns`; one longer than its area
/// scrolls (`firstRow`). The selected row is reversed; rows may carry a style.
public struct TextTable: Sendable {
    public var columns: [TableColumn]
    public var rows: [[String]]
    /// A style per row (missing entries are plain).
    public var rowStyles: [Style]
    public var selected: Int?
    public var firstRow: Int

    public static let separator = 2

    public init(columns: [TableColumn], rows: [[String]], rowStyles: [Style] = [], selected: Int? = nil, firstRow: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.rowStyles = rowStyles
        self.selected = selected
        self.firstRow = firstRow
    }

    /// The natural width of each column.
    public var naturalWidths: [Int] {
        columns.indices.map { c in
            rows.reduce(DisplayWidth.of(columns[c].title)) { max($0, c < $1.count ? DisplayWidth.of($1[c]) : 0) }
        }
    }

    /// The columns shown within `width`, in order.
    public func shownColumns(width: Int) -> [Int] {
        let widths = naturalWidths
        var shown = Array(columns.indices)
        func total() -> Int { shown.reduce(0) { $0 + widths[$1] } + max(0, shown.count - 1) * Self.separator }
        // Columns of one drop order go together (min and max, say).
        while total() > width, let order = shown.map({ columns[$0].dropOrder }).max(), order > 0 {
            shown.removeAll { columns[$0].dropOrder == order }
        }
        return shown
    }

    public func droppedColumns(width: Int) -> Int { columns.count - shownColumns(width: width).count }

    /// The header and as many rows as fit from `firstRow` (clamped).
    public func draw(into buffer: inout Buffer, area: Rect) {
        guard area.height >= 1, area.width >= 1 else { return }
        let shown = shownColumns(width: area.width), widths = naturalWidths
        drawRow(columns.map(\.title), shown: shown, widths: widths, y: area.y, style: Style(attributes: [.bold]),
                into: &buffer, area: area)
        let visible = area.height - 1
        let start = Self.clampedFirstRow(firstRow, rows: rows.count, visible: visible)
        for (i, r) in (start..<min(rows.count, start + visible)).enumerated() {
            var style = r < rowStyles.count ? rowStyles[r] : .plain
            if r == selected {
                style.attributes.insert(.reverse)
                buffer.fill(Rect(x: area.x, y: area.y + 1 + i, width: area.width, height: 1), with: Cell(" ", style: style))
            }
            drawRow(rows[r], shown: shown, widths: widths, y: area.y + 1 + i, style: style, into: &buffer, area: area)
        }
    }

    private func drawRow(_ cells: [String], shown: [Int], widths: [Int], y: Int, style: Style,
                         into buffer: inout Buffer, area: Rect) {
        var x = area.x
        for c in shown {
            let text = c < cells.count ? cells[c] : ""
            let pad = widths[c] - DisplayWidth.of(text)
            buffer.setString(x: columns[c].alignRight ? x + pad : x, y: y, text, style: style, clip: area)
            x += widths[c] + Self.separator
        }
    }

    /// A first row that keeps `firstRow` within the rows.
    static func clampedFirstRow(_ firstRow: Int, rows: Int, visible: Int) -> Int {
        min(max(0, firstRow), max(0, rows - max(1, visible)))
    }

    /// The first row to show so that `selected` is visible, moving as little as possible from `current`.
    public static func firstRow(revealing selected: Int, visible: Int, current: Int) -> Int {
        let visible = max(1, visible)
        if selected < current { return max(0, selected) }
        if selected >= current + visible { return selected - visible + 1 }
        return current
    }

    /// The table as plain lines of `width` columns (every row; trailing blanks trimmed).
    public func lines(width: Int) -> [String] {
        var buffer = Buffer(width: width, height: rows.count + 1)
        draw(into: &buffer, area: buffer.area)
        return buffer.lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }
}
