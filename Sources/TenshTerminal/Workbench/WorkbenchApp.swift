import CNcurses
import Foundation
import Synchronization
import TenshEngine
import TenshWorkbench
#if canImport(Glibc)
import Glibc
#endif

/// The interactive workbench: ncurses screen + readline + the `Workbench` model.
///
///     let workbench = Workbench(evaluator: SessionEvaluator())
///     session.display = PaneDisplay(workbench: workbench)
///     switch WorkbenchApp.run(workbench: workbench) {
///     case .exited(let code): exit(code)
///     case .unavailable(let notice): print(notice); runPlainRepl()
///     }
public enum WorkbenchApp {
    public struct Options {
        /// `--color=never` or NO_COLOR: the character ramp, no colours.
        public var allowColor: Bool
        /// Where readline history is read from and saved to (nil: no history file).
        public var historyPath: String?

        public init(allowColor: Bool = true, historyPath: String? = ReplHistory.defaultPath()) {
            self.allowColor = allowColor
            self.historyPath = historyPath
        }
    }

    public enum Outcome: Equatable {
        /// The user left (`:quit`, Ctrl-D, `exit(n)`, SIGTERM is handled separately): exit with this code.
        case exited(Int32)
        /// No workbench here (not a TTY, terminal smaller than 80x24, no terminfo):
        /// run the plain REPL and print this notice.
        case unavailable(String)
    }

    /// Runs until the user leaves; the terminal is restored on every return path.
    public static func run(workbench: Workbench, options: Options = Options()) -> Outcome {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            return .unavailable("tensh: not a terminal; using the plain REPL")
        }
        guard let screen = CursesScreen(allowColor: options.allowColor) else {
            return .unavailable("tensh: this terminal ($TERM) is not supported by ncurses; using the plain REPL")
        }
        let size = screen.size
        guard size.width >= 80, size.height >= 24 else {
            screen.shutdown()
            return .unavailable("tensh: the terminal is \(size.width)x\(size.height); the workbench needs 80x24, using the plain REPL")
        }
        let loop = WorkbenchLoop(workbench: workbench, screen: screen, historyPath: options.historyPath)
        WorkbenchSignals.install()
        defer {
            loop.close()
            screen.shutdown()
            WorkbenchSignals.uninstall()
        }
        return .exited(loop.run())
    }
}

/// Signals while the workbench runs: SIGTERM/SIGHUP restore the terminal and
/// exit; SIGINT cancels a running computation (at the prompt the terminal is
/// in raw mode, so Ctrl-C arrives as a key and clears the line instead).
enum WorkbenchSignals {
    static let evaluating = Atomic<Bool>(false)
    /// A SIGINT from outside (`kill -INT`) while idle: the loop clears the line.
    static let interruptedAtPrompt = Atomic<Bool>(false)

    static func install() {
        signal(SIGTERM, workbenchTerminate)
        signal(SIGHUP, workbenchTerminate)
        signal(SIGINT, workbenchInterrupt)
    }

    static func uninstall() {
        signal(SIGTERM, SIG_DFL)
        signal(SIGHUP, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}

private func workbenchTerminate(_ signal: Int32) {
    endwin()
    _exit(128 + signal)
}

private func workbenchInterrupt(_: Int32) {
    if WorkbenchSignals.evaluating.load(ordering: .relaxed) {
        Cancellation.request()
    } else {
        WorkbenchSignals.interruptedAtPrompt.store(true, ordering: .relaxed)
    }
}
