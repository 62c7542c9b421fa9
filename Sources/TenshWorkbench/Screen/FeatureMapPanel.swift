import TenshRender
import TenshText

/// The feature-map view in a rectangle: a header row (title, shape, sample,
/// colormap, normalisation) above render's `FeatureMapView` widget (grid,
/// zoomed channel or image with the pixel cursor, bars, colour bar). Shared by
/// the pane and plain text output.
public enum FeatureMapPanel {
    /// The widget's area below the header, and the body above its colour bar.
    static func parts(_ area: Rect) -> (header: Rect, widget: Rect, body: Rect) {
        let (header, widget) = area.splitTop(1)
        return (header, widget, widget.splitBottom(1).rest)
    }

    /// Where channels, the zoomed channel, the image or the bars go.
    public static func body(of area: Rect) -> Rect { parts(area).body }

    /// `x  [2, 3, 8, 8] f64  n 1/2  viridis  per-channel`; a sampled tensor adds
    /// what was read (`[::4, ::4]`).
    public static func header(_ state: FeatureMapState) -> String {
        let maps = state.maps
        var parts = [state.title.isEmpty ? "x" : state.title, shapeText(maps.shape) + " " + maps.dtype.rawValue]
        if maps.shape.count == 4 { parts.append("n \(maps.sample + 1)/\(maps.sampleCount)") }
        if !maps.samplingNote.isEmpty { parts.append(maps.samplingNote) }
        if state.zoomed { parts.append("c\(state.channel) zoomed") }
        parts.append(state.colormap.rawValue)
        if maps.channels.count > 1 { parts.append(state.globalNormalization ? "global" : "per-channel") }
        return parts.joined(separator: "  ")
    }

    /// The render widget for this state; selection and cursor only when interactive.
    static func widget(_ state: FeatureMapState, interactive: Bool) -> FeatureMapView {
        let maps = state.maps
        let content: FeatureMapView.Content
        if maps.isBars {
            content = .vector(maps.bars)
        } else if maps.isImage, let image = maps.channels.first {
            content = .image(image)
        } else {
            content = .channels(maps.channels)
        }
        let cursor = interactive && state.usesPixelCursor && !maps.isBars ? PixelCursor(row: state.row, column: state.column) : nil
        return FeatureMapView(content: content, colormap: state.colormap, globalNormalisation: state.globalNormalization,
                              selectedChannel: interactive ? state.channel : nil, zoomed: interactive && state.zoomed,
                              cursor: cursor)
    }

    /// The channel grid the widget lays out (same channels, ranges and selection).
    static func grid(_ state: FeatureMapState, interactive: Bool = true) -> ChannelGrid {
        ChannelGrid(channels: state.maps.channels, colormap: state.colormap,
                    ranges: state.maps.ranges(global: state.globalNormalization),
                    selected: interactive ? state.channel : nil)
    }

    /// Channels per grid row inside `body` (up/down move the cursor by this much).
    public static func channelsPerRow(_ state: FeatureMapState, body: Rect) -> Int {
        let tiles = grid(state).layout(in: body)
        guard let first = tiles.first else { return 1 }
        return max(1, tiles.filter { $0.label.y == first.label.y }.count)
    }

    public static func draw(_ state: FeatureMapState, into buffer: inout Buffer, area: Rect, interactive: Bool) {
        guard area.height >= 3 else { return }
        let (header, widgetArea, body) = parts(area)
        buffer.setString(x: header.x, y: header.y, Self.header(state), style: Style(attributes: [.bold]), clip: header)
        widget(state, interactive: interactive).draw(into: &buffer, area: widgetArea)
        if interactive, state.maps.isBars { markBar(state, into: &buffer, body: body) }
    }

    /// Bars have no pixel cursor in the widget: the column under the cursor is
    /// inverted (a bar hanging below zero is drawn reversed already).
    private static func markBar(_ state: FeatureMapState, into buffer: inout Buffer, body: Rect) {
        let values = state.maps.bars
        guard !values.isEmpty, !body.isEmpty else { return }
        let shown = min(values.count, body.width)
        let (bar, stride) = BarChart.barWidth(values: shown, width: body.width)
        let left = body.x + min(shown - 1, state.column * shown / values.count) * stride
        for x in left..<left + bar {
            for y in body.y..<body.bottom {
                var cell = buffer[x, y] ?? .blank
                if cell.symbol == " " { cell.symbol = "│" }
                cell.attributes.formSymmetricDifference(.reverse)
                buffer.set(x: x, y: y, cell)
            }
        }
    }

    /// Plain text output: header, the widget at the fewest rows that show every
    /// channel at full resolution (capped at `maxRows`), and a colour bar. Several
    /// per-channel maps have one range each, so their last row lists the ranges.
    public static func plainBuffer(_ state: FeatureMapState, width: Int, maxRows: Int) -> Buffer {
        let view = widget(state, interactive: false)
        let drawing = view.plainBuffer(width: width, maxHeight: plainRows(state, width: width, maxRows: maxRows))
        var out = Buffer(width: width, height: drawing.height + 1)
        out.setString(x: 0, y: 0, header(state), style: Style(attributes: [.bold]))
        out.blit(drawing, sourceX: 0, sourceY: 0, into: Rect(x: 0, y: 1, width: width, height: drawing.height))
        let count = state.maps.channels.count
        if count > 1, !state.globalNormalization {
            let row = Rect(x: 0, y: out.height - 1, width: width, height: 1)
            out.fill(row, with: .blank)
            let ranges = state.maps.ranges(global: false).enumerated().map { c, r in
                "c\(c) \(NumberText.short(r.min))…\(NumberText.short(r.max))"
            }
            out.setString(x: 0, y: row.y, "ranges: " + ranges.joined(separator: ", "), clip: row)
        }
        return out
    }

    /// The fewest rows (body and colour bar) at which every channel shows at its
    /// own resolution, or as large as `maxRows` would show it when that is smaller.
    static func plainRows(_ state: FeatureMapState, width: Int, maxRows: Int) -> Int {
        let maps = state.maps
        if maps.isBars { return 5 }
        let h = maps.channels.map(\.rows).max() ?? 1, w = maps.channels.map(\.columns).max() ?? 1
        let top = max(2, maxRows)
        let goal = min(h * w, pixelsShown(state, width: width, rows: top))
        for rows in 2..<top where pixelsShown(state, width: width, rows: rows) >= goal { return rows }
        return top
    }

    /// Pixels of one channel as drawn at this height (0 when not every channel fits).
    private static func pixelsShown(_ state: FeatureMapState, width: Int, rows: Int) -> Int {
        let maps = state.maps
        let body = Rect(x: 0, y: 0, width: width, height: rows - 1)
        guard let first = maps.channels.first else { return 0 }
        var image = body
        if !maps.isImage {
            let tiles = grid(state, interactive: false).layout(in: body)
            guard tiles.count == maps.channels.count, let tile = tiles.first else { return 0 }
            image = tile.image
        }
        let placed = Heatmap(first, scale: state.scale(ofChannel: 0)).placement(in: image)
        return placed.pixelRows * placed.pixelColumns
    }
}
