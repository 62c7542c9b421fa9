import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// The displays without the pane (`--plain`, no TTY, scripts): deterministic
/// text through `write`. Heatmaps and pictures use ANSI colours (24-bit or 256)
/// or, with `.none`, a character ramp; `graph` prints an indented tree, `stats`
/// a table, `explain` the terms. In a script (`defersPlots`) a plot is printed
/// once, when the script ends (`finish()`) or a plot with another title
/// replaces it, not at every call of a training loop.
public final class PlainDisplay: ImageFileDisplay {
    public var mode: AnsiEncoder.Mode
    /// Columns of the drawing (the terminal width when known, within `widths`).
    public private(set) var width: Int
    /// Names tensors in graphs (`x`, `w`) when the session knows them.
    public var tensorNamer: (Tensor) -> String?
    /// The gradient of a graph node: a leaf's `.grad`, or the one the last backward kept.
    public var gradientOf: (Tensor) -> Tensor? = { $0.grad }
    /// Hold each plot until `finish()` (scripts); print it at once (the plain REPL).
    public var defersPlots = false
    private var pendingPlot: PlotState?
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

    private func emit(_ buffer: Buffer) {
        write(AnsiEncoder(mode: mode).encodeText(buffer))
    }

    private func emit(_ lines: [String]) {
        write(lines.map { $0 + "\n" }.joined())
    }

    public func show(_ tensor: Tensor, options: ShowOptions) throws {
        switch try ShowRequest.content(tensor, options: options) {
        case let .picture(view): emit(PicturePanel.plainBuffer(view, width: width, maxRows: Self.maxRows))
        case let .filters(view): emit(FilterPanel.plainBuffer(view, width: width, maxRows: 4 * Self.maxRows))
        case let .featureMaps(view): emit(FeatureMapPanel.plainBuffer(view, width: width, maxRows: Self.maxRows))
        default: break
        }
    }

    public func showGraph(of tensor: Tensor, title: String) throws {
        let graph = AutogradGraph(root: tensor, name: tensorNamer, gradient: gradientOf)
        var lines = GraphTree.render(graph.model)
        if graph.truncated { lines.append("(graph truncated at \(graph.model.nodes.count) nodes)") }
        emit(lines)
    }

    public func plot(_ series: [TenshLanguage.PlotSeries], title: String) throws {
        let view = try ShowRequest.plotView(series, title: title)
        guard defersPlots else { return emit(Self.plotBuffer(view, width: width)) }
        if let pending = pendingPlot, pending.title != view.title { emit(Self.plotBuffer(pending, width: width)) }
        pendingPlot = view
    }

    /// Prints the plot held back (a script ended).
    public func finish() {
        if let pending = pendingPlot { emit(Self.plotBuffer(pending, width: width)) }
        pendingPlot = nil
    }

    static func plotBuffer(_ view: PlotState, width: Int) -> Buffer {
        var buffer = Buffer(width: width, height: 14)
        PlotPanel.draw(view, into: &buffer, area: buffer.area)
        return buffer
    }

    /// Without a pane nothing is re-evaluated: the value is printed once.
    public func watch(expression: String, value: String) throws {
        write("watch \(Escaping.printable(expression)): \(Escaping.printable(value))\n")
    }

    public func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws {
        emit(StatsPanel.plainLines(rows, title: Escaping.printable(title), width: width))
    }

    public func histogram(_ tensor: Tensor, options: HistogramOptions) throws {
        emit(HistogramPanel.plainBuffer(try ShowRequest.histogram(tensor, options: options), width: width))
    }

    public func explain(_ tensor: Tensor, index: [Int], title: String) throws {
        let view = try ShowRequest.explanation(tensor, index: index, title: title, name: tensorNamer)
        emit(view.explanation.lines(title: view.title, inputName: view.inputName, weightName: view.weightName))
    }
}
