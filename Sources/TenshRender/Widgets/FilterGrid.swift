/// The kernels of a 4-d convolution weight `[C_out, C_in, kh, kw]` as a grid of
/// small images: one row per output channel (labelled `o0`, `o1`, …) and one
/// column per input channel (`i0`, `i1`, … above), each kernel a heatmap; or,
/// with `color` (C_in = 3), one colour picture per output channel, several to a
/// row — the first-layer figure of AlexNet. Kernels are magnified by the
/// largest whole factor that fits the width; a grid larger than its area shows
/// the window that holds the selected tile.
public struct FilterGrid: Sendable {
    /// `kernels[o][i]`: the kernel from input channel i to output channel o.
    public var kernels: [[Matrix]]
    public var colormap: Colormap
    /// The range each kernel is coloured over, `ranges[o][i]` (global
    /// normalisation repeats one; colour mode reads `ranges[o][0]`).
    public var ranges: [[ValueRange]]
    public var color: Bool
    /// The selected tile (output channel, input channel; the input is 0 in colour mode).
    public var selected: (out: Int, input: Int)

    public init(kernels: [[Matrix]], ranges: [[ValueRange]], colormap: Colormap, color: Bool,
                selected: (out: Int, input: Int) = (0, 0)) {
        self.kernels = kernels
        self.ranges = ranges
        self.colormap = colormap
        self.color = color
        self.selected = selected
    }

    private func range(_ out: Int, _ input: Int) -> ValueRange {
        out < ranges.count && input < ranges[out].count ? ranges[out][input] : kernels[out][input].range
    }

    /// Tile rows and columns of the grid (before windowing).
    public var gridSize: (rows: Int, columns: Int) {
        color ? (kernels.count, 1) : (kernels.count, kernels.first?.count ?? 0)
    }

    struct Geometry {
        var labelWidth: Int
        var tileWidth: Int
        var tileHeight: Int
        /// Tiles per row and visible rows/columns of tiles.
        var perRow: Int
        var visibleRows: Int
        var visibleColumns: Int
        var showsAll: Bool
        var showsWholeRows: Bool
    }

    /// A magnified kernel is at most this many columns wide.
    static let maxTileWidth = 16

    func geometry(in area: Rect) -> Geometry? {
        guard let first = kernels.first?.first, !first.isEmpty, area.width > 4, area.height > 2 else { return nil }
        let labelWidth = color ? 0 : "o\(kernels.count - 1)".count + 1
        // The magnification that shows the most tiles, the largest of those; a
        // grid that does not fit scrolls.
        let largest = max(1, Self.maxTileWidth / max(first.columns, first.rows))
        let candidates = (1...largest).map { geometry(factor: $0, first: first, labelWidth: labelWidth, area: area) }
        return candidates.max { ($0.visibleRows * $0.visibleColumns, $0.tileWidth) < ($1.visibleRows * $1.visibleColumns, $1.tileWidth) }
    }

    private func geometry(factor: Int, first: Matrix, labelWidth: Int, area: Rect) -> Geometry {
        let count = kernels.count, columns = gridSize.columns
        let tileWidth = first.columns * factor, tileHeight = (first.rows * factor + 1) / 2
        let perRow = color ? max(1, min(count, (area.width + 1) / (tileWidth + 1))) : columns
        let rowsNeeded = color ? (count + perRow - 1) / perRow : count
        let rowHeight = tileHeight + (color ? 2 : 1)
        let visibleRows = max(1, min(rowsNeeded, (area.height - (color ? 0 : 1) + 1) / rowHeight))
        let visibleColumns = color ? perRow : max(1, min(columns, (area.width - labelWidth + 1) / (tileWidth + 1)))
        return Geometry(labelWidth: labelWidth, tileWidth: tileWidth, tileHeight: tileHeight, perRow: perRow,
                        visibleRows: visibleRows, visibleColumns: visibleColumns,
                        showsAll: visibleRows == rowsNeeded && (color || visibleColumns == columns),
                        showsWholeRows: color || visibleColumns == columns)
    }

