import CReadline
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// GNU readline through its callback interface, inside the ncurses layout:
/// the loop feeds bytes (`rl_getc_function` reads from a queue), readline
/// edits, and its redisplay goes to `onRedisplay` instead of the terminal, so
/// history, Ctrl-R, completion and emacs keys all work in the workbench.
/// Settings, history and completion are the `ReadlineCore` the plain REPL uses
/// too. The hooks here are C function pointers without context, hence one
/// active bridge at a time (`current`).
final class ReadlineBridge {
    nonisolated(unsafe) fileprivate static var current: ReadlineBridge?

    let core: ReadlineCore
    /// The prompt (may be readline's search prompt), the line, and the cursor in characters.
    var onRedisplay: (String, String, Int) -> Void = { _, _, _ in }
    /// A complete line (already in the history), or nil for Ctrl-D on an empty line.
    var onLine: (String?) -> Void = { _ in }
    /// F2 (bound here, as readline sees its raw escape sequence): give the pane the focus.
    var onToggleFocus: () -> Void = {}
    /// PgUp / PgDn at the prompt scroll the transcript (-1 older, +1 newer).
    var onPage: (Int) -> Void = { _ in }
    /// Completion lists readline would print (shown in the transcript instead).
    var onShowMatches: ([String]) -> Void = { _ in }

    private var queue: [Int32] = []
    private var nullStream: UnsafeMutablePointer<FILE>?

    init(prompt: String, core: ReadlineCore) {
        self.core = core
        ReadlineBridge.current = self
        configure()
        rl_callback_handler_install(prompt, readlineLineHandler)
    }

    private func configure() {
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        // Readline must never write to the terminal ncurses owns.
        nullStream = fopen("/dev/null", "w")
        rl_outstream = nullStream
        rl_prep_term_function = { _ in }
        rl_deprep_term_function = {}
        rl_getc_function = { _ in ReadlineBridge.current?.nextByte() ?? -1 }
        rl_input_available_hook = { (ReadlineBridge.current?.queue.isEmpty ?? true) ? 0 : 1 }
        rl_redisplay_function = { ReadlineBridge.current?.redisplay() }
        rl_completion_display_matches_hook = readlineDisplayMatches
        for sequence in ["\\eOQ", "\\e[12~", "\\e[[B"] { rl_bind_keyseq(sequence, readlineToggleFocus) }
        rl_bind_keyseq("\\e[5~", readlinePageUp)
        rl_bind_keyseq("\\e[6~", readlinePageDown)
    }

    /// Feeds one byte of input to readline (which may call back into `onLine`).
    func feed(_ byte: Int32) {
        queue.append(byte)
        while !queue.isEmpty { rl_callback_read_char() }
    }

    fileprivate func nextByte() -> Int32 {
        queue.isEmpty ? -1 : queue.removeFirst()
    }

    func setPrompt(_ prompt: String) { rl_set_prompt(prompt) }

    /// Abandons the current line (Ctrl-C at the prompt).
    func clearLine() {
        rl_replace_line("", 0)
        rl_point = 0
        redisplay()
    }

    func redisplay() {
        let prompt = rl_display_prompt.map { String(cString: $0) } ?? ""
        guard let buffer = rl_line_buffer else { return onRedisplay(prompt, "", 0) }
        let length = Int(max(0, rl_end)), point = Int(max(0, min(rl_point, rl_end)))
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        let line = String(decoding: bytes, as: UTF8.self)
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: point), as: UTF8.self)
        onRedisplay(prompt, line, before.count)
    }

    /// Uninstalls the handler and closes the core (the history file is cut to size).
    func close() {
        rl_callback_handler_remove()
        core.close()
        if let s = nullStream { fclose(s) }
        nullStream = nil
        if ReadlineBridge.current === self { ReadlineBridge.current = nil }
    }

    var lineIsEmpty: Bool { rl_end == 0 }
}

// C callbacks: no captures, they route through `ReadlineBridge.current`.

private func readlineLineHandler(_ line: UnsafeMutablePointer<CChar>?) {
    let text = line.map { String(cString: $0) }
    free(line)
    guard let bridge = ReadlineBridge.current else { return }
    if let text { bridge.core.remember(text) }
    bridge.onLine(text)
}

private func readlineToggleFocus(_: Int32, _: Int32) -> Int32 {
    ReadlineBridge.current?.onToggleFocus()
    return 0
}

private func readlinePageUp(_: Int32, _: Int32) -> Int32 {
    ReadlineBridge.current?.onPage(-1)
    return 0
}

private func readlinePageDown(_: Int32, _: Int32) -> Int32 {
    ReadlineBridge.current?.onPage(1)
    return 0
}

private func readlineDisplayMatches(_ matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int32, _: Int32) {
    guard let matches, count > 0 else { return }
    let list = (1...Int(count)).compactMap { matches[$0].map { String(cString: $0) } }
    ReadlineBridge.current?.onShowMatches(list)
}
