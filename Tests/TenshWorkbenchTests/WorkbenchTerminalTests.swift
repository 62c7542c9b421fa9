import Foundation
import XCTest

/// End to end: the real ncurses backend (the test-only `tensh-workbench-demo`
/// executable, a fixed-command evaluator behind `WorkbenchApp.run`) inside tmux
/// with COLORTERM=truecolor, asserting on what a person would see.
final class WorkbenchTerminalTests: ScratchDirectoryTestCase {
    /// The demo binary next to the test bundle (`swift build` builds it with the tests).
    static func demoBinary() throws -> String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("tensh-workbench-demo").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TmuxSession.Failure(description: "tensh-workbench-demo not built (swift build --product tensh-workbench-demo); looked in \(candidates)")
        }
        return found
    }

    /// Starts the demo; after it exits the shell prints its exit code and whether
    /// the terminal is back in canonical mode (`icanon` rather than `-icanon`).
    func start(width: Int = 100, height: Int = 30, prefix: String = "") throws -> TmuxSession {
        let binary = try Self.demoBinary()
        let command = prefix + "TENSH_DEMO_HISTORY=\(shellQuoted(scratch + "/history")) TENSH_DEMO_PIDFILE=\(shellQuoted(scratch + "/pid")) "
            + "\(shellQuoted(binary)); echo \"exit=$?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'; sleep 60"
        let session = try TmuxSession(command: command, width: width, height: height)
        try session.wait(forText: ">>>")
        return session
    }

    /// Waits for the shell's report after the demo exited: the exit code, and the
    /// terminal mode line (`icanon` once ncurses has restored the terminal).
    func assertExited(_ session: TmuxSession, code: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = try session.wait(for: "exit=\(code) and the stty report") { screen in
            let lines = screen.split(separator: "\n")
            return lines.contains("exit=\(code)") && (lines.contains("icanon") || lines.contains("-icanon"))
        }
        XCTAssertTrue(screen.split(separator: "\n").contains("icanon"), "terminal restored:\n\(screen)", file: file, line: line)
    }

    func testHeatmapInTrueColourErrorsAndGraph() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("show")
        try session.wait(forText: "c3")
        let colored = try session.capture(escapes: true)
        XCTAssertTrue(colored.contains("▀"), "half-block pixels")
        XCTAssertTrue(colored.contains("38;2;"), "24-bit foreground colours")
        XCTAssertTrue(colored.contains("48;2;"), "24-bit background colours")
        XCTAssertTrue(colored.contains("x  [2, 4, 8, 8] f32"), "shape in the header")
        try session.type("bad")
        try session.wait(forText: "<stdin>:1:1: error: name 'bad' is not defined")
        try session.type("graph")
        let screen = try session.wait(forText: "Sum")
        XCTAssertTrue(screen.contains("▼") && screen.contains("┌"), "box-drawing edges and boxes")
        XCTAssertTrue(screen.contains("Relu"))
    }

    func testPaneFocusZoomAndPixelStatus() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("show")
        try session.wait(forText: "c3")
        try session.send("F2")
        try session.wait(forText: "show x · focus")
        try session.send("Right")
        try session.send("Enter")
        try session.wait(forText: "c1 zoomed")
        try session.send("Down")
        try session.wait(forText: "x[0, 1, 1, 0] = ")
        try session.send("q")
        try session.send("q")
        try session.wait(forText: "F2 pane")
        try session.type("plot")
        try session.wait(forText: "loss")
    }

    func testKeysRightAfterF2GoToThePane() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("show")
        try session.wait(forText: "c3")
        try session.send("F2", "Right", "Right")  // one write: no time for the focus switch in between
        try session.wait(forText: "x  c2 of 4  min")
        let screen = try session.capture()
        XCTAssertFalse(screen.contains("[C"), "no escape-sequence residue in the input line")
        try session.send("Escape")
        try session.wait(forText: "F2 pane")
    }

    func testCtrlCCancelsAndReadlineEditing() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("spin")
        try session.wait(forText: "Ctrl-C cancels")
        try session.send("C-c")
        try session.wait(forText: "spin: interrupted")
        try session.send("sp", literal: true)
        try session.send("Tab")
        try session.wait(forText: ">>> spin")
        try session.send("C-u")
        try session.send("C-r")
        try session.send("sp", literal: true)
        try session.wait(forText: "(reverse-i-search)`sp': spin")
        try session.send("C-g")
        try session.type("count")
        try session.wait(forText: "counter = 1")
    }

    func testPageUpAtThePromptScrollsTheTranscript() throws {
        let session = try start()
        defer { session.kill() }
        for _ in 0..<15 { try session.type("count") }
        let before = try session.wait(forText: "counter = 15")
        XCTAssertFalse(before.contains("counter = 6\n"), "older output scrolled away")
        try session.send("PageUp")
        try session.wait(forText: "counter = 6\n")
        try session.send("PageDown")
        try session.wait(for: "back at the newest output") { $0.contains("counter = 15") && !$0.contains("counter = 6\n") }
    }

    func testResizeMovesThePaneToTheRight() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("show")
        try session.wait(forText: "c3")
        try session.resize(width: 170, height: 40)
        let screen = try session.wait(for: "the pane at the right") { screen in
            let first = screen.split(separator: "\n").first.map(String.init) ?? ""
            return first.hasPrefix(">>> show") && first.contains("┌─ show x")
        }
        XCTAssertEqual(screen.split(separator: "\n", omittingEmptySubsequences: false).count, 41)
    }

    func testQuitRestoresTheTerminalAndSavesHistory() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("count")
        try session.wait(forText: "counter = 1")
        try session.type(":quit")
        try assertExited(session, code: 0)
        let history = try String(contentsOfFile: scratch + "/history", encoding: .utf8)
        XCTAssertTrue(history.contains("count"))
    }

    func testCtrlDOnAnEmptyLineExits() throws {
        let session = try start()
        defer { session.kill() }
        try session.send("C-d")
        try assertExited(session, code: 0)
    }

    func testSigtermRestoresTheTerminal() throws {
        let session = try start()
        defer { session.kill() }
        let pidText = try String(contentsOfFile: scratch + "/pid", encoding: .utf8)
        let pid = try XCTUnwrap(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        try assertExited(session, code: 143)
    }

    func testPaletteColoursWithoutTrueColour() throws {
        let session = try start(prefix: "COLORTERM= TERM=screen-256color ")
        defer { session.kill() }
        try session.type("show")
        let screen = try session.wait(forText: "38;5;", escapes: true)
        XCTAssertFalse(screen.contains("38;2;"), "no 24-bit colours on a 256-colour terminal")
        XCTAssertTrue(screen.contains("▀"))
    }

    func testNoColourDrawsACharacterRamp() throws {
        let session = try start(prefix: "NO_COLOR=1 ")
        defer { session.kill() }
        try session.type("show")
        // The channel labels can appear a frame before the pixels: wait for both.
        let screen = try session.wait(for: "the maps drawn as ramp characters", escapes: true) {
            $0.contains("c3") && ($0.contains("@") || $0.contains("%"))
        }
        XCTAssertFalse(screen.contains("38;2;") || screen.contains("38;5;"), "no colours")
        XCTAssertFalse(screen.contains("▀"), "pixels are ramp characters")
    }

    func testTabOnAnEmptyLineFocusesThePaneAndCompletionListsMatches() throws {
        let session = try start()
        defer { session.kill() }
        try session.send("s", literal: true)
        try session.send("Tab")
        try session.send("Tab")
        try session.wait(forText: "show  spin")
        try session.send("C-u")
        try session.send("Tab")
        try session.wait(forText: "pane · focus")
        try session.send("Tab")
        try session.wait(for: "focus back at the prompt") { !$0.contains("· focus") && $0.contains("F2 pane") }
    }

    func testThePaneUpdatesWhileAStatementRuns() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("train")
        try session.wait(for: "a live plot during the loop") { $0.contains("Ctrl-C cancels") && $0.contains("series") }
        try session.resize(width: 170, height: 40)
        try session.wait(for: "the layout following a resize mid-statement") { screen in
            let first = screen.split(separator: "\n").first.map(String.init) ?? ""
            return screen.contains("Ctrl-C cancels") && first.hasPrefix(">>> train") && first.contains("┌─ plot")
        }
        try session.send("C-c")
        try session.wait(forText: "train: interrupted")
    }

    func testSmallTerminalFallsBackWithANotice() throws {
        let binary = try Self.demoBinary()
        let session = try TmuxSession(command: "\(shellQuoted(binary)); echo \"exit=$?\"; sleep 60", width: 70, height: 20)
        defer { session.kill() }
        let screen = try session.wait(forText: "exit=3")
        let unwrapped = screen.split(separator: "\n").joined()  // the notice wraps at 70 columns
        XCTAssertTrue(unwrapped.contains("the terminal is 70x20; the workbench needs 80x24, using the plain REPL"), screen)
    }
}
