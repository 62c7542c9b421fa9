import Foundation
import TenshEngine
import TenshLanguage
import TenshText
@testable import TenshRender
@testable import TenshWorkbench
import XCTest

/// The views that look inside a network, driven through the workbench's
/// displays and keys: gradients on every graph node, the stats table,
/// histograms, filters, pictures with overlays, explain.
final class InsightViewTests: XCTestCase {
    /// A small CNN after backward, with the session's store of op gradients.
    static let cnn = """
    x = sin(arange(2 * 1 * 6 * 6) * 0.7).reshape(2, 1, 6, 6)
    w = param(cos(arange(4 * 1 * 3 * 3) * 1.3).reshape(4, 1, 3, 3))
    c = conv2d(x, w, padding=1)
    h = relu(c)
    p = max_pool2d(h, 2)
    loss = mean(p)
    backward(loss)
    """

    func workbench(_ source: String = cnn, width: Int = 80, height: Int = 24) throws -> (Workbench, Session, FakeEvaluator) {
        let session = try Scripted.run(source)
        let (wb, ev) = makeWorkbench(width: width, height: height)
        wb.retainedGradients = session.retainedGradients
        wb.tensorNamer = { session.variableName(of: $0) }
        for (name, value) in session.variables { if case .tensor(let t) = value { ev.tensors[name] = t } }
        return (wb, session, ev)
    }

    func select(_ op: String, in wb: Workbench) throws -> GraphState {
        guard case var .graph(view) = wb.state.content else { throw TmuxSession.Failure(description: "no graph") }
        view.selected = try XCTUnwrap(view.model.nodes.first { $0.title == op }?.id)
        wb.state.content = .graph(view)
        return view
    }

    func testOpNodesCarryTheirGradientAndGShowsIt() throws {
        let (wb, session, _) = try workbench()
        wb.submit("graph:loss")
        let view = try select("Relu", in: wb)
        let relu = try XCTUnwrap(view.selectedNode)
        let h = try Scripted.tensor(session, "h")
        let kept = try XCTUnwrap(session.retainedGradients?.gradient(of: h))
        XCTAssertEqual(relu.notes, ["|grad|=" + NumberText.short(TensorValues.norm(kept))])
        XCTAssertEqual(view.model.nodes.first { $0.title == "Conv2d" }?.attributes, ["padding=[1, 1]"], "defaults hidden")
        XCTAssertEqual(view.model.nodes.first { $0.title == "MaxPool2d" }?.attributes, ["kernel_size=[2, 2]"])
        wb.handle(.character("G"))
        guard case let .featureMaps(shown) = wb.state.content else { return XCTFail("the gradient is not shown") }
        XCTAssertTrue(shown.tensor === kept)
        XCTAssertEqual(shown.title, "Relu.grad")
        XCTAssertEqual(shown.colormap, .diverging)
        wb.handle(.character("q"))
        guard case .graph = wb.state.content else { return XCTFail("q returns to the graph") }
    }

    func testMColoursTheGraphByGradientWithALegend() throws {
        let (wb, _, _) = try workbench()
        wb.submit("graph:loss")
        wb.handle(.character("m"))
        guard case let .graph(view) = wb.state.content, let scale = view.gradientScale else { return XCTFail("not coloured") }
        for node in view.model.nodes {
            let norm = view.graph.gradientNorms[node.id]
            XCTAssertEqual(node.highlight, norm.map(scale.color(for:)), node.title)
        }
        XCTAssertNil(view.model.nodes.first { $0.title == "x" }?.highlight, "x has no gradient")
        let screen = wb.render().lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("border: |grad| 1e-"), screen)
        XCTAssertTrue(screen.contains("vanishing … exploding"), screen)
        wb.handle(.character("m"))
        guard case let .graph(plain) = wb.state.content else { return XCTFail() }
        XCTAssertNil(plain.gradientScale)
        XCTAssertTrue(plain.model.nodes.allSatisfy { $0.highlight == nil })

