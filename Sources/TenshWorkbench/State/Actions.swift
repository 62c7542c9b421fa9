/// Abstract key events; the terminal backend translates ncurses codes into these.
public enum Key: Hashable, Sendable {
    case up, down, left, right
    case enter, escape, tab, f2
    case pageUp, pageDown, home, end
    case character(Character)
}

/// What a key means in the current state (htop's key → action step).
public enum Action: Equatable, Sendable {
    case toggleFocus
    case focusPrompt
    /// Arrow keys: channel cursor, pixel cursor, graph selection.
    case move(dx: Int, dy: Int)
    /// `Enter`/`z` on a channel: zoom in.
    case zoom
    /// `q`/`Esc`: unzoom, return to the previous view, or give focus back to the prompt.
    case back
    case nextSample
    case previousSample
    case cycleColormap
    case toggleNormalization
    /// Graph: `Enter` shows the selected node's value, `G` its gradient.
    case showSelectedValue
    case showSelectedGradient
    case toggleCollapse
    /// Graph: `m` borders the nodes by the size of their gradients (log scale).
    case toggleGradientColors
    /// Feature maps: `e` explains the element under the pixel cursor (a conv or pooling output).
    case explainCursor
    /// Histogram: `l` switches the counts between linear and log scale.
    case toggleLogScale
    /// Picture: `o` shows or hides the overlay.
    case toggleOverlay
    /// Graph scrolling by cells; transcript scrolling by rows.
    case scroll(dx: Int, dy: Int)
    case scrollTranscript(Int)
    case resize(width: Int, height: Int)
    case setPaneVisible(Bool)
}

/// What an update changed, so the loop repaints only that (htop's `Htop_Reaction`).
public struct Reaction: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let pane = Reaction(rawValue: 1 << 0)
    public static let transcript = Reaction(rawValue: 1 << 1)
    public static let input = Reaction(rawValue: 1 << 2)
    public static let status = Reaction(rawValue: 1 << 3)
    /// Sizes or visibility changed: everything moves.
    public static let layout = Reaction(rawValue: 1 << 4)
    /// Keys now go to the other place (the backend switches readline on or off).
    public static let focus = Reaction(rawValue: 1 << 5)
    /// The user asked to leave the workbench.
    public static let quit = Reaction(rawValue: 1 << 6)
    public static let everything: Reaction = [.pane, .transcript, .input, .status, .layout]
}

/// Keys of the pane (focus on the pane) to actions. Prompt keys belong to readline.
public enum KeyMap {
    public static func action(for key: Key, in state: WorkbenchState) -> Action? {
        switch key {
        case .f2, .tab: return .toggleFocus
        case .escape, .character("q"): return .back
        case .pageUp: return pageScroll(state, -1)
        case .pageDown: return pageScroll(state, 1)
        default: break
        }
        switch state.content {
        case .featureMaps: return featureMapAction(key)
        case .graph: return graphAction(key)
        case .stats, .explain:
            if let a = arrow(key) { return a }
            return key == .enter ? .showSelectedValue : key == .character("G") ? .showSelectedGradient : nil
        case .histogram: return key == .character("l") ? .toggleLogScale : nil
        case .filters:
            if let a = arrow(key) { return a }
            return [.enter: .showSelectedValue, .character("m"): .cycleColormap, .character("g"): .toggleNormalization][key]
        case .picture:
            if let a = arrow(key) { return a }
            return [.character("o"): .toggleOverlay, .character("m"): .cycleColormap][key]
        case .plot, .empty: return nil
        }
    }

    static func arrow(_ key: Key) -> Action? {
        switch key {
        case .up: return .move(dx: 0, dy: -1)
        case .down: return .move(dx: 0, dy: 1)
        case .left: return .move(dx: -1, dy: 0)
        case .right: return .move(dx: 1, dy: 0)
        default: return nil
        }
    }

    static func featureMapAction(_ key: Key) -> Action? {
        if let a = arrow(key) { return a }
        switch key {
        case .enter, .character("z"): return .zoom
        case .character("n"): return .nextSample
        case .character("p"): return .previousSample
        case .character("m"): return .cycleColormap
        case .character("g"): return .toggleNormalization
        case .character("e"): return .explainCursor
        default: return nil
        }
    }

    static func graphAction(_ key: Key) -> Action? {
        if let a = arrow(key) { return a }
        switch key {
        case .enter: return .showSelectedValue
        case .character("G"): return .showSelectedGradient
        case .character("c"): return .toggleCollapse
        case .character("m"): return .toggleGradientColors
        case .home: return .scroll(dx: -1_000_000, dy: -1_000_000)
        case .character("h"): return .scroll(dx: -8, dy: 0)
        case .character("l"): return .scroll(dx: 8, dy: 0)
        case .character("k"): return .scroll(dx: 0, dy: -4)
        case .character("j"): return .scroll(dx: 0, dy: 4)
        default: return nil
        }
    }

    /// Page keys scroll the graph in the graph view, the transcript elsewhere.
    static func pageScroll(_ state: WorkbenchState, _ direction: Int) -> Action {
        let rows = max(1, (state.layout?.transcript.height ?? 10) - 1)
        if case .graph = state.content {
            let page = max(1, (state.layout?.pane?.height ?? 10) - 3)
            return .scroll(dx: 0, dy: direction * page)
        }
        return .scrollTranscript(-direction * rows)
    }
}
