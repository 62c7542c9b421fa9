import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// The REPL, a script and a test share one run path; these check the parts
/// that differ (echo) and that the session survives errors.
final class SessionTests: XCTestCase {
    func repl() -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        return (Session(output: out, mode: .repl), out)
    }

    func testReplEchoesExpressionValuesAndSemicolonSuppresses() {
        let (s, out) = repl()
        s.run(source: "1 + 2")
        s.run(source: "2 * 2;")
        s.run(source: "x = 5")
        s.run(source: "\"text\"")
        s.run(source: "none")
        XCTAssertEqual(out.text, "3\n'text'\n")
    }

    func testScriptModeDoesNotEcho() {
        let out = CapturedOutput()
        Session(output: out).run(source: "1 + 2\nprint(4)")
        XCTAssertEqual(out.text, "4\n")
    }

    func testVariablesSurviveErrors() {
        let (s, out) = repl()
        s.run(source: "w = 3")
        let bad = s.run(source: "y = w + undefined_name")
        XCTAssertEqual(bad.status, .runtimeError)
        XCTAssertTrue(bad.rendered.hasPrefix("<stdin>:1:9: error: undefined name 'undefined_name'"))
        XCTAssertEqual(s.run(source: "x = (").status, .syntaxError)
        s.run(source: "w")
        XCTAssertEqual(out.text, "3\n")
        XCTAssertNil(s.value(of: "y"))
    }

    func testEchoUsesTensorRepr() throws {
        let (s, out) = repl()
        s.run(source: "t = [1, 2]; t")
        guard case .tensor(let t) = try XCTUnwrap(s.value(of: "t")) else { return XCTFail("not a tensor") }
        XCTAssertEqual(out.text, TensorRepr.repr(t) + "\n")
    }

    func testExitStatus() {
        let (s, _) = repl()
        XCTAssertEqual(s.run(source: "exit(3)").status, .exit(3))
        XCTAssertEqual(s.run(source: "exit(300)").status, .runtimeError)
    }

    func testCancellationStopsALoop() {
        let (s, _) = repl()
        Cancellation.request()
        let outcome = s.run(source: "while true { x = 1 }")
        XCTAssertEqual(outcome.status, .interrupted)
        XCTAssertFalse(Cancellation.isRequested)
        XCTAssertEqual(s.run(source: "y = 2").status, .ok)
    }

    func testReplCommands() {
        let (s, out) = repl()
        _ = s.runReplInput("w = param(zeros(2, 3))", readFile: { _ in nil })
        _ = s.runReplInput("n = 4", readFile: { _ in nil })
        _ = s.runReplInput(":vars", readFile: { _ in nil })
        XCTAssertEqual(out.text, "n  int 4\nw  [2, 3] f32 requires_grad\n")
        out.clear()
        _ = s.runReplInput(":time 1 + 1", readFile: { _ in nil })
        XCTAssertTrue(out.text.hasPrefix("2\ntime: "), out.text)
        out.clear()
        _ = s.runReplInput(":load lib.tsh", readFile: { $0 == "lib.tsh" ? "z = 9\nz" : nil })
        XCTAssertEqual(out.text, "", "a loaded file runs as a script (no echo)")
        XCTAssertNotNil(s.value(of: "z"))
        _ = s.runReplInput(":reset", readFile: { _ in nil })
        XCTAssertNil(s.value(of: "z"))
        XCTAssertEqual(s.runReplInput(":quit", readFile: { _ in nil }).0, .quit)
        out.clear()
        _ = s.runReplInput(":vras", readFile: { _ in nil })
        XCTAssertTrue(out.text.contains("did you mean ':vars'?"), out.text)
    }

    func testCompletion() {
        let (s, _) = repl()
        s.run(source: "weights = 1")
        XCTAssertEqual(s.completions(line: "wei", word: "wei"), ["weights"])
        XCTAssertTrue(s.completions(line: "zer", word: "zer").contains("zeros_like"))
        XCTAssertEqual(s.completions(line: "sum(x, kee", word: "kee"), ["keepdim="])
        s.run(source: "def loss(pred, target_value=0) = pred")
        XCTAssertEqual(s.completions(line: "loss(p, targ", word: "targ"), ["target_value="])
        XCTAssertTrue(s.completions(line: "clamp(x, m", word: "m").starts(with: ["min=", "max="]))
        XCTAssertTrue(s.completions(line: "x.sha", word: "sha").contains("shape"))
        XCTAssertEqual(s.completions(line: ":va", word: ":va"), [":vars"])
        XCTAssertTrue(Session.insideString("load(\"da"))
        XCTAssertFalse(Session.insideString("load(\"a\", b"))
        XCTAssertEqual(Session.calledFunction("f(a, g(b), c"), "f")
    }

    func testFunctionsSeeGlobalsButAssignLocals() {
        let out = CapturedOutput()
        Session(output: out).run(source: "g = 1\ndef f() { g = 2; g }\nprint(f(), g)")
        XCTAssertEqual(out.text, "2 1\n")
    }

    func testNoGlobalStateBetweenSessions() {
        let a = Session(output: CapturedOutput()), b = Session(output: CapturedOutput())
        a.run(source: "only_in_a = 1")
        XCTAssertNil(b.value(of: "only_in_a"))
    }
}

