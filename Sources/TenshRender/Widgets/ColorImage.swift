/// A picture drawn in true colour: three channels (red, green, blue) or one
/// (gray) of values in [0, 1], as half-block pixels fitted like a heatmap (area
/// averaging to shrink, whole-factor magnification). Values outside [0, 1] are
/// clipped; NaN is magenta, as in heatmaps.
public struct ColorImage: Sendable {
    /// One (gray) or three (red, green, blue) matrices of the same size.
    public var channels: [Matrix]

    public init(channels: [Matrix]) {
        self.channels = channels
    }

    public var rows: Int { channels.first?.rows ?? 0 }
    public var columns: Int { channels.first?.columns ?? 0 }

    /// The placement `draw` uses inside `area` (top-left aligned).
    public func placement(in area: Rect) -> HeatmapPlacement {
        let size = Resample.fittedSize(rows: rows, columns: columns, maxRows: area.height * 2, maxColumns: area.width)
        return HeatmapPlacement(cells: Rect(x: area.x, y: area.y, width: size.columns, height: (size.rows + 1) / 2),
                                pixelRows: size.rows, pixelColumns: size.columns, sourceRows: rows, sourceColumns: columns)
    }

    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> HeatmapPlacement {
        let place = placement(in: area)
        guard place.pixelRows > 0, channels.count == 1 || channels.count == 3 else { return place }
        let resized = channels.map { Resample.resampled($0, rows: place.pixelRows, columns: place.pixelColumns) }
        func color(_ row: Int, _ column: Int) -> Color {
            let values = resized.map { $0[row, column] }
            return Self.color(values.count == 3 ? values : [values[0], values[0], values[0]])
        }
        for cellRow in 0..<place.cells.height {
            for column in 0..<place.pixelColumns {
                let lower = 2 * cellRow + 1 < place.pixelRows ? color(2 * cellRow + 1, column) : .default
                buffer.set(x: place.cells.x + column, y: place.cells.y + cellRow,
                           Cell("▀", fg: color(2 * cellRow, column), bg: lower))
            }
        }
        return place
    }

    /// The colour of (r, g, b) in [0, 1] (clipped); magenta when any is NaN.
    public static func color(_ rgb: [Double]) -> Color {
        guard rgb.count == 3, !rgb.contains(where: \.isNaN) else { return ColorScale.nanColor }
        let bytes = rgb.map { UInt8((Swift.min(1, Swift.max(0, $0)) * 255).rounded()) }
        return .rgb(bytes[0], bytes[1], bytes[2])
    }
}

/// A rectangle of source pixels (rows and columns, half-open) that stays bright
/// while the rest of a drawn image is dimmed: the receptive field of `explain`.
public struct PixelRegion: Hashable, Sendable {
    public var rows: Range<Int>
    public var columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// Darkens every drawn pixel whose source centre lies outside the region.
    public func dimOutside(in buffer: inout Buffer, placement: HeatmapPlacement) {
        guard placement.pixelRows > 0, placement.pixelColumns > 0 else { return }
        func inside(_ pixelRow: Int, _ pixelColumn: Int) -> Bool {
            let r = (Double(pixelRow) + 0.5) * Double(placement.sourceRows) / Double(placement.pixelRows)
            let c = (Double(pixelColumn) + 0.5) * Double(placement.sourceColumns) / Double(placement.pixelColumns)
            return rows.contains(Int(r)) && columns.contains(Int(c))
        }
        for cellRow in 0..<placement.cells.height {
            for column in 0..<placement.pixelColumns {
                let x = placement.cells.x + column, y = placement.cells.y + cellRow
                guard var cell = buffer[x, y] else { continue }
                if !inside(2 * cellRow, column) { cell.fg = Self.dimmed(cell.fg) }
                if 2 * cellRow + 1 < placement.pixelRows, !inside(2 * cellRow + 1, column) { cell.bg = Self.dimmed(cell.bg) }
                buffer.set(x: x, y: y, cell)
            }
        }
    }

    /// A quarter of the brightness: the region reads as lit, the rest as shadow.
    static func dimmed(_ color: Color) -> Color {
        guard let c = color.rgbComponents else { return color }
        return .rgb(c.r / 4, c.g / 4, c.b / 4)
    }
}
