import TenshRender

extension WorkbenchState {
    /// Applies one action; returns what must be redrawn. Pure: no terminal, no evaluation.
    public mutating func update(_ action: Action) -> Reaction {
        message = nil
        switch action {
        case .toggleFocus:
            focus = focus == .prompt && paneVisible ? .pane : .prompt
            return [.focus, .pane, .status, .input]
        case .focusPrompt:
            focus = .prompt
            return [.focus, .pane, .status, .input]
        case let .resize(w, h):
            width = max(0, w)
            height = max(0, h)
            revealGraphSelection()
            return .everything
        case let .setPaneVisible(visible):
            paneVisible = visible
            if !visible { focus = .prompt }
            return [.everything, .focus]
        case let .scrollTranscript(rows):
            transcriptScrollBack = max(0, transcriptScrollBack + rows)
            return [.transcript]
        case .back:
            return goBack()
        default:
            return updateContent(action)
        }
    }

    /// `q`/`Esc`: unzoom first, then return to the view we came from, then to the prompt.
    mutating func goBack() -> Reaction {
        if case var .featureMaps(view) = content, view.zoomed {
            view.zoomed = false
            content = .featureMaps(view)
            return [.pane, .status]
        }
        if let previous = backStack.popLast() {
            content = previous
            return [.pane, .status]
        }
        focus = .prompt
        return [.focus, .pane, .status, .input]
    }

    mutating func updateContent(_ action: Action) -> Reaction {
        switch content {
        case var .featureMaps(view):
            if action == .explainCursor { return explainCursor(view) }
            let reaction = updateFeatureMaps(&view, action)
            content = .featureMaps(view)
            return reaction
        case var .graph(view):
            let reaction = updateGraph(&view, action)
            if case .graph = content { content = .graph(view) }  // Enter/G may have replaced it
            return reaction
        case var .stats(view):
            let reaction = updateStats(&view, action)
            if case .stats = content { content = .stats(view) }
            return reaction
        case var .histogram(view):
            let reaction = updateHistogram(&view, action)
            content = .histogram(view)
            return reaction
        case var .filters(view):
            let reaction = updateFilters(&view, action)
            if case .filters = content { content = .filters(view) }
            return reaction
        case var .picture(view):
            let reaction = updatePicture(&view, action)
            content = .picture(view)
            return reaction
        case var .explain(view):
            let reaction = updateExplain(&view, action)
            content = .explain(view)
            return reaction
        case .plot, .empty:
            return []
        }
    }

    /// The pane's inner area (inside its border), nil when hidden or too small.
    public var paneInner: Rect? {
        guard paneVisible, let pane = layout?.pane else { return nil }
        return pane.inset(dx: 1, dy: 1)
    }

    // MARK: feature maps

    mutating func updateFeatureMaps(_ view: inout FeatureMapState, _ action: Action) -> Reaction {
        switch action {
        case let .move(dx, dy):
            moveCursor(&view, dx: dx, dy: dy)
        case .zoom:
            guard !view.maps.isBars, !view.maps.isImage else { return [] }
            view.zoomed = true
            let b = view.pixelBounds
            view.row = min(view.row, max(0, b.rows - 1))
            view.column = min(view.column, max(0, b.columns - 1))
        case .nextSample, .previousSample:
            let step = action == .nextSample ? 1 : -1
            let n = view.maps.sampleCount
            guard n > 1 else { message = "only one sample"; return [.status] }
            let sample = (view.maps.sample + step + n) % n
            do { view.maps = try FeatureMaps(view.tensor, sample: sample) } catch { message = "\(error)" }
        case .cycleColormap:
            view.colormap = view.colormap.next
        case .toggleNormalization:
            view.globalNormalization.toggle()
        default:
            return []
        }
        return [.pane, .status]
    }

    /// Grid: left/right step channels, up/down step a grid row. Zoomed or bars: the pixel cursor.
    func moveCursor(_ view: inout FeatureMapState, dx: Int, dy: Int) {
        if view.usesPixelCursor {
            let b = view.pixelBounds
            view.row = min(max(0, view.row + dy), max(0, b.rows - 1))
            view.column = min(max(0, view.column + dx), max(0, b.columns - 1))
            return
        }
        let perRow = paneInner.map { FeatureMapPanel.channelsPerRow(view, body: FeatureMapPanel.body(of: $0)) } ?? 1
        let target = view.channel + dx + dy * perRow
        if target >= 0, target < view.maps.channels.count { view.channel = target }
    }

    // MARK: graph

    mutating func updateGraph(_ view: inout GraphState, _ action: Action) -> Reaction {
        switch action {
        case let .move(dx, dy):
            guard let from = view.selected else { return [] }
            let direction: GraphDirection = dx < 0 ? .left : dx > 0 ? .right : dy < 0 ? .up : .down
            if let next = view.layout.neighbour(of: from, direction) { view.selected = next }
            reveal(&view)
        case let .scroll(dx, dy):
            let body = graphBody(view)
            view.scrollX = min(max(0, view.scrollX + dx), max(0, view.layout.width - body.width))
            view.scrollY = min(max(0, view.scrollY + dy), max(0, view.layout.height - body.height))
        case .toggleCollapse:
            view.setCollapsed(!view.collapsed)
            reveal(&view)
        case .toggleGradientColors:
            guard !view.graph.gradientNorms.isEmpty else {
                message = "no node has a gradient yet: call backward(y) first"
                return [.status]
            }
            view.setColorsByGradient(!view.colorsByGradient)
        case .showSelectedValue, .showSelectedGradient:
            return showSelected(view, gradient: action == .showSelectedGradient)
        default:
            return []
        }
        return [.pane, .status]
    }

    func graphBody(_ view: GraphState) -> Rect {
        paneInner.map { GraphPanel.body(of: $0, view) } ?? Rect(x: 0, y: 0, width: 0, height: 0)
    }

    func reveal(_ view: inout GraphState) {
        guard let id = view.selected else { return }
        let body = graphBody(view)
        let offsets = GraphView.scrollOffsets(revealing: id, in: view.layout, width: body.width, height: body.height,
                                              current: (view.scrollX, view.scrollY))
        view.scrollX = offsets.x
        view.scrollY = offsets.y
    }

    mutating func revealGraphSelection() {
        guard case var .graph(view) = content else { return }
        reveal(&view)
        content = .graph(view)
    }

    /// Opens the selected node's value (or gradient) as `show` draws it; `q` returns to the graph.
    mutating func showSelected(_ graphView: GraphState, gradient: Bool) -> Reaction {
        guard let node = graphView.selectedNode, let tensor = graphView.graph.tensors[node.id] else { return [] }
        return open(tensor, named: node.title, gradient: gradient, from: .graph(graphView),
                    gradientOf: graphView.graph.gradients[node.id])
    }
}
