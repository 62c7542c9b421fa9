import XCTest
import TenshEngine
import TenshLanguage
import TenshRender
@testable import TenshWorkbench

/// A workbench with a fake evaluator whose display is the pane.
func makeWorkbench(width: Int = 80, height: Int = 24) -> (Workbench, FakeEvaluator) {
    let evaluator = FakeEvaluator()
    let workbench = Workbench(evaluator: evaluator, width: width, height: height)
    evaluator.display = PaneDisplay(workbench: workbench)
    return (workbench, evaluator)
}

final class FeatureMapStateTests: XCTestCase {
    func featureView(_ wb: Workbench) throws -> FeatureMapState {
        guard case let .featureMaps(view) = wb.state.content else { throw XCTSkip("no feature maps shown") }
        return view
    }

    func testChannelCursorZoomAndPixelCursor() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try Tensors.ramp([2, 6, 3, 4])
        wb.submit("show:x")
        wb.perform(.toggleFocus)
        XCTAssertEqual(wb.state.focus, .pane)
        wb.handle(.right)
        wb.handle(.right)
        XCTAssertEqual(try featureView(wb).channel, 2)
        wb.handle(.left)
        wb.handle(.left)
        wb.handle(.left)  // stays at the first channel
        XCTAssertEqual(try featureView(wb).channel, 0)
        wb.handle(.character("z"))
        XCTAssertTrue(try featureView(wb).zoomed)
        for _ in 0..<10 { wb.handle(.right) }  // clamped to the last column
        wb.handle(.down)
        XCTAssertEqual(try featureView(wb).column, 3)
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "x[0, 0, 1, 3] = 7")
        wb.handle(.character("n"))
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "x[1, 0, 1, 3] = 79")
        wb.handle(.character("p"))
        wb.handle(.character("p"))  // wraps around
        XCTAssertEqual(try featureView(wb).maps.sample, 1)
        wb.handle(.escape)
        XCTAssertFalse(try featureView(wb).zoomed)
        XCTAssertEqual(wb.state.focus, .pane)
        wb.handle(.character("q"))
        XCTAssertEqual(wb.state.focus, .prompt)
    }

    func testDownMovesOneGridRow() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try Tensors.ramp([1, 40, 4, 4])
        wb.submit("show:x")
        wb.handle(.down)
        let view = try featureView(wb)
        let inner = try XCTUnwrap(wb.state.paneInner)
        let perRow = FeatureMapPanel.channelsPerRow(view, body: FeatureMapPanel.body(of: inner))
        XCTAssertGreaterThan(perRow, 1)
        XCTAssertLessThan(perRow, 40)
        XCTAssertEqual(view.channel, perRow)
    }

    func testColormapAndNormalisationKeys() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try Tensors.ramp([3, 2, 2])
        wb.submit("show:x")
        wb.handle(.character("m"))
        XCTAssertEqual(try featureView(wb).colormap, .gray)
        wb.handle(.character("m"))
        wb.handle(.character("m"))
        XCTAssertEqual(try featureView(wb).colormap, .viridis)
        wb.handle(.character("g"))
        XCTAssertTrue(try featureView(wb).globalNormalization)
        XCTAssertEqual(try featureView(wb).scale(ofChannel: 0).range, ValueRange(min: 0, max: 11))
    }

    func testBarsMoveAColumnCursor() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["v"] = try Tensors.ramp([5])
        wb.submit("show:v")
        wb.handle(.right)
        wb.handle(.right)
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "v[2] = 2")
        XCTAssertEqual(wb.handle(.enter), [], "bars do not zoom")
    }
}

final class GraphStateTests: XCTestCase {
    func testSelectionEnterGradientAndBack() throws {
        let (wb, ev) = makeWorkbench(width: 160, height: 48)
        let (y, _, w, _) = try Tensors.smallGraph()
        try backward(y)
        ev.tensors["y"] = y
        wb.submit("graph:y")
        guard case let .graph(graph) = wb.state.content else { return XCTFail("graph not shown") }
        XCTAssertEqual(graph.selectedNode?.title, "Sum")
        // Up from the output walks towards the inputs; find w by moving around.
        var reached = false
        for key in [Key.up, .up, .up, .up, .right, .left] {
            wb.handle(key)
            if case let .graph(g) = wb.state.content, let id = g.selected, g.graph.tensors[id] === w { reached = true; break }
        }
        XCTAssertTrue(reached, "arrow keys reach the parameter w")
        wb.handle(.character("G"))
        guard case let .featureMaps(view) = wb.state.content else { return XCTFail("gradient not shown") }
        XCTAssertTrue(view.tensor === w.grad)
        XCTAssertEqual(view.colormap, .diverging)
        wb.handle(.character("q"))
        guard case .graph = wb.state.content else { return XCTFail("q returns to the graph") }
    }

    func testGradientOfAnOpWithoutGradIsAMessage() throws {
        let (wb, ev) = makeWorkbench()
        let (y, _, _, _) = try Tensors.smallGraph()
        ev.tensors["y"] = y
        wb.submit("graph:y")
        XCTAssertEqual(wb.handle(.character("G")), [.status])
        XCTAssertEqual(wb.state.message, "Sum has no gradient yet: call backward(y) or grad(y, x) first")
        wb.handle(.enter)
        guard case let .featureMaps(view) = wb.state.content else { return XCTFail("value not shown") }
        XCTAssertTrue(view.maps.isBars, "a 0-d sum shows as one bar")
    }

