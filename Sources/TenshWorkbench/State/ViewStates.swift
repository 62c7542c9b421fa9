import TenshEngine
import TenshRender
import TenshText

/// The feature-map view of one tensor: which sample and channel, zoom, colours.
public struct FeatureMapState {
    public var tensor: Tensor
    public var maps: FeatureMaps
    /// The expression shown (`x`, `w.grad`); names the status-line index.
    public var title: String
    public var colormap: Colormap
    public var globalNormalization: Bool
    /// The channel under the cursor (for bars: unused, 0).
    public var channel = 0
    /// Zoomed into `channel` with a pixel cursor at (row, column).
    public var zoomed = false
    public var row = 0
    public var column = 0

    public init(tensor: Tensor, title: String, sample: Int = 0, colormap: Colormap = .viridis,
                globalNormalization: Bool = false) throws {
        self.tensor = tensor
        self.maps = try FeatureMaps(tensor, sample: sample)
        self.title = title
        self.colormap = colormap
        self.globalNormalization = globalNormalization
    }

    /// The colour scale of a channel under the current normalisation.
    public func scale(ofChannel c: Int) -> ColorScale {
        let ranges = maps.ranges(global: globalNormalization)
        let range = c < ranges.count ? ranges[c] : (ranges.first ?? ValueRange(min: 0, max: 0))
        return ColorScale(colormap: colormap, range: range)
    }

    /// Arrow keys move over pixels (zoomed, a 2-d image, or bars) rather than channels.
    public var usesPixelCursor: Bool { zoomed || maps.isBars || maps.isImage }

    /// `x[0, 2, 3, 4] = 0.25` for the pixel cursor (zoomed, or bars).
    public var cursorText: String {
        let c = maps.isBars ? 0 : channel
        let v = maps.value(channel: c, row: row, column: column)
        return maps.indexText(name: title, channel: c, row: row, column: column) + " = " + NumberText.precise(v)
    }

    /// Rows and columns of the cursor's space: the channel's pixels, or the bars.
    var pixelBounds: (rows: Int, columns: Int) {
        if maps.isBars { return (1, maps.bars.count) }
        guard channel < maps.channels.count else { return (0, 0) }
        return (maps.channels[channel].rows, maps.channels[channel].columns)
    }
}

/// The graph view: the graph, what is drawn of it (collapsed or not, bordered
/// by gradient size or not), selection, scroll.
public struct GraphState {
    public var graph: AutogradGraph
    public var title: String
    public private(set) var collapsed: Bool
    /// Borders coloured by the norm of each node's gradient on a log scale (`m`).
    public private(set) var colorsByGradient: Bool
    public private(set) var model: GraphModel
    public private(set) var layout: GraphLayout
    /// The scale of the colours, while `colorsByGradient`.
    public private(set) var gradientScale: LogScale?
    public var selected: Int?
    public var scrollX = 0
    public var scrollY = 0

    public init(graph: AutogradGraph, title: String, collapsed: Bool = true, colorsByGradient: Bool = false) {
        self.graph = graph
        self.title = title
        self.collapsed = collapsed
        self.colorsByGradient = colorsByGradient
        (model, layout, gradientScale) = Self.drawing(graph, collapsed: collapsed, colorsByGradient: colorsByGradient)
        // Start on the output: it is what the user asked about.
        self.selected = model.nodes.first { $0.kind == .output }?.id ?? model.nodes.first?.id
    }

    private static func drawing(_ graph: AutogradGraph, collapsed: Bool, colorsByGradient: Bool)
        -> (GraphModel, GraphLayout, LogScale?) {
        var scale: LogScale?
        var model = graph.model
        if colorsByGradient { (model, scale) = graph.coloredByGradient() }
        if collapsed { model = model.collapsingChains() }
        return (model, GraphLayout(model: model), scale)
    }

    /// Switches between collapsed and full drawing, keeping the selection when it still exists.
    public mutating func setCollapsed(_ value: Bool) {
        collapsed = value
        (model, layout, gradientScale) = Self.drawing(graph, collapsed: collapsed, colorsByGradient: colorsByGradient)
        if let s = selected, model.node(id: s) == nil {
            selected = model.nodes.first { $0.members.contains(s) }?.id ?? model.nodes.first?.id
        }
    }

    public mutating func setColorsByGradient(_ value: Bool) {
        colorsByGradient = value
        (model, layout, gradientScale) = Self.drawing(graph, collapsed: collapsed, colorsByGradient: colorsByGradient)
    }

    public var selectedNode: GraphNode? { selected.flatMap { model.node(id: $0) } }
}

/// The plot view: one or more series (a loss curve).
public struct PlotState {
    public var series: [TenshRender.PlotSeries]
    public var title: String

    public init(series: [TenshRender.PlotSeries], title: String) {
        self.series = series
        self.title = title
    }
}

/// What the pane shows.
public enum PaneContent {
    case empty
    case featureMaps(FeatureMapState)
    case graph(GraphState)
    case plot(PlotState)
    case stats(StatsState)
    case histogram(HistogramState)
    case filters(FilterState)
    case picture(PictureState)
    case explain(ExplainState)

    /// A short name for titles and the status line.
    public var kindName: String {
        switch self {
        case .empty: return "pane"
        case .featureMaps: return "feature maps"
        case .graph: return "graph"
        case .plot: return "plot"
        case .stats: return "stats"
        case .histogram: return "hist"
        case .filters: return "filters"
        case .picture: return "picture"
        case .explain: return "explain"
        }
    }

    /// The pane's title: `show x`, `graph loss`, `stats loss`, …
    public var title: String {
        switch self {
        case .empty: return "pane"
        case let .featureMaps(v): return "show \(v.title)"
        case let .graph(v): return "graph \(v.title)"
        case let .plot(v): return "plot \(v.title)"
        case let .stats(v): return "stats \(v.title)"
        case let .histogram(v): return "hist \(v.title)"
        case let .filters(v): return "filters \(v.title)"
        case let .picture(v): return "show \(v.title)"
        case let .explain(v): return "explain \(v.title)"
        }
    }
}
