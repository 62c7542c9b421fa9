import TenshEngine
import TenshLanguage
import TenshText

/// `show`, `graph`, `plot`, `stats`, `hist` and `explain` in the workbench: they
/// replace what the pane shows. Holds the workbench weakly (the workbench owns
/// the evaluator, which owns the session, which owns this display).
public final class PaneDisplay: ImageFileDisplay {
    public weak var workbench: Workbench?

    public init(workbench: Workbench) { self.workbench = workbench }

    public func show(_ tensor: Tensor, options: ShowOptions) throws {
        let content = try ShowRequest.content(tensor, options: options)
        workbench?.present(content)
    }

    public func showGraph(of tensor: Tensor, title: String) throws {
        guard let workbench else { return }
        workbench.present(.graph(GraphState(graph: workbench.graph(of: tensor), title: Escaping.printable(title))))
    }

    public func plot(_ series: [TenshLanguage.PlotSeries], title: String) throws {
        let view = try ShowRequest.plotView(series, title: title)
        workbench?.present(.plot(view))
    }

    /// Adds the expression to the watch list; it is evaluated after the running
    /// statement ends (evaluating it now would re-enter the busy session).
    public func watch(expression: String, value: String) throws {
        workbench?.registerWatch(expression, current: value)
    }

    public func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws {
        workbench?.present(.stats(StatsState(root: root, rows: rows, title: Escaping.printable(title))))
    }

    public func histogram(_ tensor: Tensor, options: HistogramOptions) throws {
        let view = try ShowRequest.histogram(tensor, options: options)
        workbench?.present(.histogram(view))
    }

    public func explain(_ tensor: Tensor, index: [Int], title: String) throws {
        let view = try ShowRequest.explanation(tensor, index: index, title: title, name: workbench?.tensorNamer ?? { _ in nil })
        workbench?.present(.explain(view))
    }
}
