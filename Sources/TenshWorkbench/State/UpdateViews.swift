import TenshEngine
import TenshLanguage
import TenshRender

/// Keys in the stats, histogram, filter, picture and explain views, and the
/// views they open (pushed on the back stack, so `q` returns).
extension WorkbenchState {
    mutating func updateStats(_ view: inout StatsState, _ action: Action) -> Reaction {
        switch action {
        case let .move(_, dy):
            view.selected = min(max(0, view.selected + dy), max(0, view.rows.count - 1))
            let visible = (paneInner.map { StatsPanel.body(of: $0).height } ?? 2) - 1
            view.firstRow = TextTable.firstRow(revealing: view.selected, visible: visible, current: view.firstRow)
        case .showSelectedValue, .showSelectedGradient:
            guard view.selected < view.rows.count else { return [] }
            let row = view.rows[view.selected]
            return open(row.tensor, named: row.name, gradient: action == .showSelectedGradient, from: .stats(view),
                        gradientOf: row.gradient)
        default:
            return []
        }
        return [.pane, .status]
    }

    mutating func updateHistogram(_ view: inout HistogramState, _ action: Action) -> Reaction {
        guard action == .toggleLogScale else { return [] }
        view.logScale.toggle()
        return [.pane, .status]
    }

    mutating func updateFilters(_ view: inout FilterState, _ action: Action) -> Reaction {
        switch action {
        case let .move(dx, dy):
            let outs = view.kernels.kernels.count, ins = view.kernels.kernels.first?.count ?? 1
            if view.color {
                let perRow = paneInner.map { view.grid.tilesPerRow(in: FilterPanel.body(of: $0)) } ?? 1
                let target = view.out + dx + dy * perRow
                if target >= 0, target < outs { view.out = target }
            } else {
                view.out = min(max(0, view.out + dy), outs - 1)
                view.input = min(max(0, view.input + dx), ins - 1)
            }
        case .cycleColormap:
            view.colormap = view.colormap.next
        case .toggleNormalization:
            view.globalNormalization.toggle()
        case .showSelectedValue:
            // The selected output channel's kernels as feature maps, zoomed into the selected one.
            do {
                let slice = try view.tensor.indexed([.at(view.out)])
                var maps = try FeatureMapState(tensor: slice, title: "\(view.title)[\(view.out)]", colormap: view.colormap)
                maps.channel = view.color ? 0 : view.input
                maps.zoomed = slice.rank == 3
                backStack.append(.filters(view))
                content = .featureMaps(maps)
            } catch {
                message = "\(error)"
                return [.status]
            }
        default:
            return []
        }
        return [.pane, .status]
    }

    mutating func updatePicture(_ view: inout PictureState, _ action: Action) -> Reaction {
        switch action {
        case let .move(dx, dy):
            view.row = min(max(0, view.row + dy), max(0, view.picture.rows - 1))
            view.column = min(max(0, view.column + dx), max(0, view.picture.columns - 1))
        case .toggleOverlay:
            guard view.overlay != nil else { message = "no overlay: show(img, overlay=heat) blends one"; return [.status] }
            view.showOverlay.toggle()
        case .cycleColormap:
            view.colormap = view.colormap.next
        default:
            return []
        }
        return [.pane, .status]
    }

    mutating func updateExplain(_ view: inout ExplainState, _ action: Action) -> Reaction {
        guard case let .move(_, dy) = action else { return [] }
        let count = view.explanation.terms.count
        view.firstTerm = min(max(0, view.firstTerm + dy), max(0, count - 1))
        return [.pane, .status]
    }

    /// `e` on a zoomed pixel of a convolution or pooling output: how that element is made.
    mutating func explainCursor(_ view: FeatureMapState) -> Reaction {
        guard view.usesPixelCursor, !view.maps.isBars, view.maps.shape.count == 4 else {
            message = "e explains a pixel of a conv or pooling output: zoom into a channel first (Enter)"
            return [.status]
        }
        let step = view.maps.step
        do {
            let explanation = try ElementExplanation(view.tensor, index: [view.maps.sample, view.channel,
                                                                          view.row * step, view.column * step])
            backStack.append(.featureMaps(view))
            content = .explain(ExplainState(explanation: explanation, title: view.title, inputName: "x", weightName: "w"))
            return [.pane, .status]
        } catch {
            message = "\(error)"
            return [.status]
        }
    }

    /// Opens a node's value (or gradient) as `show` would draw it; `q` returns to `from`.
    mutating func open(_ tensor: Tensor, named name: String, gradient: Bool, from: PaneContent,
                       gradientOf: Tensor?) -> Reaction {
        var shown = tensor
        if gradient {
            guard let g = gradientOf else {
                message = tensor.isLeaf ? "\(name) has no .grad: call backward(y) first"
                    : "\(name) has no gradient yet: call backward(y) or grad(y, x) first"
                return [.status]
            }
            shown = g
        }
        do {
            let view = try ShowRequest.content(shown, options: ShowOptions(title: gradient ? name + ".grad" : name))
            backStack.append(from)
            content = view
            return [.pane, .status]
        } catch {
            message = "\(error)"
            return [.status]
        }
    }
}
