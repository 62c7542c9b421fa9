import TenshEngine
import TenshRender
import TenshText

/// `stats(y)` in the pane: one row per graph node and a selected row, whose
/// value `Enter` shows and whose gradient `G` shows.
public struct StatsState {
    public var root: Tensor
    public var rows: [NodeStatistics]
    public var title: String
    public var selected = 0
    public var firstRow = 0

    public init(root: Tensor, rows: [NodeStatistics], title: String) {
        self.root = root
        self.rows = rows
        self.title = title
        selected = rows.firstIndex(where: \.isOrigin) ?? max(0, rows.count - 1)
    }
}

/// `hist(x)` in the pane.
public struct HistogramState {
    public var tensor: Tensor
    public var data: HistogramData
    public var bins: Int
    public var logScale: Bool
    public var title: String

    public init(tensor: Tensor, bins: Int, logScale: Bool, title: String) throws {
        self.tensor = tensor
        self.data = try HistogramData(tensor, bins: bins)
        self.bins = bins
        self.logScale = logScale
        self.title = title
    }
}

/// The kernels of a 4-d weight as a grid (`show(w)` of a parameter, or `filters=true`).
public struct FilterState {
    public var tensor: Tensor
    public var kernels: FilterKernels
    public var title: String
    public var colormap: Colormap
    /// One range over every kernel (weights compare), or one per kernel (shapes show).
    public var globalNormalization = true
    /// One colour picture per output channel (C_in = 3), or a kernel per input channel.
    public var color: Bool
    /// The selected kernel: output channel and (in the grid) input channel.
    public var out = 0
    public var input = 0

    public init(tensor: Tensor, title: String, colormap: Colormap) throws {
        self.tensor = tensor
        self.kernels = try FilterKernels(tensor)
        self.title = title
        self.colormap = colormap
        self.color = kernels.hasColorChannels
    }

    /// The render widget for this state.
    public var grid: FilterGrid {
        FilterGrid(kernels: kernels.kernels,
                   ranges: color ? kernels.colorRanges(global: globalNormalization) : kernels.ranges(global: globalNormalization),
                   colormap: colormap, color: color, selected: (out, color ? 0 : input))
    }

    /// `w[3, 1]  min -0.41  max 0.52` (in colour mode `w[3]`).
    public var selectionText: String {
        guard out < kernels.kernels.count else { return title }
        let row = kernels.kernels[out]
        let shown = color ? Array(row.prefix(3)) : (input < row.count ? [row[input]] : [])
        let range = ValueRange.union(shown.map(\.range))
        let index = color ? "[\(out)]" : "[\(out), \(input)]"
        return "\(title)\(index)  min \(NumberText.short(range.min))  max \(NumberText.short(range.max))"
    }
}

/// A picture in true colour, optionally with a heatmap blended over it.
public struct PictureState {
    public var tensor: Tensor
    public var overlay: Tensor?
    public var picture: Picture
    public var title: String
    public var alpha: Double
    public var colormap: Colormap
    public var showOverlay = true
    public var row = 0
    public var column = 0

    public init(tensor: Tensor, overlay: Tensor?, title: String, alpha: Double, colormap: Colormap) throws {
        self.tensor = tensor
        self.overlay = overlay
        self.picture = try Picture(tensor, overlay: overlay)
        self.title = title
        self.alpha = alpha
        self.colormap = colormap
    }

    /// The channels as drawn now.
    public var channels: [Matrix] {
        picture.blended(alpha: showOverlay ? alpha : 0, colormap: colormap)
    }

    /// `img[:, 3, 4] = (0.2, 0.5, 0.1)  overlay 0.83`.
    public var cursorText: String {
        let step = picture.base.step
        let position = "[:, \(row * step), \(column * step)]"
        return title + position + " = " + picture.valueText(row: row, column: column)
    }
}

/// `explain(y, [n, c, i, j])` in the pane, and the list of terms scrolled to `firstTerm`.
public struct ExplainState {
    public var explanation: ElementExplanation
    public var title: String
    public var inputName: String
    public var weightName: String
    public var firstTerm = 0

    public init(explanation: ElementExplanation, title: String, inputName: String, weightName: String) {
        self.explanation = explanation
        self.title = title
        self.inputName = inputName
        self.weightName = weightName
    }
}
