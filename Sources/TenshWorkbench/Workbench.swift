import Foundation
import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// The workbench's model: state plus the evaluator. Lines come in from the
/// input (readline in the terminal, strings in tests), keys from the pane; both
/// return a `Reaction` telling the loop what to repaint. Pure of any terminal.
public final class Workbench {
    public internal(set) var state: WorkbenchState
    public let evaluator: LineEvaluator
    /// Called while a statement runs when the pane or transcript changed (a plot
    /// updated each epoch, printed output): the backend repaints then.
    public var onLiveUpdate: (() -> Void)?
    /// Names tensors in graphs (`x`, `w`), after the session's variables.
    public var tensorNamer: (Tensor) -> String? = { _ in nil }
    /// The session's store of op gradients from the last backward: `|grad|` on
    /// every graph node, `G` on any node, and a notice when it could not keep them all.
    public var retainedGradients: RetainedGradients?
    private var noticedRetention = 0
    /// Set when a line asked to leave (`:quit`, `exit(n)`).
    public private(set) var exitCode: Int32?
    private var entry = EntryBuffer()

    public init(evaluator: LineEvaluator, width: Int = 80, height: Int = 24) {
        self.evaluator = evaluator
        self.state = WorkbenchState(width: width, height: height)
    }

    /// A key pressed while the pane has focus.
    @discardableResult
    public func handle(_ key: Key) -> Reaction {
        guard let action = KeyMap.action(for: key, in: state) else { return [] }
        return state.update(action)
    }

    @discardableResult
    public func perform(_ action: Action) -> Reaction { state.update(action) }

    /// The input line as readline shows it (prompt may be readline's search prompt).
    public func setInputLine(prompt: String, line: String, point: Int) {
        state.prompt = prompt
        state.line = line
        state.linePoint = point
    }

    /// The prompt readline should show next.
    public var prompt: String { entry.prompt }

    /// Output printed while a statement runs (the session's `print`).
    public func appendOutput(_ text: String, isError: Bool = false) {
        state.append(text, style: isError ? WorkbenchScreen.errorStyle : .plain)
        onLiveUpdate?()
    }

    /// A progress text for the status line while a statement runs (`progress(...)`
    /// in a loop: `epoch 3/10  12.5 it/s  ETA 4s`); nil restores the default.
    public func setProgress(_ text: String?) {
        state.busy = text ?? "running…  (Ctrl-C cancels)"
        onLiveUpdate?()
    }

    /// One line typed at the prompt: a pane command, `watch(...)`, or the language.
    /// The entry is prepared (lexed and parsed) once; `onLiveUpdate` fires once
    /// before it runs, so the echo and the busy status are on screen meanwhile.
    @discardableResult
    public func submit(_ line: String) -> Reaction {
        state.append(prompt + line, style: WorkbenchScreen.echoStyle)
        let source = entry.add(line)
        if EntryBuffer.isBlank(source) {
            entry.clear()
            return [.transcript, .input]
        }
        if let reaction = runPaneCommand(source) {
            entry.clear()
            return reaction
        }
        guard let evaluation = evaluator.prepare(source) else { return [.transcript, .input] }
        entry.clear()
        if let expression = Self.watchExpression(source.trimmingCharacters(in: .whitespaces)) {
            addWatch(expression)
            return [.transcript]
        }
        let isReset = ReplCommand.parse(source)?.command?.action == .reset
        let reaction = run(evaluation)
        if isReset { clearPane() }
        return reaction
    }

    /// `:reset`: the variables are gone, so are the watches on them and what the pane showed.
    func clearPane() {
        clearWatches()
        state.content = .empty
        state.backStack = []
        state.focus = .prompt
    }

    /// The gradient of a graph node's output: `.grad`, else the one the last backward kept.
    public func gradient(of tensor: Tensor) -> Tensor? {
        tensor.grad ?? retainedGradients?.gradient(of: tensor)
    }

    /// The graph behind `root`, its nodes named after the session's variables.
    public func graph(of root: Tensor) -> AutogradGraph {
        AutogradGraph(root: root, name: tensorNamer, gradient: gradient(of:))
    }

    /// Ctrl-C at the prompt: forget the open lines of an unfinished entry.
    public func cancelPendingInput() {
        entry.clear()
    }

    /// Adds `expression` to the watch list and evaluates it now.
    public func addWatch(_ expression: String) {
        state.watches.removeAll { $0.expression == expression }
        state.watches.append(Watch(expression: expression))
        refreshWatches()
    }

    /// A `watch(expr)` call inside a running statement (a script line, a loop):
    /// shows `current` now; the next `refreshWatches` re-evaluates it.
    public func registerWatch(_ expression: String, current: String) {
        state.watches.removeAll { $0.expression == expression }
        let firstLine = current.split(separator: "\n").first.map(String.init) ?? current
        state.watches.append(Watch(expression: expression, text: firstLine))
        onLiveUpdate?()
    }

