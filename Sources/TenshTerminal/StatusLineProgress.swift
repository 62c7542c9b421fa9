import TenshLanguage
import TenshText
#if canImport(Glibc)
import Glibc
#endif

/// Draws `progress(...)` loops on one status line of stderr (only when stderr
/// is a terminal), at most ten times a second, and clears it when the loop ends.
final class StatusLineProgress: ProgressSink {
    private var lastDraw = ContinuousClock.now - .seconds(1)

    /// A sink, or nil when stderr is not a terminal (nothing is drawn).
    static func ifTerminal() -> StatusLineProgress? {
        isatty(STDERR_FILENO) != 0 ? StatusLineProgress() : nil
    }

    func update(_ state: ProgressState) {
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) || state.done == state.total else { return }
        lastDraw = now
        fputs("\r\u{1B}[K" + Escaping.printable(state.line()), stderr)
    }

    func finish(_ state: ProgressState) {
        fputs("\r\u{1B}[K", stderr)
    }
}
