import CNcurses
import Foundation
import TenshWorkbench

/// The event loop: keys go to readline (prompt focus) or to workbench actions
/// (pane focus); reactions mark the screen stale, and the loop paints once per
/// event. While a statement runs the workbench asks for live repaints instead
/// (`paintLive`); the first of them shows the echo and the busy status before
/// the statement starts.
final class WorkbenchLoop {
    private let workbench: Workbench
    private let screen: CursesScreen
    private let readline: ReadlineBridge
    private var exitCode: Int32?
    private var stale = true
    private var lastLivePaint = Date.distantPast
    private var keys = KeyParser()

    init(workbench: Workbench, screen: CursesScreen, historyPath: String?) {
        self.workbench = workbench
        self.screen = screen
        let core = ReadlineCore(historyPath: historyPath) { [weak workbench] line, word in
            workbench?.evaluator.completions(for: word, line: line) ?? []
        }
        self.readline = ReadlineBridge(prompt: workbench.prompt, core: core)
        let size = screen.size
        workbench.perform(.resize(width: size.width, height: size.height))
        wireReadline()
        workbench.onLiveUpdate = { [weak self] in self?.paintLive() }
    }

    private func wireReadline() {
        readline.onRedisplay = { [weak self] prompt, line, point in
            self?.workbench.setInputLine(prompt: prompt, line: line, point: point)
            self?.stale = true
        }
        readline.onLine = { [weak self] line in self?.submit(line) }
        readline.onToggleFocus = { [weak self] in self?.apply(self?.workbench.perform(.toggleFocus) ?? []) }
        readline.onPage = { [weak self] direction in
            guard let self else { return }
            let rows = max(1, (self.workbench.state.layout?.transcript.height ?? 10) - 1)
            self.apply(self.workbench.perform(.scrollTranscript(-direction * rows)))
        }
        readline.onShowMatches = { [weak self] matches in
            self?.workbench.appendOutput(matches.joined(separator: "  "))
        }
    }

    func run() -> Int32 {
        readline.redisplay()
        while exitCode == nil {
            if stale { paint() }
            // A pending ESC waits briefly for the rest of its sequence.
            let code = screen.readKey(timeout: keys.isPending ? 30 : 200)
            if WorkbenchSignals.interruptedAtPrompt.exchange(false, ordering: .relaxed) { readline.clearLine() }
            if code == ERR {
                for key in keys.flush() { apply(workbench.handle(key)) }
            } else if code == KEY_RESIZE {
                let size = screen.size
                screen.invalidate()
                apply(workbench.perform(.resize(width: size.width, height: size.height)))
            } else if workbench.state.focus == .prompt {
                promptKey(code)
            } else {
                paneKey(code)
            }
        }
        return exitCode ?? 0
    }

    private func promptKey(_ code: Int32) {
        if code == 3 {  // Ctrl-C at the prompt: abandon the line and any open entry
            workbench.cancelPendingInput()
            readline.setPrompt(workbench.prompt)
            readline.clearLine()
            return
        }
        if code == 9, readline.lineIsEmpty {
            // Tab on an empty line moves the focus; elsewhere it stays readline's
            // completion (bound to rl_complete itself, so a second Tab lists matches).
            apply(workbench.perform(.toggleFocus))
            return
        }
        guard code >= 0, code < 256 else { return }
        readline.feed(code)
    }

    private func paneKey(_ code: Int32) {
        if code == 3 {
            apply(workbench.perform(.focusPrompt))
            return
        }
        guard code >= 0, code < 256 else { return }
        for key in keys.feed(UInt8(code)) {
            // A key may hand focus back to the prompt; the rest of the bytes go to readline.
            guard workbench.state.focus == .pane else { break }
            apply(workbench.handle(key))
        }
    }

    /// A line readline accepted (already in the history); nil is Ctrl-D on an empty line.
    private func submit(_ line: String?) {
        guard let line else {
            exitCode = 0
            return
        }
        workbench.setInputLine(prompt: workbench.prompt, line: "", point: 0)
        // Ctrl-C must raise SIGINT while the statement runs (raw mode swallows it).
        noraw()
        cbreak()
        WorkbenchSignals.evaluating.store(true, ordering: .relaxed)
        lastLivePaint = .distantPast
        let reaction = workbench.submit(line)
        WorkbenchSignals.evaluating.store(false, ordering: .relaxed)
        raw()
        readline.setPrompt(workbench.prompt)
        apply(reaction)
    }

    private func apply(_ reaction: Reaction) {
        if reaction.contains(.quit) { exitCode = workbench.exitCode ?? 0 }
        if reaction.contains(.focus) { keys = KeyParser() }
        if !reaction.isEmpty { stale = true }
    }

    private func paint() {
        stale = false
        screen.paint(workbench.render(), cursor: WorkbenchScreen.cursor(workbench.state))
    }

    /// Repaints while a statement runs: at once for the first request (the echo
    /// and the busy status), then at most 20 times a second (a plot each epoch).
    private func paintLive() {
        let now = Date()
        guard now.timeIntervalSince(lastLivePaint) > 0.05 else { return }
        lastLivePaint = now
        if screen.followTerminalSize() {
            let size = screen.size
            workbench.perform(.resize(width: size.width, height: size.height))
        }
        paint()
    }

    func close() {
        workbench.onLiveUpdate = nil
        readline.close()
    }
}