    func testCollapseToggleMergesChains() throws {
        let (wb, ev) = makeWorkbench()
        var t = try Tensor(scalar: 1).setRequiresGrad()
        for _ in 0..<6 { t = try t * 2.0 }
        ev.tensors["t"] = t
        wb.submit("graph:t")
        guard case let .graph(collapsed) = wb.state.content else { return XCTFail("graph not shown") }
        wb.handle(.character("c"))
        guard case let .graph(full) = wb.state.content else { return XCTFail("graph not shown") }
        XCTAssertLessThan(collapsed.model.nodes.count, full.model.nodes.count)
        XCTAssertEqual(full.model.nodes.count, full.graph.model.nodes.count)
    }
}

final class WorkbenchFlowTests: XCTestCase {
    func testTranscriptEchoOutputAndErrors() {
        let (wb, ev) = makeWorkbench()
        ev.answers["1+1"] = Evaluation(output: "tensor(2.)\n")
        wb.submit("1+1")
        wb.submit("nope")
        XCTAssertEqual(wb.state.transcript.map(\.text),
                       [">>> 1+1", "tensor(2.)", ">>> nope", "<stdin>:1:1: error: unknown name 'nope'"])
        XCTAssertEqual(wb.state.transcript.last?.style, WorkbenchScreen.errorStyle)
    }

    func testContinuationLinesAreJoined() {
        let (wb, ev) = makeWorkbench()
        ev.answers["f(1,\n2)"] = Evaluation(output: "3\n")
        XCTAssertEqual(wb.submit("f(1,"), [.transcript, .input])
        XCTAssertEqual(wb.prompt, "... ")
        wb.submit("2)")
        XCTAssertEqual(ev.evaluated, ["f(1,\n2)"])
        XCTAssertEqual(wb.state.transcript.map(\.text), [">>> f(1,", "... 2)", "3"])
    }

    func testCancellingAnOpenEntry() {
        let (wb, ev) = makeWorkbench()
        ev.answers["2"] = Evaluation(output: "2\n")
        wb.submit("f(1,")
        wb.cancelPendingInput()
        XCTAssertEqual(wb.prompt, ">>> ")
        wb.submit("2")
        XCTAssertEqual(ev.evaluated, ["2"])
    }

    func testWatchesAreReevaluatedAfterEachStatement() {
        let (wb, ev) = makeWorkbench()
        ev.answers["x.sum()"] = Evaluation(output: "tensor(1.)\n")
        wb.submit("watch(x.sum())")
        XCTAssertEqual(wb.state.watches, [Watch(expression: "x.sum()", text: "tensor(1.)")])
        ev.answers["x += 1"] = Evaluation()
        ev.answers["x.sum()"] = Evaluation(output: "tensor(5.)\n")
        wb.submit("x += 1")
        XCTAssertEqual(wb.state.watches.first?.text, "tensor(5.)")
        wb.submit(":unwatch")
        XCTAssertTrue(wb.state.watches.isEmpty)
    }

    func testPaneOffGivesTheTranscriptTheRows() {
        let (wb, _) = makeWorkbench()
        let before = wb.state.layout?.transcript.height ?? 0
        wb.submit(":pane off")
        XCTAssertFalse(wb.state.paneVisible)
        XCTAssertGreaterThan(wb.state.layout?.transcript.height ?? 0, before)
        XCTAssertEqual(wb.perform(.toggleFocus).contains(.focus), true)
        XCTAssertEqual(wb.state.focus, .prompt, "no pane, no pane focus")
        wb.submit(":pane on")
        XCTAssertNotNil(wb.state.layout?.pane)
    }

    func testProgressShowsOnTheStatusLine() {
        let (wb, _) = makeWorkbench()
        var repaints = 0
        wb.onLiveUpdate = { repaints += 1 }
        wb.setProgress("epoch 3/10  ETA 4s")
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "epoch 3/10  ETA 4s")
        XCTAssertEqual(repaints, 1)
    }

    func testQuitCarriesTheExitCode() {
        let (wb, ev) = makeWorkbench()
        ev.answers[":quit"] = Evaluation(exitCode: 0)
        XCTAssertEqual(wb.submit(":quit"), [.quit])
        XCTAssertEqual(wb.exitCode, 0)
    }

    func testShowErrorsComeBackAsErrors() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["big"] = try Tensors.ramp([1, 1, 1, 1, 2])
        wb.submit("show:big")
        XCTAssertEqual(wb.state.transcript.last?.text, "show: expects a tensor with 1 to 4 dimensions, got shape [1, 1, 1, 1, 2]")
    }

    func testPaneFollowsInPlaceUpdates() throws {
        let (wb, ev) = makeWorkbench()
        let x = try Tensors.ramp([2, 2])
        ev.tensors["x"] = x
        wb.submit("show:x")
        x.storage.bytes.storeBytes(of: Float(42), as: Float.self)  // what `x += ...` does in place
        ev.answers["step"] = Evaluation()
        wb.submit("step")
        guard case let .featureMaps(view) = wb.state.content else { return XCTFail("not shown") }
        XCTAssertEqual(view.maps.channels[0][0, 0], 42)
    }

    func testUnknownColormapIsAnError() throws {
        let display = PaneDisplay(workbench: makeWorkbench().0)
        XCTAssertThrowsError(try display.show(Tensors.ramp([2, 2]), options: ShowOptions(colormap: "jet"))) { error in
            XCTAssertEqual("\(error)", "show: unknown colormap 'jet' (expected one of viridis, gray, diverging)")
        }
    }
}
