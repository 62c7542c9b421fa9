import TenshRender

/// Draws a feature-map view into a rectangle: a header (title, shape, sample,
/// colormap, normalisation), the channel grid / zoomed channel / bars, and a
/// colour bar on the last row. Shared by the pane and plain text output.
public enum FeatureMapPanel {
    /// Header row, body, colour-bar row of `area`.
    static func parts(_ area: Rect) -> (header: Rect, body: Rect, bar: Rect) {
        let (header, rest) = area.splitTop(1)
        let (body, bar) = rest.splitBottom(1)
        return (header, body, bar)
    }

    /// The body rect where channels, the zoomed channel or bars go.
    public static func body(of area: Rect) -> Rect { parts(area).body }

    /// `x  [2, 3, 8, 8] f64  n 1/2  viridis  per-channel`
    public static func header(_ view: FeatureMapView) -> String {
        let maps = view.maps
        var parts = [view.title.isEmpty ? "x" : view.title, TensorValues.shapeText(maps.shape) + " " + maps.dtype.rawValue]
        if maps.shape.count == 4 { parts.append("n \(maps.sample + 1)/\(maps.sampleCount)") }
        if view.zoomed { parts.append("c\(view.channel) zoomed") }
        parts.append(view.colormap.rawValue)
        if maps.channels.count > 1 { parts.append(view.globalNormalization ? "global" : "per-channel") }
        return parts.joined(separator: "  ")
    }

    /// The channel grid as drawn (the selection only when interactive).
    static func grid(_ view: FeatureMapView, interactive: Bool) -> ChannelGrid {
        ChannelGrid(channels: view.maps.channels, colormap: view.colormap,
                    ranges: view.maps.ranges(global: view.globalNormalization),
                    selected: interactive ? view.channel : nil)
    }

    /// Channels per grid row inside `body` (for up/down moves of the cursor).
    public static func channelsPerRow(_ view: FeatureMapView, body: Rect) -> Int {
        let tiles = grid(view, interactive: true).layout(in: body)
        guard let first = tiles.first else { return 1 }
        return max(1, tiles.filter { $0.label.y == first.label.y }.count)
    }

    public static func draw(_ view: FeatureMapView, into buffer: inout Buffer, area: Rect, interactive: Bool) {
        guard area.height >= 3 else { return }
        let (header, body, bar) = parts(area)
        buffer.setString(x: header.x, y: header.y, Self.header(view), style: Style(attributes: [.bold]), clip: header)
        if view.maps.isBars {
            drawBars(view, into: &buffer, body: body, interactive: interactive)
        } else if view.zoomed && interactive {
            drawZoomed(view, into: &buffer, body: body)
        } else {
            grid(view, interactive: interactive).draw(into: &buffer, area: body)
        }
        drawColorBar(view, into: &buffer, area: bar, interactive: interactive)
    }

    private static func drawZoomed(_ view: FeatureMapView, into buffer: inout Buffer, body: Rect) {
        guard view.channel < view.maps.channels.count else { return }
        let matrix = view.maps.channels[view.channel]
        let (label, image) = body.splitTop(1)
        buffer.setString(x: label.x, y: label.y, "c\(view.channel)  \(matrix.rows)×\(matrix.columns)",
                         style: Style(attributes: [.reverse, .bold]), clip: label)
        let placement = Heatmap(matrix, scale: view.scale(ofChannel: view.channel)).draw(into: &buffer, area: image)
        PixelCursor(row: view.row, column: view.column).draw(into: &buffer, placement: placement)
    }

    private static func drawBars(_ view: FeatureMapView, into buffer: inout Buffer, body: Rect, interactive: Bool) {
        let values = view.maps.bars
        BarChart(values: values, colormap: view.colormap).draw(into: &buffer, area: body)
        guard interactive, !values.isEmpty, !body.isEmpty else { return }
        let shown = min(values.count, body.width)
        let x = body.x + min(shown - 1, view.column * shown / values.count)
        for y in body.y..<body.bottom {
            var cell = buffer[x, y] ?? .blank
            if cell.symbol == " " { cell.symbol = "│" }
            cell.attributes.insert(.reverse)
            buffer.set(x: x, y: y, cell)
        }
    }

    /// One colour bar: the selected channel's range (per-channel), or the shared one.
    /// Plain output of several per-channel maps lists each channel's range instead.
    private static func drawColorBar(_ view: FeatureMapView, into buffer: inout Buffer, area: Rect, interactive: Bool) {
        let count = view.maps.channels.count
        if count > 1, !view.globalNormalization, !interactive {
            let ranges = view.maps.ranges(global: false).enumerated().map { c, r in
                "c\(c) \(NumberText.short(r.min))…\(NumberText.short(r.max))"
            }
            buffer.setString(x: area.x, y: area.y, "ranges: " + ranges.joined(separator: ", "), clip: area)
            return
        }
        let channel = count > 1 && !view.globalNormalization ? view.channel : 0
        var barArea = area
        if count > 1, !view.globalNormalization {
            let x = buffer.setString(x: area.x, y: area.y, "c\(channel) ", clip: area)
            barArea = Rect(x: x, y: area.y, width: area.right - x, height: 1)
        }
        ColorBar(scale: view.scale(ofChannel: channel)).draw(into: &buffer, area: barArea)
    }
}
