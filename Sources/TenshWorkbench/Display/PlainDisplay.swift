import TenshEngine
import TenshLanguage
import TenshRender

/// `show`, `graph` and `plot` without the pane (`--plain`, no TTY, scripts):
/// deterministic text through `write`. Heatmaps use ANSI colours (24-bit or
/// 256) or, with `.none`, a character ramp; `graph` prints an indented tree.
public final class PlainDisplay: DisplaySink {
    public var mode: AnsiEncoder.Mode
    /// Columns of the drawing (the terminal width when known).
    public var width: Int
    /// Names tensors in graphs (`x`, `w`) when the session knows them.
    public var tensorNamer: (Tensor) -> String?
    private let write: (String) -> Void

    /// Feature maps grow until every channel shows at full resolution, up to this many rows.
    public static let maxRows = 48

    public init(mode: AnsiEncoder.Mode, width: Int = 80, tensorNamer: @escaping (Tensor) -> String? = { _ in nil },
                write: @escaping (String) -> Void) {
        self.mode = mode
        self.width = max(20, width)
        self.tensorNamer = tensorNamer
        self.write = write
    }

    public func show(_ tensor: Tensor, options: ShowOptions) throws {
        let view = try ShowRequest.view(tensor, options: options)
        let rows = Self.rowsNeeded(view, width: width)
        var buffer = Buffer(width: width, height: rows)
        FeatureMapPanel.draw(view, into: &buffer, area: buffer.area, interactive: false)
        write(AnsiEncoder(mode: mode).encodeText(Self.trimmingBlankRows(buffer)))
    }

    public func showGraph(of tensor: Tensor, title: String) throws {
        let graph = AutogradGraph(root: tensor, name: tensorNamer)
        var lines = GraphTree.render(graph.model)
        if graph.truncated { lines.append("(graph truncated at \(graph.model.nodes.count) nodes)") }
        write(lines.map { $0 + "\n" }.joined())
    }

    public func plot(_ series: [TenshLanguage.PlotSeries], title: String) throws {
        let view = try ShowRequest.plotView(series, title: title)
        var buffer = Buffer(width: width, height: 14)
        PlotPanel.draw(view, into: &buffer, area: buffer.area)
        write(AnsiEncoder(mode: mode).encodeText(buffer))
    }

    /// The fewest rows (header and colour bar included) at which every channel
    /// is drawn at least at its own resolution; capped at `maxRows`.
    static func rowsNeeded(_ view: FeatureMapView, width: Int) -> Int {
        if view.maps.isBars { return 2 + 4 }
        let grid = FeatureMapPanel.grid(view, interactive: false)
        let h = view.maps.channels.map(\.rows).max() ?? 1
        for rows in 4...maxRows {
            let body = FeatureMapPanel.body(of: Rect(x: 0, y: 0, width: width, height: rows))
            let tiles = grid.layout(in: body)
            guard tiles.count == view.maps.channels.count, let first = tiles.first else { continue }
            let placed = Heatmap(view.maps.channels[first.channel], scale: view.scale(ofChannel: 0)).placement(in: first.image)
            if placed.pixelRows >= min(h, 2 * first.image.height), placed.pixelRows >= h { return rows }
        }
        return maxRows
    }

    /// Drops rows that are entirely blank and unstyled between the body and the bar.
    static func trimmingBlankRows(_ buffer: Buffer) -> Buffer {
        let keep = (0..<buffer.height).filter { y in
            y == buffer.height - 1 || (0..<buffer.width).contains { x in buffer[x, y].map { $0 != .blank } ?? false }
        }
        var out = Buffer(width: buffer.width, height: keep.count)
        for (row, y) in keep.enumerated() {
            out.blit(buffer, sourceX: 0, sourceY: y, into: Rect(x: 0, y: row, width: buffer.width, height: 1))
        }
        return out
    }
}
