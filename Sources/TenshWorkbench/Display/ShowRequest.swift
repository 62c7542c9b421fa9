import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// Turns `show(x, ...)`, `plot(...)`, `hist(...)`, `stats(...)` and
/// `explain(...)` arguments into views; shared by both displays. Titles and
/// labels are user text: they are escaped here.
enum ShowRequest {
    /// What `show` draws: a picture in true colour (an overlay, `rgb=true`, or a
    /// `load_image` result of 1 or 3 channels), a grid of filters (`filters=true`,
    /// or a 4-d parameter), else feature maps.
    static func content(_ tensor: Tensor, options: ShowOptions) throws -> PaneContent {
        let title = options.title.isEmpty ? "x" : Escaping.printable(options.title)
        if isPicture(tensor, options) {
            return .picture(try PictureState(tensor: tensor, overlay: options.overlay, title: title, alpha: options.alpha,
                                             colormap: try colormap(named: options.colormap, gradient: false)))
        }
        if options.filters ?? (tensor.rank == 4 && tensor.isLeaf && tensor.requiresGrad) {
            return .filters(try FilterState(tensor: tensor, title: title, colormap: try colormap(named: options.colormap, gradient: true)))
        }
        return .featureMaps(try view(tensor, options: options))
    }

    /// A picture: asked for (`overlay=`, `rgb=true`), or an image `load_image` made with 1 or 3 channels.
    static func isPicture(_ t: Tensor, _ options: ShowOptions) -> Bool {
        if options.overlay != nil { return true }
        if let rgb = options.rgb { return rgb }
        guard t.isImage else { return false }
        let channels = t.rank == 3 ? t.shape[0] : t.rank == 4 && t.shape[0] == 1 ? t.shape[1] : t.rank == 2 ? 1 : 0
        return channels == 1 || channels == 3
    }

    static func histogram(_ tensor: Tensor, options: HistogramOptions) throws -> HistogramState {
        try HistogramState(tensor: tensor, bins: options.bins, logScale: options.logScale,
                           title: options.title.isEmpty ? "x" : Escaping.printable(options.title))
    }

    static func explanation(_ tensor: Tensor, index: [Int], title: String, name: (Tensor) -> String?) throws -> ExplainState {
        let e = try ElementExplanation(tensor, index: index)
        return ExplainState(explanation: e, title: title.isEmpty ? "y" : Escaping.printable(title),
                            inputName: name(e.input).map(Escaping.printable) ?? "x",
                            weightName: e.weight.flatMap(name).map(Escaping.printable) ?? "w")
    }
    /// The view for `tensor`; throws for unknown colormaps and unshowable tensors.
    static func view(_ tensor: Tensor, options: ShowOptions) throws -> FeatureMapState {
        let isGradient = options.title.hasSuffix(".grad") || options.title.hasPrefix("grad(")
        let colormap = try colormap(named: options.colormap, gradient: isGradient)
        return try FeatureMapState(tensor: tensor, title: options.title.isEmpty ? "x" : Escaping.printable(options.title),
                                  sample: options.sample, colormap: colormap,
                                  globalNormalization: options.globalNormalization)
    }

    /// nil picks viridis, or the diverging map (centred on 0) for gradients.
    static func colormap(named name: String?, gradient: Bool) throws -> Colormap {
        guard let name else { return gradient ? .diverging : .viridis }
        guard let map = Colormap(rawValue: name.lowercased()) else {
            let known = Colormap.allCases.map(\.rawValue).joined(separator: ", ")
            throw EngineError(op: "show", argument: "cmap", "unknown colormap \(Escaping.pythonRepr(name)) (expected one of \(known))")
        }
        return map
    }

    static func plotView(_ series: [TenshLanguage.PlotSeries], title: String) throws -> PlotState {
        guard !series.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            throw EngineError(op: "plot", argument: "values", "nothing to plot (no values)")
        }
        return PlotState(series: series.map { TenshRender.PlotSeries(Escaping.printable($0.label), values: $0.values) },
                         title: Escaping.printable(title))
    }
}
