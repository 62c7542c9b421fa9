/// Where a heatmap landed in the buffer: the cells it covers and its pixel grid.
/// Each cell shows two pixels stacked vertically (`▀`: fg = upper, bg = lower).
public struct HeatmapPlacement: Hashable, Sendable {
    public var cells: Rect
    public var pixelRows: Int
    public var pixelColumns: Int
    public var sourceRows: Int
    public var sourceColumns: Int

    /// The pixel rows and columns that show source element (row, column).
    public func pixels(ofSourceRow row: Int, column: Int) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        (Resample.targetIndex(ofSource: row, source: sourceRows, target: pixelRows),
         Resample.targetIndex(ofSource: column, source: sourceColumns, target: pixelColumns))
    }
}

/// A 2-d array drawn as half-block pixels, fitted into a rect with its aspect kept
/// (terminal cells are about twice as tall as wide, so a half cell is square).
public struct Heatmap: Sendable {
    public var matrix: Matrix
    public var scale: ColorScale

    public init(_ matrix: Matrix, scale: ColorScale) {
        self.matrix = matrix
        self.scale = scale
    }

    /// The placement `draw` will use inside `area` (top-left aligned).
    public func placement(in area: Rect) -> HeatmapPlacement {
        let size = Resample.fittedSize(rows: matrix.rows, columns: matrix.columns,
                                       maxRows: area.height * 2, maxColumns: area.width)
        return HeatmapPlacement(cells: Rect(x: area.x, y: area.y, width: size.columns, height: (size.rows + 1) / 2),
                                pixelRows: size.rows, pixelColumns: size.columns,
                                sourceRows: matrix.rows, sourceColumns: matrix.columns)
    }

    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> HeatmapPlacement {
        let place = placement(in: area)
        guard place.pixelRows > 0 else { return place }
        let pixels = Resample.resampled(matrix, rows: place.pixelRows, columns: place.pixelColumns)
        for cellRow in 0..<place.cells.height {
            for column in 0..<place.pixelColumns {
                let upper = scale.color(for: pixels[2 * cellRow, column])
                // An odd pixel count leaves the last lower half empty (terminal background).
                let lower = 2 * cellRow + 1 < place.pixelRows ? scale.color(for: pixels[2 * cellRow + 1, column]) : .default
                buffer.set(x: place.cells.x + column, y: place.cells.y + cellRow, Cell("▀", fg: upper, bg: lower))
            }
        }
        return place
    }
}

/// Marks one source pixel of a drawn heatmap: its half-cells turn white or black,
/// whichever contrasts with the colour underneath.
public struct PixelCursor: Sendable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public func draw(into buffer: inout Buffer, placement: HeatmapPlacement) {
        guard row >= 0, row < placement.sourceRows, column >= 0, column < placement.sourceColumns else { return }
        let target = placement.pixels(ofSourceRow: row, column: column)
        for pixelRow in target.rows {
            for pixelColumn in target.columns {
                let x = placement.cells.x + pixelColumn, y = placement.cells.y + pixelRow / 2
                guard var cell = buffer[x, y] else { continue }
                if pixelRow % 2 == 0 { cell.fg = Self.contrast(to: cell.fg) } else { cell.bg = Self.contrast(to: cell.bg) }
                buffer.set(x: x, y: y, cell)
            }
        }
    }

    static func contrast(to color: Color) -> Color {
        (color.luminance ?? 0) > 0.5 ? Color(hex: 0x000000) : Color(hex: 0xffffff)
    }
}
