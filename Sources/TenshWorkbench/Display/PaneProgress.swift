import TenshLanguage

/// `progress(...)` in the workbench: the bar, rate and ETA go to the status line
/// (stderr belongs to ncurses there), at most ten times a second.
public final class PaneProgress: ProgressSink {
    public weak var workbench: Workbench?
    private var lastDraw: ContinuousClock.Instant?

    public init(workbench: Workbench) { self.workbench = workbench }

    public func update(_ state: ProgressState) {
        let now = ContinuousClock.now
        if let last = lastDraw, now - last < .milliseconds(100), state.done != state.total { return }
        lastDraw = now
        workbench?.setProgress(state.line())
    }

    public func finish(_ state: ProgressState) {
        lastDraw = nil
        workbench?.setProgress(nil)
    }
}
