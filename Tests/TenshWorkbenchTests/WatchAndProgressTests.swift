import XCTest
import TenshEngine
@testable import TenshLanguage
@testable import TenshWorkbench

/// An evaluator whose echo streams out (like the Session's, through the
/// transcript) unless a watch is being evaluated: `evaluateWatch` must return it.
final class StreamingEvaluator: LineEvaluator {
    var streamed: [String] = []
    var values: [String: String] = [:]
    var watchCalls = 0

    func prepare(_ source: String) -> (() -> Evaluation)? {
        {
            self.streamed.append(self.values[source] ?? "")
            return Evaluation()
        }
    }

    func evaluateWatch(_ expression: String) -> Evaluation {
        watchCalls += 1
        return Evaluation(output: (values[expression] ?? "?") + "\n")
    }
}

final class WatchAndProgressTests: XCTestCase {
    func testWatchBuiltinInTheWorkbenchRegistersWithoutEvaluating() throws {
        let evaluator = StreamingEvaluator()
        let workbench = Workbench(evaluator: evaluator)
        let display = PaneDisplay(workbench: workbench)
        try display.watch(expression: "loss", value: "tensor(0.5000)\nsecond line")
        // Shown at once with the value the statement computed; not evaluated again
        // while the statement runs (that would re-enter the busy session).
        XCTAssertEqual(workbench.state.watches, [Watch(expression: "loss", text: "tensor(0.5000)")])
        XCTAssertEqual(evaluator.watchCalls, 0)
        evaluator.values["loss"] = "tensor(0.2500)"
        workbench.submit("step()")
        XCTAssertEqual(evaluator.watchCalls, 1)
        XCTAssertEqual(workbench.state.watches.first?.text, "tensor(0.2500)")
        try display.watch(expression: "loss", value: "tensor(1.)")
        XCTAssertEqual(workbench.state.watches.count, 1, "a repeated watch replaces the old one")
    }

    func testWatchLineUsesEvaluateWatchNotTheStreamingPath() {
        let evaluator = StreamingEvaluator()
        evaluator.values["x.sum()"] = "tensor(3.)"
        let workbench = Workbench(evaluator: evaluator)
        workbench.submit("watch(x.sum())")
        XCTAssertEqual(workbench.state.watches.first?.text, "tensor(3.)")
        XCTAssertTrue(evaluator.streamed.isEmpty, "the watch's echo must not reach the transcript")
    }

    func testPlainDisplayPrintsAWatchOnce() throws {
        var out = ""
        try PlainDisplay(mode: .none) { out += $0 }.watch(expression: "w.grad", value: "tensor([2., 2.])")
        XCTAssertEqual(out, "watch w.grad: tensor([2., 2.])\n")
    }

    func testProgressGoesToTheStatusLineAndIsClearedAtTheEnd() {
        let (workbench, _) = makeWorkbench()
        let progress = PaneProgress(workbench: workbench)
        progress.update(ProgressState(label: "train", done: 3, total: 10, elapsedSeconds: 1.5))
        XCTAssertEqual(WorkbenchScreen.statusLeft(workbench.state), "train [######..............] 3/10 2.0 it/s ETA 4s")
        // Within 100 ms a further step is not redrawn, except the last one.
        progress.update(ProgressState(label: "train", done: 4, total: 10, elapsedSeconds: 1.6))
        XCTAssertTrue(WorkbenchScreen.statusLeft(workbench.state).contains("3/10"))
        progress.update(ProgressState(label: "train", done: 10, total: 10, elapsedSeconds: 2))
        XCTAssertTrue(WorkbenchScreen.statusLeft(workbench.state).contains("10/10"))
        progress.finish(ProgressState(label: "train", done: 10, total: 10, elapsedSeconds: 2))
        XCTAssertEqual(WorkbenchScreen.statusLeft(workbench.state), "running…  (Ctrl-C cancels)")
    }

    func testUnnamedPlotSeriesIsNamedByTheTitleInTheStatusLine() throws {
        let (workbench, _) = makeWorkbench()
        try PaneDisplay(workbench: workbench).plot([PlotSeries(label: "", values: [3, 2, 0.5])], title: "losses")
        XCTAssertEqual(WorkbenchScreen.statusLeft(workbench.state), "losses: 0.5")
    }
}
