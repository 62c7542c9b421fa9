import CReadline
import Synchronization
import TenshEngine
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C: during a computation it requests cancellation (the engine and the
/// interpreter's loops check it); at the REPL prompt it clears the line. A
/// second Ctrl-C before the first was noticed exits with 130.
enum Interrupts {
    /// Whether readline is waiting at the prompt.
    static let atPrompt = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT, handleInterrupt)
    }
}

private func handleInterrupt(_: Int32) {
    if Interrupts.atPrompt.load(ordering: .relaxed) {
        // Readline's documented way to abandon the current line from a handler.
        let newline: [CChar] = [10]
        _ = write(STDOUT_FILENO, newline, 1)
        rl_replace_line("", 0)
        rl_on_new_line()
        rl_redisplay()
        return
    }
    if Cancellation.isRequested { _exit(130) }
    Cancellation.request()
}