    /// The height that shows every tile at the largest magnification whose
    /// drawing is at most `maxHeight` rows (plain text has no scrolling).
    public func naturalHeight(width: Int, maxHeight: Int) -> Int {
        guard let first = kernels.first?.first, !first.isEmpty else { return 1 }
        let labelWidth = color ? 0 : "o\(kernels.count - 1)".count + 1
        let wide = Rect(x: 0, y: 0, width: width, height: Int.max / 4)
        for factor in (1...max(1, Self.maxTileWidth / max(first.columns, first.rows))).reversed() {
            let g = geometry(factor: factor, first: first, labelWidth: labelWidth, area: wide)
            let height = g.visibleRows * (g.tileHeight + (color ? 2 : 1)) - 1 + (color ? 0 : 1)
            if height <= maxHeight, g.showsWholeRows { return height }
        }
        return maxHeight
    }

    /// Tiles per grid row in `area` (up/down in colour mode move by this much).
    public func tilesPerRow(in area: Rect) -> Int {
        guard let g = geometry(in: area) else { return 1 }
        return color ? g.perRow : gridSize.columns
    }

    /// The selected tile's grid position.
    func position(_ g: Geometry) -> (row: Int, column: Int) {
        color ? (selected.out / g.perRow, selected.out % g.perRow) : (selected.out, selected.input)
    }

    /// Draws the window of tiles that holds the selection; returns how many tiles per row (for arrow keys).
    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> Int {
        guard let g = geometry(in: area) else { return 1 }
        let (row, column) = position(g)
        let firstRow = max(0, row - g.visibleRows + 1), firstColumn = max(0, column - g.visibleColumns + 1)
        var top = area.y
        if !color {
            for c in firstColumn..<min(gridSize.columns, firstColumn + g.visibleColumns) {
                let x = area.x + g.labelWidth + (c - firstColumn) * (g.tileWidth + 1)
                buffer.setString(x: x, y: top, "i\(c)", style: labelStyle(selected: c == selected.input), clip: area)
            }
            top += 1
        }
        for r in firstRow..<min(firstRow + g.visibleRows, color ? (kernels.count + g.perRow - 1) / g.perRow : kernels.count) {
            let y = top + (r - firstRow) * (g.tileHeight + (color ? 2 : 1))
            if !color { buffer.setString(x: area.x, y: y, "o\(r)", style: labelStyle(selected: r == selected.out), clip: area) }
            for c in firstColumn..<firstColumn + g.visibleColumns {
                let out = color ? r * g.perRow + c : r, input = color ? 0 : c
                guard out < kernels.count, input < kernels[out].count else { continue }
                let x = area.x + g.labelWidth + (c - firstColumn) * (g.tileWidth + 1)
                var tileTop = y
                if color {
                    buffer.setString(x: x, y: y, "o\(out)", style: labelStyle(selected: out == selected.out), clip: area)
                    tileTop += 1
                }
                drawTile(out, input, into: &buffer, area: Rect(x: x, y: tileTop, width: g.tileWidth, height: g.tileHeight))
            }
        }
        return color ? g.perRow : gridSize.columns
    }

    private func drawTile(_ out: Int, _ input: Int, into buffer: inout Buffer, area: Rect) {
        if color {
            let r = range(out, 0), span = r.max - r.min
            let normalised = kernels[out].prefix(3).map { m in
                Matrix(rows: m.rows, columns: m.columns, values: m.values.map { span > 0 ? ($0 - r.min) / span : 0.5 })
            }
            ColorImage(channels: Array(normalised)).draw(into: &buffer, area: area)
        } else {
            Heatmap(kernels[out][input], scale: ColorScale(colormap: colormap, range: range(out, input)))
                .draw(into: &buffer, area: area)
        }
    }

    private func labelStyle(selected: Bool) -> Style {
        selected ? Style(attributes: [.reverse, .bold]) : Style(attributes: [.dim])
    }
}
