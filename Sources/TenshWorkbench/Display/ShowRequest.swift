import TenshEngine
import TenshLanguage
import TenshRender

/// Turns `show(x, ...)` options into a feature-map view; shared by both displays.
enum ShowRequest {
    /// The view for `tensor`; throws for unknown colormaps and unshowable tensors.
    static func view(_ tensor: Tensor, options: ShowOptions) throws -> FeatureMapState {
        let isGradient = options.title.hasSuffix(".grad") || options.title.hasPrefix("grad(")
        let colormap = try colormap(named: options.colormap, gradient: isGradient)
        return try FeatureMapState(tensor: tensor, title: options.title.isEmpty ? "x" : options.title,
                                  sample: options.sample, colormap: colormap,
                                  globalNormalization: options.globalNormalization)
    }

    /// nil picks viridis, or the diverging map (centred on 0) for gradients.
    static func colormap(named name: String?, gradient: Bool) throws -> Colormap {
        guard let name else { return gradient ? .diverging : .viridis }
        guard let map = Colormap(rawValue: name.lowercased()) else {
            let known = Colormap.allCases.map(\.rawValue).joined(separator: ", ")
            throw EngineError(op: "show", argument: "cmap", "unknown colormap '\(name)' (expected one of \(known))")
        }
        return map
    }

    static func plotView(_ series: [TenshLanguage.PlotSeries], title: String) throws -> PlotState {
        guard !series.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            throw EngineError(op: "plot", argument: "values", "nothing to plot (no values)")
        }
        return PlotState(series: series.map { TenshRender.PlotSeries($0.label, values: $0.values) }, title: title)
    }
}