extension SessionTests {
    /// An error inside a function defined by an earlier input shows that input's line.
    func testErrorInsideEarlierFunctionRendersItsSource() {
        let (s, _) = repl()
        s.run(source: "def f(x) = x + missing_name", file: "<stdin>")
        let outcome = s.run(source: "y = f(1)", file: "<stdin>")
        XCTAssertEqual(outcome.rendered, """
        <stdin>:1:16: error: undefined name 'missing_name'
          def f(x) = x + missing_name
                         ^~~~~~~~~~~~

        """)
    }
}

extension SessionTests {
    func testDotWritesTheAutogradGraph() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tensh-\(UUID().uuidString).dot").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (s, _) = repl()
        let outcome = s.run(source: "w = param([1.0, 2.0])\ny = sum(w * w)\ndot(y, \"\(path)\")")
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, """
        digraph tensh {
          rankdir=BT;
          node [shape=box, fontname="monospace"];
          n0 [label="y = SumBackward\\n[] f32"];
          n1 -> n0;
          n1 [label="MulBackward\\n[2] f32"];
          n2 -> n1;
          n2 -> n1;
          n2 [label="w [2] f32", shape=ellipse];
        }

        """)
    }
}

final class RecordingProgress: ProgressSink {
    var updates: [ProgressState] = []
    var finished: [ProgressState] = []
    func update(_ state: ProgressState) { updates.append(state) }
    func finish(_ state: ProgressState) { finished.append(state) }
}

extension SessionTests {
    func testProgressReportsEachStepAndFinishes() {
        let (s, _) = repl()
        let sink = RecordingProgress()
        s.progressSink = sink
        s.run(source: "for i in progress(range(5), label=\"train\") { if i == 3 { break } }")
        XCTAssertEqual(sink.updates.map(\.done), [1, 2, 3, 4])
        XCTAssertEqual(sink.updates.map(\.total), [5, 5, 5, 5])
        XCTAssertEqual(sink.finished.map(\.done), [4], "break still finishes the bar")
        XCTAssertEqual(sink.updates.first?.label, "train")
    }

    func testProgressLine() {
        let state = ProgressState(label: "fit", done: 5, total: 20, elapsedSeconds: 2)
        XCTAssertEqual(state.line(width: 8), "fit [##......] 5/20 2.5 it/s ETA 6s")
        XCTAssertEqual(ProgressState(label: "", done: 0, total: 3, elapsedSeconds: 0).line(width: 3), "[...] 0/3 0.0 it/s")
    }
}

extension SessionTests {
    /// `:vars` and the REPL echo show strings as Python's repr: a value cannot drive the terminal.
    func testVarsAndEchoEscapeStrings() {
        let (s, out) = repl()
        s.run(source: "t = \"\u{1b}]0;pwned\u{07}\"\nu = \"it's\"\nl = [\"\u{202e}\", 1]")
        _ = s.runReplInput(":vars", readFile: { _ in nil })
        XCTAssertEqual(out.text, "l  list ['\\u202e', 1]\nt  string '\\x1b]0;pwned\\x07'\nu  string \"it's\"\n")
        out.clear()
        s.run(source: "t\nl\nprint(t)")
        XCTAssertEqual(out.text, "'\\x1b]0;pwned\\x07'\n['\\u202e', 1]\n\u{1b}]0;pwned\u{07}\n")
    }

    /// A function keeps its body when the source that defined it is gone
    /// (the tree is freed node by node, skipping nodes still in use).
    func testFunctionBodiesOutliveTheirSource() {
        let (s, out) = repl()
        s.run(source: "def f(x) = x" + String(repeating: " + 1", count: 50_000))
        s.run(source: "def g(x) {\n r = -1\n if x == 0 { r = 0 }" + (1..<2000).map { " else if x == \($0) { r = \($0) }" }.joined() + "\n r\n}")
        s.run(source: "print(f(1), g(1999), g(5000))")
        XCTAssertEqual(out.text, "50001 1999 -1\n")
    }
}
