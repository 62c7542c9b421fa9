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
    /// Writes the feature maps of `tensor` as a PNG file (`save_image`), each pixel `scale` x `scale`.
    func saveImage(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws
    /// `watch(expr)`: `expression` is the source text of the argument, `value`
    /// its value now (as `print` writes it). The pane keeps the expression and
    /// re-evaluates it after every statement; plain text prints it once.
    func watch(expression: String, value: String) throws
    /// `stats(y)`: one row per graph node (a table in text, the stats view in the pane).
    func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws
    /// `hist(x, ...)`: a histogram of the values of `tensor`.
    func histogram(_ tensor: Tensor, options: HistogramOptions) throws
    /// `explain(y, index)`: the receptive field, kernel slice and products behind
    /// one element of a convolution or pooling output.
    func explain(_ tensor: Tensor, index: [Int], title: String) throws
    /// `save_image(img, path, overlay=heat)`: the picture with the heatmap blended over it, as a PNG.
    func savePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws
}

/// Displays that do not draw the newer views say so.
extension DisplaySink {
    public func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws {
        throw EngineError(op: "stats", argument: nil, "this display cannot show statistics")
    }

    public func histogram(_ tensor: Tensor, options: HistogramOptions) throws {
        throw EngineError(op: "hist", argument: nil, "this display cannot draw histograms")
    }

    public func explain(_ tensor: Tensor, index: [Int], title: String) throws {
        throw EngineError(op: "explain", argument: nil, "this display cannot explain elements")
    }

    public func savePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws {
        throw EngineError(op: "save_image", argument: "overlay", "this display cannot blend an overlay")
    }
}

/// Options of `show(x, ...)`.
public struct ShowOptions: Equatable {
    /// Which sample of a 4-d tensor to show.
    public var sample = 0
    /// `viridis`, `gray` or `diverging`; nil picks viridis, or diverging for gradients.
    public var colormap: String?
    /// One min/max over all channels instead of per channel.
    public var globalNormalization = false
    /// A label for the view, usually the expression shown (`x`, `w.grad`).
    public var title = ""
    /// Draw a 4-d `[C_out, C_in, kh, kw]` weight as a grid of kernels; nil: for parameters.
    public var filters: Bool?
    /// Draw a `[3, H, W]` / `[1, 3, H, W]` picture in [0, 1] in true colour; nil: for `load_image` results.
    public var rgb: Bool?
    /// A heatmap blended over the picture (`show(img, overlay=cam)`), and its weight.
    public var overlay: Tensor?
    public var alpha = 0.5

    public init(sample: Int = 0, colormap: String? = nil, globalNormalization: Bool = false, title: String = "",
                filters: Bool? = nil, rgb: Bool? = nil, overlay: Tensor? = nil, alpha: Double = 0.5) {
        self.sample = sample
        self.colormap = colormap
        self.globalNormalization = globalNormalization
        self.title = title
        self.filters = filters
        self.rgb = rgb
        self.overlay = overlay
        self.alpha = alpha
    }

    public static func == (a: ShowOptions, b: ShowOptions) -> Bool {
        a.sample == b.sample && a.colormap == b.colormap && a.globalNormalization == b.globalNormalization
            && a.title == b.title && a.filters == b.filters && a.rgb == b.rgb && a.overlay === b.overlay && a.alpha == b.alpha
    }
}

/// Options of `hist(x, ...)`.
public struct HistogramOptions: Equatable, Sendable {
    public var bins = 30
    /// Counts on a log scale (bars of log10(1 + count)).
    public var logScale = false
    public var title = ""

    public init(bins: Int = 30, logScale: Bool = false, title: String = "") {
        self.bins = bins
        self.logScale = logScale
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
