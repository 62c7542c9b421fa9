import TenshRender
import TenshText

/// Composes the whole screen from the state: the pane (on top, or at the right
/// on wide terminals), watches, the transcript, the input line and the status
/// line. Pure: the backend paints the result's diff.
public enum WorkbenchScreen {
    public static let paneFocusStyle = Style(fg: Color(hex: 0xffd75f), attributes: [.bold])
    public static let errorStyle = Style(fg: Color(hex: 0xe06c75))
    public static let echoStyle = Style(attributes: [.bold])
    public static let watchStyle = Style(fg: Color(hex: 0x56b6c2))

    public static func render(_ state: WorkbenchState) -> Buffer {
        var buffer = Buffer(width: state.width, height: state.height)
        guard let layout = state.layout else {
            let text = "terminal too small: tensh needs at least 80x24 (now \(state.width)x\(state.height))"
            buffer.setString(x: 0, y: 0, text)
            return buffer
        }
        if let pane = layout.pane { drawPane(state, into: &buffer, area: pane) }
        drawTranscript(state, into: &buffer, area: layout.transcript)
        drawInput(state, into: &buffer, area: layout.input)
        StatusLine(left: statusLeft(state), right: statusRight(state)).draw(into: &buffer, area: layout.status)
        return buffer
    }

    /// Where the terminal cursor goes: in the input line while the prompt has focus.
    public static func cursor(_ state: WorkbenchState) -> (x: Int, y: Int)? {
        guard state.focus == .prompt, let input = state.layout?.input else { return nil }
        let line = inputLineLayout(state, width: input.width)
        return (input.x + line.cursor, input.y)
    }

    static func drawPane(_ state: WorkbenchState, into buffer: inout Buffer, area: Rect) {
        let focused = state.focus == .pane
        let title = paneTitle(state.content) + (focused ? " · focus" : "")
        let inner = Block(title: title, style: focused ? paneFocusStyle : Style(attributes: [.dim]))
            .draw(into: &buffer, area: area)
        switch state.content {
        case .empty:
            let hints = ["show(x) draws feature maps here, graph(y) the autograd graph, plot(v) a chart.",
                         "F2 (or Tab on an empty line) moves the focus between prompt and pane."]
            for (i, hint) in hints.enumerated() {
                buffer.setString(x: inner.x + 1, y: inner.y + i, hint, style: Style(attributes: [.dim]), clip: inner)
            }
        case let .featureMaps(view): FeatureMapPanel.draw(view, into: &buffer, area: inner, interactive: true)
        case let .graph(view): GraphPanel.draw(view, into: &buffer, area: inner)
        case let .plot(view): PlotPanel.draw(view, into: &buffer, area: inner)
        case let .stats(view): StatsPanel.draw(view, into: &buffer, area: inner)
        case let .histogram(view): HistogramPanel.draw(view, into: &buffer, area: inner)
        case let .filters(view): FilterPanel.draw(view, into: &buffer, area: inner)
        case let .picture(view): PicturePanel.draw(view, into: &buffer, area: inner, interactive: true)
        case let .explain(view): ExplainPanel.draw(view, into: &buffer, area: inner)
        }
    }

    static func paneTitle(_ content: PaneContent) -> String { content.title }

    /// Watches sit above the transcript, one row each (at most a third of its rows).
    static func drawTranscript(_ state: WorkbenchState, into buffer: inout Buffer, area: Rect) {
        let watchRows = min(state.watches.count, area.height / 3)
        let (watchArea, rest) = area.splitTop(watchRows)
        for (i, watch) in state.watches.prefix(watchRows).enumerated() {
            let firstLine = watch.text.split(separator: "\n").first.map(String.init) ?? ""
            buffer.setString(x: watchArea.x, y: watchArea.y + i, "watch \(watch.expression): \(firstLine)",
                             style: watch.isError ? errorStyle : watchStyle, clip: watchArea)
        }
        TextPane(lines: state.transcript, scrollBack: state.transcriptScrollBack).draw(into: &buffer, area: rest)
    }

