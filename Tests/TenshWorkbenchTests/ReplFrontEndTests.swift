import XCTest
import TenshEngine
import TenshLanguage
@testable import TenshWorkbench

/// What the plain REPL and the workbench share: the continuation buffer, the
/// blank-line rule, completion, the one `:` command table and `:help`, an entry
/// prepared (lexed) once and run once.
final class ReplFrontEndTests: XCTestCase {
    func repl() -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        return (Session(output: out, mode: .repl), out)
    }

    func testEntryBufferJoinsLinesAndSwitchesPrompts() {
        var buffer = EntryBuffer()
        XCTAssertEqual(buffer.prompt, ">>> ")
        XCTAssertEqual(buffer.add("f(1,"), "f(1,")
        XCTAssertEqual(buffer.prompt, "... ")
        XCTAssertEqual(buffer.add("2)"), "f(1,\n2)")
        buffer.clear()
        XCTAssertEqual(buffer.prompt, ">>> ")
        XCTAssertEqual(buffer.add("x"), "x")
    }

    func testBlankMeansOnlyWhitespace() {
        for blank in ["", " ", "\t \t", " \n ", "\r"] { XCTAssertTrue(EntryBuffer.isBlank(blank), blank.debugDescription) }
        for text in ["x", " x", "\t#", ":q"] { XCTAssertFalse(EntryBuffer.isBlank(text), text) }
    }

    func testAttributeCompletionOfADottedWord() {
        let (s, _) = repl()
        s.run(source: "w1 = ones(2, 3)")
        // Readline hands the whole `w1.sha` (`.` does not break words): the receiver is kept.
        XCTAssertEqual(s.completions(line: "w1.sha", word: "w1.sha"), ["w1.shape"])
        XCTAssertEqual(s.completions(line: "y = w1.sha", word: "w1.sha"), ["w1.shape"])
        XCTAssertTrue(s.completions(line: "w1.resh", word: "w1.resh").contains("w1.reshape"))
        XCTAssertEqual(s.completions(line: "1.5", word: "1.5"), [], "a number is not a receiver")
    }

    func testFileNamesWithADotCompleteInsideStrings() throws {
        let dir = NSTemporaryDirectory() + "tensh-complete-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/weights.npy", contents: Data()))
        let (s, _) = repl()
        let word = dir + "/weights.n"
        XCTAssertEqual(s.completions(line: "load(\"" + word, word: word), [dir + "/weights.npy"])
    }

    func testEveryCommandIsInTheTableAndHelpListsCommandsAndKeys() {
        let (s, out) = repl()
        _ = s.runReplInput(":help", readSource: { _ in "" })
        let help = out.text
        for action in ReplCommand.Action.allCases {
            let command = ReplCommand.all.first { $0.action == action }
            XCTAssertNotNil(command, "\(action) has no row in the table")
            XCTAssertTrue(help.contains("  " + (command?.usage ?? "?")), "\(action):\n\(help)")
        }
        for command in [":pane on|off", ":unwatch", ":quit", ":load FILE", ":time EXPR", ":vars", ":reset"] {
            XCTAssertTrue(help.contains(command), command)
        }
        for key in ["F2", "Tab", "Ctrl-C", "Ctrl-D", "Ctrl-R", "PgUp"] {
            XCTAssertTrue(help.contains(key), key)
        }
        XCTAssertEqual(s.completions(line: ":", word: ":"), ReplCommand.names)
    }

    /// Every key `KeyMap` gives an action, in any view, is named in `:help`'s pane keys.
    func testHelpNamesEveryPaneKey() throws {
        let named = Set(ReplKeys.pane.flatMap { $0.keys.split(separator: " ").map(String.init) })
        let special: [Key: String] = [.up: "arrows", .down: "arrows", .left: "arrows", .right: "arrows",
                                      .enter: "Enter", .escape: "Esc", .tab: "Tab", .f2: "F2",
                                      .pageUp: "PgUp", .pageDown: "PgDn", .home: "Home", .end: "End"]
        let keys = Array(special.keys) + (0x20...0x7e).map { Key.character(Character(Unicode.Scalar(UInt8($0)))) }
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try Tensors.ramp([1, 2, 3, 3])
        ev.tensors["y"] = try Tensors.smallGraph().0
        var views: [PaneContent] = [.empty]
        wb.submit("show:x")
        views.append(wb.state.content)
        wb.submit("graph:y")
        views.append(wb.state.content)
        views.append(.plot(PlotState(series: [], title: "p")))
        for view in views {
            var state = wb.state
            state.content = view
            for key in keys where KeyMap.action(for: key, in: state) != nil {
                let name: String
                if case .character(let c) = key { name = String(c) } else { name = special[key] ?? "?" }
                XCTAssertTrue(named.contains(name), "\(key) in \(view.kindName) is not in :help")
            }
        }
    }

    func testPaneCommandsOutsideTheWorkbenchSaySo() {
        let (s, out) = repl()
        _ = s.runReplInput(":pane off", readSource: { _ in "" })
        XCTAssertEqual(out.text, ":pane acts on the workbench's pane: run tensh without --plain on a terminal of at least 80x24\n")
        out.clear()
        _ = s.runReplInput(":pain", readSource: { _ in "" })
        XCTAssertTrue(out.text.hasPrefix("unknown command :pain; did you mean ':pane'?"), out.text)
    }

    func testAnEntryIsPreparedOnceAndRunsItsOwnParse() {
        let (s, out) = repl()
        XCTAssertNil(s.prepareReplInput("f = [1,"), "an open bracket asks for another line")
        XCTAssertNil(s.prepareReplInput(":time sum([1,"), ":time's expression continues too")
        let entry = try? XCTUnwrap(s.prepareReplInput("f = [1,\n2]\nf"))
        XCTAssertNotNil(entry)
        if let entry { _ = s.runReplInput(entry, readSource: { _ in "" }) }
        XCTAssertEqual(out.text, "tensor([1., 2.])\n")
        // At the end of input an unfinished entry runs and says what was never closed.
        let last = s.prepareReplInput("g(1,", atEnd: true)
        XCTAssertNotNil(last)
        if let last {
            let (_, outcome) = s.runReplInput(last, readSource: { _ in "" })
            XCTAssertEqual(outcome?.status, .syntaxError)
        }
    }

    func testAStaleCtrlCDoesNotStopTheNextEntry() {
        let (s, out) = repl()
        Cancellation.request()  // pressed while nothing ran
        let (result, outcome) = s.runReplInput("n = 0; for i in range(1000) { n += 1 }; n", readSource: { _ in "" })
        XCTAssertEqual(result, .continued(.ok))
        XCTAssertEqual(outcome?.status, .ok)
        XCTAssertEqual(out.text, "1000\n")
    }

    func testLoadReportsTheReadersErrorAndKeepsTheSession() {
        struct Refused: Error, CustomStringConvertible { var description: String }
        let (s, out) = repl()
        s.run(source: "kept = 1")
        let (result, _) = s.runReplInput(":load /dev/zero") { _ in throw Refused(description: "cannot read '/dev/zero': it is a character device") }
        XCTAssertEqual(result, .continued(.runtimeError))
        XCTAssertEqual(out.text, "cannot read '/dev/zero': it is a character device\n")
        out.clear()
        _ = s.runReplInput(":load", readSource: { _ in "" })
        XCTAssertEqual(out.text, ":load needs a file name (:load FILE)\n")
        XCTAssertNotNil(s.value(of: "kept"))
    }

    func testLoadedFileNamesAreEscapedInDiagnostics() {
        let (s, _) = repl()
        let name = "\u{1b}]0;pwned\u{7}.tsh"
        let (_, outcome) = s.runReplInput(":load \(name)", readSource: { _ in "y = undefined_name" })
        XCTAssertEqual(outcome?.file, "\\x1b]0;pwned\\x07.tsh")
        XCTAssertFalse(outcome?.rendered.contains("\u{1b}") ?? true, outcome?.rendered ?? "")
        XCTAssertTrue(outcome?.rendered.hasPrefix("\\x1b]0;pwned\\x07.tsh:1:5: error:") ?? false, outcome?.rendered ?? "")
    }

    func testVariableNameFindsTheVeryTensor() throws {
        let (s, _) = repl()
        s.run(source: "a = ones(2); b = a; c = ones(2)")
        guard case .tensor(let c)? = s.value(of: "c") else { return XCTFail("c is not a tensor") }
        XCTAssertEqual(s.variableName(of: c), "c")
        guard case .tensor(let a)? = s.value(of: "a") else { return XCTFail("a is not a tensor") }
        XCTAssertEqual(s.variableName(of: a), "a", "the first name by order")
        XCTAssertNil(s.variableName(of: try Tensor(zeros: [2])))
    }
}

