import CNcurses
import Foundation
import TenshEngine
import TenshWorkbench

/// The event loop: keys go to readline (prompt focus) or to workbench actions
/// (pane focus); reactions decide what to repaint; only this loop paints.
final class WorkbenchLoop {
    private let workbench: Workbench
    private let screen: CursesScreen
    private let readline: ReadlineBridge
    private var exitCode: Int32?
    private var lastLivePaint = Date.distantPast
    private var keys = KeyParser()

    init(workbench: Workbench, screen: CursesScreen, historyPath: String?) {
        self.workbench = workbench
        self.screen = screen
        self.readline = ReadlineBridge(prompt: workbench.prompt, historyPath: historyPath)
        let size = screen.size
        workbench.perform(.resize(width: size.width, height: size.height))
        wireReadline()
        workbench.onLiveUpdate = { [weak self] in self?.paintLive() }
    }

    private func wireReadline() {
        readline.onRedisplay = { [weak self] prompt, line, point in
            self?.workbench.setInputLine(prompt: prompt, line: line, point: point)
            self?.paint()
        }
        readline.onLine = { [weak self] line in self?.submit(line) }
        readline.onToggleFocus = { [weak self] in self?.apply(self?.workbench.perform(.toggleFocus) ?? []) }
        readline.onPage = { [weak self] direction in
            guard let self else { return }
            let rows = max(1, (self.workbench.state.layout?.transcript.height ?? 10) - 1)
            self.apply(self.workbench.perform(.scrollTranscript(-direction * rows)))
        }
        readline.completions = { [weak self] word, line in
            self?.workbench.evaluator.completions(for: word, line: line) ?? []
        }
        readline.onShowMatches = { [weak self] matches in
            self?.workbench.appendOutput(matches.joined(separator: "  "))
        }
    }

    func run() -> Int32 {
        readline.redisplay()
        paint()
        while exitCode == nil {
            // A pending ESC waits briefly for the rest of its sequence.
            let code = screen.readKey(timeout: keys.isPending ? 30 : 200)
            if WorkbenchSignals.interruptedAtPrompt.exchange(false, ordering: .relaxed) { readline.clearLine() }
            if code == ERR {
                for key in keys.flush() { apply(workbench.handle(key)) }
                continue
            }
            if code == KEY_RESIZE {
                let size = screen.size
                screen.invalidate()
                apply(workbench.perform(.resize(width: size.width, height: size.height)))
                continue
            }
            if workbench.state.focus == .prompt { promptKey(code) } else { paneKey(code) }
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

    private func submit(_ line: String?) {
        guard let line else {  // Ctrl-D on an empty line
            exitCode = 0
            return
        }
        readline.addHistory(line)
        workbench.setInputLine(prompt: workbench.prompt, line: "", point: 0)
        // Ctrl-C must raise SIGINT while the statement runs (raw mode swallows it).
        noraw()
        cbreak()
        Cancellation.reset()
        WorkbenchSignals.evaluating.store(true, ordering: .relaxed)
        paint()
        let reaction = workbench.submit(line)
        WorkbenchSignals.evaluating.store(false, ordering: .relaxed)
        Cancellation.reset()
        raw()
        if reaction.contains(.quit) {
            exitCode = workbench.exitCode ?? 0
            return
        }
        readline.setPrompt(workbench.prompt)
        apply(reaction)
    }

    private func apply(_ reaction: Reaction) {
        if reaction.contains(.quit) { exitCode = workbench.exitCode ?? 0 }
        if reaction.contains(.focus) { keys = KeyParser() }
        if !reaction.isEmpty { paint() }
    }

    private func paint() {
        screen.paint(workbench.render(), cursor: WorkbenchScreen.cursor(workbench.state))
    }

    /// Repaints during a running statement (a plot each epoch), at most 20 times a second.
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
