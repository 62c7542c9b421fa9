import TenshText

/// The feature-map view of `show(x)`: a channel grid for `[C, H, W]` data (the
/// workbench passes sample n of a 4-d tensor), one heatmap for 2-d data, bars for
/// 1-d; a colour bar on the bottom row; zoom into one channel with a pixel cursor.
public struct FeatureMapView: Sendable {
    public enum Content: Hashable, Sendable {
        case channels([Matrix])
        case image(Matrix)
        case vector([Double])
    }

    public var content: Content
    public var colormap: Colormap
    /// One range for all channels (`g` toggles) instead of one per channel.
    public var globalNormalisation: Bool
    public var selectedChannel: Int?
    /// Shows only `selectedChannel`, as large as fits.
    public var zoomed: Bool
    /// A source pixel (row, column) marked in the zoomed channel or the 2-d image.
    public var cursor: PixelCursor?

    public init(content: Content, colormap: Colormap = .viridis, globalNormalisation: Bool = false,
                selectedChannel: Int? = nil, zoomed: Bool = false, cursor: PixelCursor? = nil) {
        self.content = content
        self.colormap = colormap
        self.globalNormalisation = globalNormalisation
        self.selectedChannel = selectedChannel
        self.zoomed = zoomed
        self.cursor = cursor
    }

    /// What was drawn where, for mapping keys and mouse positions back to data.
    public struct Geometry: Hashable, Sendable {
        public var tiles: [ChannelTile] = []
        public var image: HeatmapPlacement?
    }

    /// The range the colour bar shows: the global one, or the selected channel's.
    public var colorBarRange: ValueRange {
        switch content {
        case let .channels(list):
            let ranges = ChannelGrid.ranges(for: list, global: globalNormalisation)
            let c = min(max(0, selectedChannel ?? 0), max(0, ranges.count - 1))
            return ranges.isEmpty ? ValueRange(min: 0, max: 0) : ranges[c]
        case let .image(m): return m.range
        case let .vector(v): return ValueRange(of: v)
        }
    }

    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> Geometry {
        guard area.height >= 2 else { return Geometry() }
        let (body, bar) = area.splitBottom(1)
        let geometry = drawBody(into: &buffer, area: body)
        drawScale(into: &buffer, area: bar)
        return geometry
    }

    /// Plain mode: the view at most `width` × `maxHeight` cells, with trailing empty
    /// rows removed and the colour bar directly below — ready for `AnsiEncoder`.
    public func plainBuffer(width: Int, maxHeight: Int) -> Buffer {
        var canvas = Buffer(width: width, height: max(1, maxHeight - 1))
        drawBody(into: &canvas, area: canvas.area)
        let used = (0..<canvas.height).last { row in
            (0..<canvas.width).contains { canvas[$0, row] != .blank }
        }.map { $0 + 1 } ?? 0
        var out = Buffer(width: width, height: used + 1)
        out.blit(canvas, sourceX: 0, sourceY: 0, into: Rect(x: 0, y: 0, width: width, height: used))
        drawScale(into: &out, area: Rect(x: 0, y: used, width: width, height: 1))
        return out
    }

    /// The colour bar; bars are coloured by sign, so they get their range instead.
    private func drawScale(into buffer: inout Buffer, area: Rect) {
        guard case .vector = content else {
            ColorBar(scale: ColorScale(colormap: colormap, range: colorBarRange)).draw(into: &buffer, area: area)
            return
        }
        let r = colorBarRange
        let text = "min \(NumberText.short(r.min))  max \(NumberText.short(r.max))  (bars from 0: "
        var x = buffer.setString(x: area.x, y: area.y, text, clip: area)
        x = buffer.setString(x: x, y: area.y, "▲ positive", style: Style(fg: BarChart.positiveColor), clip: area)
        x = buffer.setString(x: x, y: area.y, ", ", clip: area)
        x = buffer.setString(x: x, y: area.y, "▼ negative", style: Style(fg: BarChart.negativeColor), clip: area)
        buffer.setString(x: x, y: area.y, ")", clip: area)
    }

    @discardableResult
    private func drawBody(into buffer: inout Buffer, area: Rect) -> Geometry {
        var geometry = Geometry()
        switch content {
        case let .channels(list):
            let ranges = ChannelGrid.ranges(for: list, global: globalNormalisation)
            let grid = ChannelGrid(channels: list, colormap: colormap, ranges: ranges, selected: selectedChannel)
            if zoomed, let c = selectedChannel, list.indices.contains(c) {
                let (label, rest) = area.splitTop(1)
                buffer.setString(x: label.x, y: label.y, "c\(c)", style: Style(attributes: [.reverse, .bold]), clip: label)
                geometry.image = drawImage(list[c], scale: grid.scale(ofChannel: c), into: &buffer, area: rest)
            } else {
                geometry.tiles = grid.draw(into: &buffer, area: area)
            }
        case let .image(m):
            geometry.image = drawImage(m, scale: ColorScale(colormap: colormap, range: m.range), into: &buffer, area: area)
        case let .vector(v):
            BarChart(values: v).draw(into: &buffer, area: area)
        }
        return geometry
    }

    private func drawImage(_ m: Matrix, scale: ColorScale, into buffer: inout Buffer, area: Rect) -> HeatmapPlacement {
        let placement = Heatmap(m, scale: scale).draw(into: &buffer, area: area)
        cursor?.draw(into: &buffer, placement: placement)
        return placement
    }
}