/// The workbench prepares each entry once, repaints once before it runs, and
/// runs it once; continuation lines and pane commands run nothing.
final class WorkbenchEntryTests: XCTestCase {
    final class RecordingEvaluator: LineEvaluator {
        var events: [String] = []

        func prepare(_ source: String) -> (() -> Evaluation)? {
            events.append("prepare \(source)")
            if source.hasSuffix("(") { return nil }
            return { [self] in
                events.append("run \(source)")
                return Evaluation()
            }
        }
    }

    func testOnePreparationOneRepaintBeforeTheRunOneRun() {
        let evaluator = RecordingEvaluator()
        let workbench = Workbench(evaluator: evaluator)
        workbench.onLiveUpdate = { evaluator.events.append("paint") }
        workbench.submit("f(")
        workbench.submit("1)")
        XCTAssertEqual(evaluator.events, ["prepare f(", "prepare f(\n1)", "paint", "run f(\n1)"])
        evaluator.events = []
        workbench.submit("   ")
        workbench.submit(":pane off")
        workbench.submit(":unwatch")
        XCTAssertEqual(evaluator.events, [], "blank lines and pane commands reach no evaluator")
        XCTAssertFalse(workbench.state.paneVisible)
    }

    func testABadPaneArgumentIsAnEscapedError() {
        let (wb, _) = makeWorkbench()
        wb.submit(":pane \u{1b}[2J")
        XCTAssertEqual(wb.state.transcript.last?.text, ":pane on|off: expected on or off, got '\\x1b[2J'")
        XCTAssertEqual(wb.state.transcript.last?.style, WorkbenchScreen.errorStyle)
        XCTAssertTrue(wb.state.paneVisible)
    }
}
