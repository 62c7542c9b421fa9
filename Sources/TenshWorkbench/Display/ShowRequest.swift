import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// Turns `show(x, ...)` and `plot(...)` arguments into views; shared by both
/// displays. Titles and labels are user text: they are escaped here.
enum ShowRequest {
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
