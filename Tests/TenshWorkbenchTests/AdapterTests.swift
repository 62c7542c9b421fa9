import XCTest
import TenshText
import TenshEngine
import TenshRender
@testable import TenshWorkbench

final class FeatureMapAdapterTests: XCTestCase {
    func testFourDimensionalSampleGivesItsChannels() throws {
        let x = try Tensors.ramp([2, 3, 2, 2], dtype: .float64)
        let maps = try FeatureMaps(x, sample: 1)
        XCTAssertEqual(maps.sampleCount, 2)
        XCTAssertEqual(maps.channels.count, 3)
        XCTAssertEqual(maps.channels[0].values, [12, 13, 14, 15])
        XCTAssertEqual(maps.channels[2].values, [20, 21, 22, 23])
        XCTAssertEqual(maps.indexText(name: "x", channel: 2, row: 1, column: 0), "x[1, 2, 1, 0]")
        XCTAssertEqual(maps.value(channel: 2, row: 1, column: 0), 22)
    }

    func testThreeTwoAndOneDimensional() throws {
        let c = try FeatureMaps(Tensors.ramp([2, 2, 3]))
        XCTAssertEqual(c.channels.map(\.columns), [3, 3])
        XCTAssertEqual(c.indexText(name: "f", channel: 1, row: 0, column: 2), "f[1, 0, 2]")
        let m = try FeatureMaps(Tensors.ramp([2, 5]))
        XCTAssertEqual(m.channels.count, 1)
        XCTAssertEqual(m.channels[0][1, 4], 9)
        XCTAssertEqual(m.indexText(name: "m", channel: 0, row: 1, column: 4), "m[1, 4]")
        let v = try FeatureMaps(Tensors.ramp([6], dtype: .int64))
        XCTAssertTrue(v.isBars)
        XCTAssertEqual(v.bars, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(v.indexText(name: "v", channel: 0, row: 0, column: 3), "v[3]")
    }

    func testStridedTensorsAreReadThroughTheirStrides() throws {
        // An expanded view has stride 0 along its columns: every row repeats one value.
        let column = try Tensors.ramp([3]).reshaped([3, 1]).expanded([3, 4])
        let maps = try FeatureMaps(column)
        XCTAssertEqual(maps.channels[0].values, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    }

    func testUnshowableTensorsThrowNamedErrors() throws {
        XCTAssertThrowsError(try FeatureMaps(Tensors.ramp([1, 1, 1, 2, 2]))) { error in
            XCTAssertEqual("\(error)", "show: expects a tensor with 1 to 4 dimensions, got shape [1, 1, 1, 2, 2]")
        }
        XCTAssertThrowsError(try FeatureMaps(Tensor(zeros: [2, 0]))) { error in
            XCTAssertEqual("\(error)", "show: cannot show a tensor with no elements (shape [2, 0])")
        }
        XCTAssertThrowsError(try FeatureMaps(Tensors.ramp([2, 1, 2, 2]), sample: 2)) { error in
            XCTAssertEqual("\(error)", "show: sample 2 is out of range for 2 sample(s) (shape [2, 1, 2, 2])")
        }
    }

    func testGlobalRangesCoverEveryChannel() throws {
        let maps = try FeatureMaps(Tensors.ramp([2, 2, 2]))
        XCTAssertEqual(maps.ranges(global: false), [ValueRange(min: 0, max: 3), ValueRange(min: 4, max: 7)])
        XCTAssertEqual(maps.ranges(global: true), [ValueRange(min: 0, max: 7), ValueRange(min: 0, max: 7)])
    }
}

final class AutogradGraphAdapterTests: XCTestCase {
    func testGraphHasOpsLeavesAndEdgesInInputOrder() throws {
        let (y, x, w, b) = try Tensors.smallGraph()
        let names: [ObjectIdentifier: String] = [ObjectIdentifier(x): "x", ObjectIdentifier(w): "w", ObjectIdentifier(b): "b"]
        let graph = AutogradGraph(root: y, name: { names[ObjectIdentifier($0)] })
        let titles = graph.model.nodes.map(\.title)
        XCTAssertEqual(titles, ["Sum", "Relu", "Add", "Mul", "b", "x", "w"])
        XCTAssertEqual(graph.model.nodes.map(\.kind), [.output, .op, .op, .op, .parameter, .input, .parameter])
        XCTAssertEqual(graph.model.nodes[1].shape, "[1, 2, 4, 4]")
        // Add's inputs: Mul first, then b.
        XCTAssertEqual(graph.model.edges.filter { $0.to == 2 }.map(\.from), [3, 4])
        XCTAssertTrue(graph.tensors[5] === x)
        XCTAssertFalse(graph.truncated)
    }

    func testGradientNormsAppearAfterBackward() throws {
        let (y, _, w, b) = try Tensors.smallGraph()
        try backward(y)
        let graph = AutogradGraph(root: y)
        let wNode = try XCTUnwrap(graph.model.nodes.first { graph.tensors[$0.id] === w })
        let expected = NumberText.short(TensorValues.norm(try XCTUnwrap(w.grad)))
        XCTAssertEqual(wNode.notes, ["|grad|=" + expected])
        let bNode = try XCTUnwrap(graph.model.nodes.first { graph.tensors[$0.id] === b })
        XCTAssertEqual(bNode.title, "0.5", "an unnamed 0-d leaf shows its value")
    }

    func testDeepChainsAreWalkedWithoutRecursionAndCut() throws {
        var t = try Tensor(scalar: 1, dtype: .float64).setRequiresGrad()
        for _ in 0..<5000 { t = try t + 1.0 }
        let graph = AutogradGraph(root: t, maxNodes: 300)
        XCTAssertEqual(graph.model.nodes.count, 300)
        XCTAssertTrue(graph.truncated)
        XCTAssertEqual(graph.model.nodes.first?.shape, "[] f64")
    }

    func testPlainTreeOfTheGraph() throws {
        let (y, x, w, b) = try Tensors.smallGraph()
        let names: [ObjectIdentifier: String] = [ObjectIdentifier(x): "x", ObjectIdentifier(w): "w", ObjectIdentifier(b): "b"]
        var out = ""
        let display = PlainDisplay(mode: .none, tensorNamer: { names[ObjectIdentifier($0)] }) { out += $0 }
        try display.showGraph(of: y, title: "y")
        XCTAssertEqual(out, """
            Sum → []
            └─ Relu → [1, 2, 4, 4]
               └─ Add → [1, 2, 4, 4]
                  ├─ Mul → [1, 2, 4, 4]
                  │  ├─ x [1, 2, 4, 4]
                  │  └─ w (param) [1, 2, 4, 4]
                  └─ b (param) []

            """)
    }
}
