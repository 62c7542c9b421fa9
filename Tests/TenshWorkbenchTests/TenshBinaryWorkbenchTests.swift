import Foundation
import XCTest

/// The real `tensh` binary in tmux (COLORTERM=truecolor): the workbench wired to
/// a Session, checked on what a person sees — heatmap half-blocks in 24-bit
/// colour, channel labels and shape, graph boxes, an error with its location,
/// Ctrl-C recovery with the variables intact, and history saved after :quit.
final class TenshBinaryWorkbenchTests: ScratchDirectoryTestCase {
    static func tenshBinary() throws -> String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("tensh").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TmuxSession.Failure(description: "tensh not built; looked in \(candidates)")
        }
        return found
    }

    func start(width: Int = 100, height: Int = 32) throws -> TmuxSession {
        let command = "XDG_STATE_HOME=\(shellQuoted(scratch)) \(shellQuoted(try Self.tenshBinary())); "
            + "echo \"exit=$?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'; sleep 60"
        let session = try TmuxSession(command: command, width: width, height: height)
        try session.wait(forText: ">>>")
        return session
    }

    func testFeatureMapsGraphErrorsInterruptAndHistory() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("x = ones(1, 4, 8, 8) * arange(8)")
        try session.type("show(x)")
        try session.wait(forText: "c3")
        let colored = try session.capture(escapes: true)
        XCTAssertTrue(colored.contains("▀"), "half-block pixels")
        XCTAssertTrue(colored.contains("38;2;") && colored.contains("48;2;"), "24-bit colours")
        XCTAssertTrue(colored.contains("[1, 4, 8, 8]"), "shape in the header")

        try session.type("w = param(ones(3)); loss = sum(relu(w * 2))")
        try session.type("graph(loss)")
        let graph = try session.wait(forText: "Relu")
        XCTAssertTrue(graph.contains("Sum") && graph.contains("┌") && graph.contains("▼"), graph)

        try session.type("y = undefined_thing + 1")
        try session.wait(forText: "<stdin>:1:5: error: undefined name 'undefined_thing'")

        try session.type("while true { }")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("C-c")
        try session.wait(forText: "interrupted")
        try session.type("print(x.shape, 40 + 2)")
        try session.wait(forText: "(1, 4, 8, 8) 42")

        try session.type(":quit")
        let screen = try session.wait(for: "exit=0 and the stty report") { screen in
            let lines = screen.split(separator: "\n")
            return lines.contains("exit=0") && (lines.contains("icanon") || lines.contains("-icanon"))
        }
        XCTAssertTrue(screen.split(separator: "\n").contains("icanon"), "terminal restored:\n\(screen)")
        let history = try String(contentsOfFile: scratch + "/tensh/history", encoding: .utf8)
        XCTAssertTrue(history.contains("show(x)") && history.contains("graph(loss)"), history)
    }

    func testSmallTerminalFallsBackToThePlainRepl() throws {
        let session = try TmuxSession(command: "\(shellQuoted(try Self.tenshBinary())); sleep 60", width: 60, height: 20)
        defer { session.kill() }
        try session.wait(forText: "needs 80x24")
        try session.type("print(6 * 7)")
        try session.wait(forText: "42")
    }

    /// A loop that plots each epoch: the curve and the progress bar update while it
    /// runs, `watch(...)` inside the loop stays on screen, `:pane off|on` work.
    func testTrainingLoopShowsALiveCurveProgressAndAWatch() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("losses = []; for i in progress(range(25), label=\"epoch\") { "
            + "t0 = clock(); while clock() - t0 < 0.08 { }; losses = losses + [1 / (i + 1)]; "
            + "plot(losses); watch(len(losses)) }")
        let live = try session.wait(for: "a partial curve and the progress bar") { screen in
            screen.contains("plot losses") && screen.contains("epoch [") && screen.contains("it/s")
        }
        XCTAssertTrue(live.contains("⠈") || live.contains("⡀") || live.contains("⢣"), "braille curve:\n\(live)")
        let done = try session.wait(forText: "watch len(losses): 25")
        XCTAssertTrue(done.contains("25 points") && done.contains("losses: 0.04"), done)
        try session.type(":pane off")
        try session.wait(for: "the pane hidden") { !$0.contains("plot losses") }
        try session.type(":pane on")
        try session.wait(forText: "plot losses")
    }

    /// One readline core: `w1.sha<Tab>` completes to `w1.shape` in the workbench and
    /// in `--plain`; `:help` lists the pane commands and F2; each line is appended
    /// to the history file, whose directories are created.
    func testAttributeCompletionHelpAndHistoryInBothFrontEnds() throws {
        let state = scratch + "/nested/state"
        let binary = shellQuoted(try Self.tenshBinary())
        for (options, ready) in [("", "F2 pane"), (" --plain", ">>>")] {
            let session = try TmuxSession(command: "XDG_STATE_HOME=\(shellQuoted(state)) \(binary)\(options); sleep 60",
                                          width: 100, height: 40)
            defer { session.kill() }
            try session.wait(forText: ready)
            try session.type("w1 = ones(2, 3)")
            try session.send("w1.sha", literal: true)
            try session.send("Tab")
            try session.wait(forText: ">>> w1.shape")
            try session.send("Enter")
            try session.wait(forText: "(2, 3)")
            guard options.isEmpty else { continue }
            try session.type(":help")
            let help = try session.wait(forText: "focus the prompt")
            XCTAssertTrue(help.contains("F2 Tab") && help.contains("PgUp PgDn"), help)
            try session.send("PageUp")
            let top = try session.wait(forText: ":pane on|off")
            XCTAssertTrue(top.contains(":unwatch"), top)
        }
        let history = try String(contentsOfFile: state + "/tensh/history", encoding: .utf8)
        XCTAssertEqual(history, "w1 = ones(2, 3)\nw1.shape\n:help\nw1 = ones(2, 3)\nw1.shape\n")
    }

    /// A script name that is a terminal escape (retitle, clear screen) is printed escaped.
    func testAHostileFileNameNeitherRetitlesNorClearsTheTerminal() throws {
        let name = "$'\\e]0;pwned\\a\\e[2J.tsh'"
        let session = try TmuxSession(command: "echo before; \(shellQuoted(try Self.tenshBinary())) \(name); echo \"exit=$?\"; sleep 60",
                                      width: 100, height: 20)
        defer { session.kill() }
        let screen = try session.wait(forText: "exit=66")
        XCTAssertTrue(screen.contains("before"), "the screen was cleared:\n\(screen)")
        XCTAssertTrue(screen.contains("tensh: cannot open '\\x1b]0;pwned\\x07\\x1b[2J.tsh'"), screen)
        XCTAssertNotEqual(try session.title(), "pwned")
    }

    /// Without COLORTERM the pane uses the 256-colour palette; `--plain` is the text REPL.
    func testTwoHundredFiftySixColoursAndPlain() throws {
        let binary = shellQuoted(try Self.tenshBinary())
        let colours = try TmuxSession(command: "env -u COLORTERM \(binary); sleep 60", width: 100, height: 30,
                                      environment: [:])
        defer { colours.kill() }
        try colours.wait(forText: ">>>")
        try colours.type("show(arange(64).view(8, 8))")
        let screen = try colours.wait(for: "256-colour half-blocks", escapes: true) { $0.contains("48;5;") }
        XCTAssertFalse(screen.contains("48;2;"), "no 24-bit colours without COLORTERM")

        let plain = try TmuxSession(command: "\(binary) --plain; sleep 60", width: 100, height: 30)
        defer { plain.kill() }
        try plain.wait(forText: ">>>")
        try plain.type("w = param(ones(3)); l = sum(relu(w * 2)); backward(l); graph(l); watch(w.grad)")
        let text = try plain.wait(forText: "watch w.grad: tensor([2., 2., 2.])")
        XCTAssertTrue(text.contains("└─ Relu → [3]") && !text.contains("┌"), text)
    }
}
