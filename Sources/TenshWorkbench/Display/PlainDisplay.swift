import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// `show`, `graph` and `plot` without the pane (`--plain`, no TTY, scripts):
/// deterministic text through `write`. Heatmaps use ANSI colours (24-bit or
/// 256) or, with `.none`, a character ramp; `graph` prints an indented tree.
public final class PlainDisplay: DisplaySink {
    public var mode: AnsiEncoder.Mode
    /// Columns of the drawing (the terminal width when known, within `widths`).
    public private(set) var width: Int
    /// Names tensors in graphs (`x`, `w`) when the session knows them.
    public var tensorNamer: (Tensor) -> String?
    private let write: (String) -> Void

    /// Feature maps grow until every channel shows at full resolution, up to this many rows.
    public static let maxRows = 48
    /// Drawings are 20 to 1000 columns wide, whatever `COLUMNS` says.
    public static let widths = 20...1000

    public init(mode: AnsiEncoder.Mode, width: Int = 80, tensorNamer: @escaping (Tensor) -> String? = { _ in nil },
                write: @escaping (String) -> Void) {
        self.mode = mode
        self.width = min(max(Self.widths.lowerBound, width), Self.widths.upperBound)
        self.tensorNamer = tensorNamer
        self.write = write
    }

    public func show(_ tensor: Tensor, options: ShowOptions) throws {
        let state = try ShowRequest.view(tensor, options: options)
        write(AnsiEncoder(mode: mode).encodeText(FeatureMapPanel.plainBuffer(state, width: width, maxRows: Self.maxRows)))
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

    /// Without a pane nothing is re-evaluated: the value is printed once.
    public func watch(expression: String, value: String) throws {
        write("watch \(Escaping.printable(expression)): \(Escaping.printable(value))\n")
    }

    public func saveImage(_ tensor: Tensor, path: String, colormap: String?) throws {
        try ImageExport.write(tensor, path: path, colormap: colormap)
    }
}
