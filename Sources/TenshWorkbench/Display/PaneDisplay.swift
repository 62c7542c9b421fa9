import TenshEngine
import TenshLanguage
import TenshText

/// `show`, `graph` and `plot` in the workbench: they replace what the pane shows.
/// Holds the workbench weakly (the workbench owns the evaluator, which owns the
/// session, which owns this display).
public final class PaneDisplay: DisplaySink {
    public weak var workbench: Workbench?

    public init(workbench: Workbench) { self.workbench = workbench }

    public func show(_ tensor: Tensor, options: ShowOptions) throws {
        let view = try ShowRequest.view(tensor, options: options)
        workbench?.present(.featureMaps(view))
    }

    public func showGraph(of tensor: Tensor, title: String) throws {
        let namer = workbench?.tensorNamer ?? { _ in nil }
        let view = GraphState(graph: AutogradGraph(root: tensor, name: namer), title: Escaping.printable(title))
        workbench?.present(.graph(view))
    }

    public func plot(_ series: [TenshLanguage.PlotSeries], title: String) throws {
        workbench?.present(.plot(try ShowRequest.plotView(series, title: title)))
    }

    /// Adds the expression to the watch list; it is evaluated after the running
    /// statement ends (evaluating it now would re-enter the busy session).
    public func watch(expression: String, value: String) throws {
        workbench?.registerWatch(expression, current: value)
    }

    public func saveImage(_ tensor: Tensor, path: String, colormap: String?) throws {
        try ImageExport.write(tensor, path: path, colormap: colormap)
    }
}