    public func clearWatches() { state.watches = [] }

    private func run(_ evaluation: () -> Evaluation) -> Reaction {
        state.busy = "running…  (Ctrl-C cancels)"
        defer { state.busy = nil }
        onLiveUpdate?()
        let result = evaluation()
        if !result.output.isEmpty { state.append(result.output) }
        if let error = result.error { state.append(error, style: WorkbenchScreen.errorStyle) }
        if let code = result.exitCode {
            exitCode = code
            return [.quit]
        }
        refreshWatches()
        refreshContent()
        noticeRetention()
        return [.transcript, .pane, .status, .input]
    }

    /// Says once per backward when its op gradients did not all fit the display limit.
    private func noticeRetention() {
        guard let store = retainedGradients, store.generation != noticedRetention else { return }
        noticedRetention = store.generation
        if let shortfall = store.shortfall { state.append("note: " + shortfall, style: WorkbenchScreen.watchStyle) }
    }

    /// The commands of `ReplCommand.all` that act on the pane (`:pane on|off`,
    /// `:unwatch`); nil for every other line, which the session runs.
    private func runPaneCommand(_ text: String) -> Reaction? {
        guard let (command, _, argument) = ReplCommand.parse(text), let command, command.needsPane else { return nil }
        switch (command.action, argument) {
        case (.pane, "on"), (.pane, "off"):
            return state.update(.setPaneVisible(argument == "on"))
        case (.pane, ""):
            state.append(state.paneVisible ? "pane is on (:pane off hides it)" : "pane is off (:pane on shows it)")
        case (.pane, _):
            state.append("\(command.usage): expected on or off, got \(Escaping.pythonRepr(argument))", style: WorkbenchScreen.errorStyle)
        default:
            clearWatches()
        }
        return [.transcript]
    }

    /// `watch(x.sum())` → `x.sum()`; nil when the text is not a lone watch call.
    static func watchExpression(_ text: String) -> String? {
        var body = text
        if body.hasSuffix(";") { body.removeLast() }
        body = body.trimmingCharacters(in: .whitespaces)
        guard body.hasPrefix("watch("), body.hasSuffix(")") else { return nil }
        let inner = body.dropFirst("watch(".count).dropLast().trimmingCharacters(in: .whitespaces)
        return inner.isEmpty ? nil : inner
    }

    /// Re-evaluates every watch (after each statement).
    public func refreshWatches() {
        for i in state.watches.indices {
            let result = evaluator.evaluateWatch(state.watches[i].expression)
            if let error = result.error {
                state.watches[i].text = error.split(separator: "\n").first.map(String.init) ?? error
                state.watches[i].isError = true
            } else {
                state.watches[i].text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                state.watches[i].isError = false
            }
        }
    }

    /// The pane follows the session: re-read the shown tensor (values may have
    /// changed in place), rebuild the graph and the statistics (gradients may be new).
    public func refreshContent() {
        switch state.content {
        case var .featureMaps(view):
            if let maps = try? FeatureMaps(view.tensor, sample: view.maps.sample) { view.maps = maps }
            state.content = .featureMaps(view)
        case let .graph(view):
            guard let root = view.graph.tensors[0] else { return }
            var fresh = GraphState(graph: graph(of: root), title: view.title, collapsed: view.collapsed,
                                   colorsByGradient: view.colorsByGradient)
            if let s = view.selected, fresh.model.node(id: s) != nil { fresh.selected = s }
            fresh.scrollX = view.scrollX
            fresh.scrollY = view.scrollY
            state.content = .graph(fresh)
        case var .stats(view):
            if let rows = try? NodeStatistics.of(view.root, name: tensorNamer, gradient: gradient(of:)) {
                view.rows = rows
                view.selected = min(view.selected, max(0, rows.count - 1))
            }
            state.content = .stats(view)
        case var .histogram(view):
            if let data = try? HistogramData(view.tensor, bins: view.bins) { view.data = data }
            state.content = .histogram(view)
        case var .filters(view):
            if let kernels = try? FilterKernels(view.tensor) { view.kernels = kernels }
            state.content = .filters(view)
        case var .picture(view):
            if let picture = try? Picture(view.tensor, overlay: view.overlay) { view.picture = picture }
            state.content = .picture(view)
        case .plot, .empty, .explain:
            break
        }
    }

    /// Replaces what the pane shows (the displays call this).
    func present(_ content: PaneContent) {
        state.content = content
        state.backStack = []
        if !state.paneVisible { state.message = "the pane is off: :pane on shows it" }
        state.revealGraphSelection()
        onLiveUpdate?()
    }

    /// Columns of the transcript (what `:vars` cuts its lines to).
    public var transcriptWidth: Int { state.layout?.transcript.width ?? state.width }

    /// The screen for the current state.
    public func render() -> Buffer { WorkbenchScreen.render(state) }
}