    static func drawInput(_ state: WorkbenchState, into buffer: inout Buffer, area: Rect) {
        let line = inputLineLayout(state, width: area.width)
        let style = state.focus == .prompt ? Style.plain : Style(attributes: [.dim])
        buffer.setString(x: area.x, y: area.y, line.text, style: style, clip: area)
    }

    /// The visible part of prompt + line, scrolled so the cursor stays on screen.
    static func inputLineLayout(_ state: WorkbenchState, width: Int) -> (text: String, cursor: Int) {
        let point = min(max(0, state.linePoint), state.line.count)
        let beforeCursor = state.prompt + String(state.line.prefix(point))
        let full = state.prompt + state.line
        let cursorColumn = DisplayWidth.of(beforeCursor)
        guard width > 1, cursorColumn >= width else { return (full, cursorColumn) }
        // Drop whole characters from the left until the cursor fits, keeping a margin.
        var dropped = 0, droppedWidth = 0
        let chars = Array(full)
        while cursorColumn - droppedWidth >= width - 1, dropped < chars.count {
            droppedWidth += DisplayWidth.of(chars[dropped])
            dropped += 1
        }
        return (String(chars[dropped...]), cursorColumn - droppedWidth)
    }

    public static func statusLeft(_ state: WorkbenchState) -> String {
        if let message = state.message { return message }
        if let busy = state.busy { return busy }
        switch state.content {
        case let .featureMaps(view):
            if view.usesPixelCursor { return view.cursorText }
            let range = view.scale(ofChannel: view.channel).range
            let count = view.maps.channels.count
            return "\(view.title)  c\(view.channel) of \(count)  min \(NumberText.short(range.min))  max \(NumberText.short(range.max))"
        case let .graph(view):
            guard let node = view.selectedNode else { return "graph" }
            return GraphTree.describe(node)
        case let .plot(view):
            // An unnamed series (plot(losses)) is named by the plot's title, else "last".
            let fallback = view.title.isEmpty ? "last" : view.title
            return view.series.map { s in
                "\(s.name.isEmpty ? fallback : s.name): \(s.values.last.map(NumberText.short) ?? "-")"
            }.joined(separator: "  ")
        case let .stats(view):
            guard view.selected < view.rows.count else { return "stats" }
            let r = view.rows[view.selected]
            return "#\(r.index) \(r.name) \(r.op) \(shapeText(r.shape))  |grad| \(r.gradientNorm.map(NumberText.short) ?? "-")"
        case let .histogram(view): return HistogramPanel.header(view)
        case let .filters(view): return view.selectionText
        case let .picture(view): return view.cursorText
        case let .explain(view):
            let e = view.explanation
            return "terms \(min(view.firstTerm + 1, e.terms.count))–\(e.terms.count)  total \(NumberText.precise(e.total))"
        case .empty:
            return "tensh"
        }
    }

    /// Key hints, short enough to fit beside the status text on 80 columns.
    public static func statusRight(_ state: WorkbenchState) -> String {
        guard state.focus == .pane else { return "F2 pane  :pane off  :quit" }
        switch state.content {
        case let .featureMaps(view):
            if view.usesPixelCursor { return "e explain  n/p  m cmap  g norm  q back" }
            return "↵ zoom  n/p  m cmap  g norm  q back"
        case .graph: return "↵ value  G grad  m colour  c collapse  q back"
        case .stats: return "↑↓ node  ↵ value  G grad  q back"
        case .histogram: return "l log scale  q back"
        case .filters: return "arrows filter  ↵ zoom  m cmap  g norm  q back"
        case .picture: return "arrows pixel  o overlay  m cmap  q back"
        case .explain: return "↑↓ scroll terms  q back"
        default: return "PgUp/PgDn scroll  q back"
        }
    }
}
