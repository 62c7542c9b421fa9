import TenshRender

/// The graph view inside the pane: a header and the scrolled layout, and
/// while nodes are coloured by their gradient's size, the scale's legend.
public enum GraphPanel {
    public static func body(of area: Rect) -> Rect { area.splitTop(1).rest }

    /// The body of a view (the legend takes the last row while it shows).
    public static func body(of area: Rect, _ view: GraphState) -> Rect {
        view.gradientScale == nil ? body(of: area) : body(of: area).splitBottom(1).rest
    }

    public static func header(_ view: GraphState) -> String {
        var text = "graph of \(view.title.isEmpty ? "y" : view.title)  \(view.graph.model.nodes.count) nodes"
        if view.collapsed && view.model.nodes.count < view.graph.model.nodes.count {
            text += " (\(view.model.nodes.count) boxes, chains collapsed)"
        }
        if view.graph.truncated { text += "  (truncated)" }
        return text
    }

    public static func draw(_ view: GraphState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 2 else { return }
        let header = area.splitTop(1).top, body = body(of: area, view)
        buffer.setString(x: header.x, y: header.y, Self.header(view), style: Style(attributes: [.bold]), clip: header)
        GraphView(layout: view.layout, selected: view.selected, scrollX: view.scrollX, scrollY: view.scrollY)
            .draw(into: &buffer, area: body)
        if let scale = view.gradientScale {
            let legend = Rect(x: area.x, y: body.bottom, width: area.width, height: 1)
            scale.drawLegend(title: "border: |grad|", words: ("vanishing", "exploding"), into: &buffer, area: legend)
        }
    }
}

/// The plot view inside the pane: a header and the line chart.
public enum PlotPanel {
    public static func draw(_ view: PlotState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 2 else { return }
        let (header, body) = area.splitTop(1)
        let lengths = view.series.map { String($0.values.count) }.joined(separator: ", ")
        let text = "\(view.title.isEmpty ? "plot" : view.title)  \(view.series.count) series, \(lengths) points"
        buffer.setString(x: header.x, y: header.y, text, style: Style(attributes: [.bold]), clip: header)
        LinePlot(series: view.series).draw(into: &buffer, area: body)
    }
}