        let (fresh, _, _) = try workbench("w = param(ones(2)); y = sum(w * 2)")
        fresh.submit("graph:y")
        XCTAssertEqual(fresh.handle(.character("m")), [.status])
        XCTAssertEqual(fresh.state.message, "no node has a gradient yet: call backward(y) first")
    }

    func testStatsViewSelectsOpensAndRendersAsATable() throws {
        let (wb, session, _) = try workbench()
        let loss = try Scripted.tensor(session, "loss")
        let rows = try NodeStatistics.of(loss, name: { session.variableName(of: $0) }, gradient: { session.gradient(of: $0) })
        try PaneDisplay(workbench: wb).showStatistics(rows, of: loss, title: "loss")
        guard case let .stats(view) = wb.state.content else { return XCTFail("no stats view") }
        XCTAssertEqual(view.selected, rows.count - 1, "the root is selected first")
        wb.perform(.toggleFocus)
        Snapshot.assertMatches(wb.render(), named: "stats_80x24")
        wb.handle(.up)
        wb.handle(.up)
        guard case let .stats(moved) = wb.state.content else { return XCTFail() }
        XCTAssertEqual(rows[moved.selected].name, "h")
        XCTAssertTrue(WorkbenchScreen.statusLeft(wb.state).hasPrefix("#\(rows[moved.selected].index) h Relu [2, 4, 6, 6]"))
        wb.handle(.character("G"))
        guard case let .featureMaps(grad) = wb.state.content else { return XCTFail("G opens the gradient") }
        XCTAssertTrue(grad.tensor === rows[moved.selected].gradient)
        wb.handle(.character("q"))
        wb.handle(.enter)
        guard case let .featureMaps(value) = wb.state.content else { return XCTFail("Enter opens the value") }
        XCTAssertTrue(value.tensor === rows[moved.selected].tensor)
    }

    func testHistogramViewAndLogKey() throws {
        let (wb, session, _) = try workbench()
        try PaneDisplay(workbench: wb).histogram(try Scripted.tensor(session, "h"), options: HistogramOptions(bins: 12, title: "h"))
        guard case let .histogram(view) = wb.state.content else { return XCTFail("no histogram") }
        XCTAssertEqual(view.data.counts.reduce(0, +), 2 * 4 * 6 * 6)
        XCTAssertEqual(view.data.zeros, try Scripted.tensor(session, "h").toDoubles().filter { $0 == 0 }.count)
        Snapshot.assertMatches(wb.render(), named: "histogram_80x24")
        wb.perform(.toggleFocus)
        wb.handle(.character("l"))
        guard case let .histogram(log) = wb.state.content else { return XCTFail() }
        XCTAssertTrue(log.logScale)
        XCTAssertTrue(HistogramPanel.header(log).hasSuffix("  log counts"))
    }

    func testHistogramBinsAsNumPy() throws {
        let t = try Tensor([0, 0.1, 0.2, 0.3, 0.4, 1, 1, -0.5, .nan, .infinity], shape: [10])
        let data = try HistogramData(t, bins: 3)
        // numpy.histogram([0, .1, .2, .3, .4, 1, 1, -.5], 3) → [1, 5, 2], edges -0.5, 0, 0.5, 1
        XCTAssertEqual(data.counts, [1, 5, 2])
        XCTAssertEqual(data.range, ValueRange(min: -0.5, max: 1))
        XCTAssertEqual(data.zeros, 1)
        XCTAssertEqual(data.nans, 1)
        XCTAssertEqual(data.infinities, 1)
        XCTAssertEqual(data.mean, 2.5 / 8, accuracy: 1e-7, "float32 elements")
        XCTAssertEqual(try HistogramData(Tensor([2, 2], shape: [2]), bins: 4).range, ValueRange(min: 1.5, max: 2.5))
    }

    func testParametersShowAsFiltersAndColourPicturesForThreeInputs() throws {
        let (wb, session, _) = try workbench(Self.cnn + "\nrgbw = param(sin(arange(5 * 3 * 2 * 2) * 0.3).reshape(5, 3, 2, 2))")
        let display = PaneDisplay(workbench: wb)
        try display.show(try Scripted.tensor(session, "w"), options: ShowOptions(title: "w"))
        guard case let .filters(grid) = wb.state.content else { return XCTFail("a 4-d parameter shows its filters") }
        XCTAssertFalse(grid.color)
        XCTAssertEqual(FilterPanel.header(grid), "w  [4, 1, 3, 3] f32  filters 4×1  diverging  global")
        Snapshot.assertMatches(wb.render(), named: "filters_80x24")
        wb.perform(.toggleFocus)
        wb.handle(.down)
        wb.handle(.down)
        XCTAssertTrue(WorkbenchScreen.statusLeft(wb.state).hasPrefix("w[2, 0]  min "))
        wb.handle(.enter)
        guard case let .featureMaps(kernel) = wb.state.content else { return XCTFail("Enter opens the kernels of o2") }
        XCTAssertEqual(kernel.title, "w[2]")
        XCTAssertTrue(kernel.zoomed)
        wb.handle(.character("q"))
        wb.handle(.character("q"))
        guard case .filters = wb.state.content else { return XCTFail("q q returns to the filters") }

        try display.show(try Scripted.tensor(session, "rgbw"), options: ShowOptions(title: "rgbw"))
        guard case let .filters(color) = wb.state.content else { return XCTFail() }
        XCTAssertTrue(color.color, "three input channels make one colour picture per filter")
        XCTAssertTrue(wb.render().lines.joined().contains("o4"))

        try display.show(try Scripted.tensor(session, "w"), options: ShowOptions(title: "w", filters: false))
        guard case .featureMaps = wb.state.content else { return XCTFail("filters=false gives feature maps") }
        try display.show(try Scripted.tensor(session, "c"), options: ShowOptions(title: "c"))
        guard case .featureMaps = wb.state.content else { return XCTFail("an activation is not a weight") }
        XCTAssertThrowsError(try display.show(try Scripted.tensor(session, "loss"), options: ShowOptions(filters: true))) {
            XCTAssertEqual("\($0)", "show: filters=true needs a 4-d weight [C_out, C_in, kh, kw], got shape []")
        }
    }

    func testPicturesInTrueColourWithABlendedOverlay() throws {
        let (wb, session, _) = try workbench("""
        img = sin(arange(3 * 4 * 4) * 0.2) * 0.5 + 0.5
        img = img.reshape(3, 4, 4)
        gray = ones(1, 1, 4, 4) * 0.5
        heat = arange(16).reshape(4, 4)
        """)
        let img = try Scripted.tensor(session, "img")
        img.isImage = true
        let display = PaneDisplay(workbench: wb)
        try display.show(img, options: ShowOptions(title: "img"))
        guard case let .picture(photo) = wb.state.content else { return XCTFail("load_image results are pictures") }
        XCTAssertEqual(photo.channels.count, 3)
        Snapshot.assertMatches(wb.render(), named: "picture_80x24")
        try display.show(img, options: ShowOptions(title: "img", rgb: false))
        guard case .featureMaps = wb.state.content else { return XCTFail("rgb=false: three channels") }

        let heat = try Scripted.tensor(session, "heat")
        try display.show(try Scripted.tensor(session, "gray"), options: ShowOptions(title: "gray", overlay: heat, alpha: 0.25))
        guard case let .picture(blend) = wb.state.content else { return XCTFail("an overlay makes a picture") }
        let channels = blend.channels
        let scale = ColorScale(colormap: .viridis, range: ValueRange(min: 0, max: 15))
        for p in [0, 7, 15] {
            let heatColor = try XCTUnwrap(scale.color(for: Double(p)).rgbComponents)
            XCTAssertEqual(channels[0].values[p], 0.75 * 0.5 + 0.25 * Double(heatColor.r) / 255, accuracy: 1e-12)
            XCTAssertEqual(channels[2].values[p], 0.75 * 0.5 + 0.25 * Double(heatColor.b) / 255, accuracy: 1e-12)
        }
        wb.perform(.toggleFocus)
        wb.handle(.right)
        wb.handle(.down)
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "gray[:, 1, 1] = 0.5  overlay 5")
        wb.handle(.character("o"))
        guard case let .picture(hidden) = wb.state.content else { return XCTFail() }
        XCTAssertEqual(hidden.channels[0].values[5], 0.5, "o hides the overlay")
        XCTAssertThrowsError(try display.show(img, options: ShowOptions(overlay: try Scripted.tensor(session, "img")))) {
            XCTAssertEqual("\($0)", "show: the overlay must be one heatmap ([H, W], [1, H, W] or [1, 1, H, W]), got shape [3, 4, 4]")
        }
    }

    func testEOnAZoomedPixelExplainsItAndQReturns() throws {
        let (wb, _, _) = try workbench()
        wb.submit("show:c")
        wb.perform(.toggleFocus)
        wb.handle(.character("e"))
        XCTAssertEqual(wb.state.message, "e explains a pixel of a conv or pooling output: zoom into a channel first (Enter)")
        wb.handle(.enter)
        wb.handle(.right)
        wb.handle(.character("e"))
        guard case let .explain(view) = wb.state.content else { return XCTFail("e opens explain") }
        XCTAssertEqual(view.explanation.index, [0, 0, 0, 1])
        Snapshot.assertMatches(wb.render(), named: "explain_80x24")
        wb.handle(.down)
        guard case let .explain(scrolled) = wb.state.content else { return XCTFail() }
        XCTAssertEqual(scrolled.firstTerm, 1)
        wb.handle(.character("q"))
        guard case let .featureMaps(back) = wb.state.content else { return XCTFail("q returns to the zoomed pixel") }
        XCTAssertTrue(back.zoomed)
    }

    func testResetForgetsWatchesAndWhatThePaneShows() throws {
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try Tensors.ramp([2, 2])
        ev.answers["x.sum()"] = Evaluation(output: "tensor(6.)")
        ev.answers[":reset"] = Evaluation(output: "all variables cleared")
        wb.submit("show:x")
        wb.addWatch("x.sum()")
        wb.submit(":reset")
        XCTAssertTrue(wb.state.watches.isEmpty)
        guard case .empty = wb.state.content else { return XCTFail("the pane is cleared") }
    }

    func testABackwardOverTheDisplayLimitIsNoted() throws {
        let (wb, ev) = makeWorkbench()
        let store = RetainedGradients(byteLimit: 8)
        wb.retainedGradients = store
        let (y, _, _, _) = try Tensors.smallGraph()
        try backward(y, retaining: store)
        ev.answers["step"] = Evaluation()
        wb.submit("step")
        XCTAssertEqual(wb.state.transcript.last?.text,
                       "note: kept the gradients of 1 of 4 op nodes for display: the other 3 (384 bytes) would pass the limit of 8 bytes")
        wb.submit("step")
        XCTAssertEqual(wb.state.transcript.filter { $0.text.hasPrefix("note:") }.count, 1, "said once per backward")
    }

    func testAScriptPrintsItsPlotOnceAtTheEnd() throws {
        var out = ""
        let display = PlainDisplay(mode: .none, width: 40) { out += $0 }
        display.defersPlots = true
        for n in 1...5 { try display.plot([PlotSeries(label: "", values: (0..<n).map(Double.init))], title: "losses") }
        XCTAssertEqual(out, "", "nothing while the loop runs")
        try display.plot([PlotSeries(label: "", values: [1, 2])], title: "accuracy")
        XCTAssertEqual(out.components(separatedBy: "losses  1 series, 5 points").count, 2, "the last losses chart, once")
        display.finish()
        XCTAssertTrue(out.contains("accuracy  1 series, 2 points"))
        display.finish()
        XCTAssertEqual(out.components(separatedBy: "accuracy").count, 2, "finish prints what is held, once")
    }

    func testVarsShowsOneLineForEachVariableCutToTheWidth() throws {
        let out = Scripted.Sink()
        let session = Session(output: out, mode: .repl)
        session.run(source: "losses = []\nfor i in range(300) { losses = losses + [i * 1.5] }\nw = ones(2, 3)")
        session.outputWidth = 40
        out.text = ""
        _ = session.runReplInput(":vars") { _ in "" }
        let lines = out.text.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, "i, losses, w")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("losses  list [0.0, 1.5, 3.0") && $0.hasSuffix("…") }, "\(lines)")
        XCTAssertTrue(lines.contains("w       [2, 3] f32"), "\(lines)")
    }
}
