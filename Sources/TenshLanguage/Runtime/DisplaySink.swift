import TenshEngine

/// Where `show`, `graph` and `plot` draw. The language only describes what to
/// show; the workbench implements this protocol twice: the ncurses pane, and
/// deterministic text for plain mode (`--plain`, no TTY, scripts).
public protocol DisplaySink: AnyObject {
    /// Feature maps of `tensor` (`[N, C, H, W]`, `[C, H, W]`, `[H, W]` or `[L]`).
    func show(_ tensor: Tensor, options: ShowOptions) throws
    /// The autograd graph that produced `tensor`.
    func showGraph(of tensor: Tensor, title: String) throws
    /// A line chart of one or more series (a loss curve).
    func plot(_ series: [PlotSeries], title: String) throws
    /// Writes the feature maps of `tensor` as a PNG file (`save_image`).
    func saveImage(_ tensor: Tensor, path: String, colormap: String?) throws
    /// `watch(expr)`: `expression` is the source text of the argument, `value`
    /// its value now (as `print` writes it). The pane keeps the expression and
    /// re-evaluates it after every statement; plain text prints it once.
    func watch(expression: String, value: String) throws
}

/// Options of `show(x, ...)`.
public struct ShowOptions: Sendable, Equatable {
    /// Which sample of a 4-d tensor to show.
    public var sample = 0
    /// `viridis`, `gray` or `diverging`; nil picks viridis, or diverging for gradients.
    public var colormap: String?
    /// One min/max over all channels instead of per channel.
    public var globalNormalization = false
    /// A label for the view, usually the expression shown (`x`, `w.grad`).
    public var title = ""

    public init(sample: Int = 0, colormap: String? = nil, globalNormalization: Bool = false, title: String = "") {
        self.sample = sample
        self.colormap = colormap
        self.globalNormalization = globalNormalization
        self.title = title
    }
}

/// One line of a plot.
public struct PlotSeries: Sendable, Equatable {
    public var label: String
    public var values: [Double]
    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}
