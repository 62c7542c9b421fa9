import XCTest
@testable import TenshEngine

/// retain_grad as PyTorch has it, the store of op gradients the workbench and
/// `stats` read, the graph walk, and the statistics of one node.
final class GradientRetentionTests: XCTestCase {
    /// x = [1, 2] (leaf), h = 3x, y = sum(h * h): dy/dh = 2h = [6, 12].
    func square() throws -> (x: Tensor, h: Tensor, y: Tensor) {
        let x = try Tensor([1, 2], shape: [2]).setRequiresGrad()
        let h = try x * 3.0
        return (x, h, try sum(try h * h))
    }

    /// PyTorch: grad() fills a retained .grad, backward accumulates into it.
    func testRetainGradFillsAndAccumulatesLikePyTorch() throws {
        let (x, h, y) = try square()
        try h.retainGrad()
        XCTAssertTrue(h.retainsGrad)
        _ = try grad(y, x)
        XCTAssertEqual(h.grad?.toDoubles(), [6, 12])
        try backward(y)
        XCTAssertEqual(h.grad?.toDoubles(), [12, 24])
        try backward(y)
        XCTAssertEqual(h.grad?.toDoubles(), [18, 36])
        XCTAssertEqual(x.grad?.toDoubles(), [36, 72], "the leaf's own gradient: two backwards of 18x")
    }

    func testRetainGradOnALeafIsANoOpAndWithoutGradAnError() throws {
        let (x, _, _) = try square()
        try x.retainGrad()
        XCTAssertFalse(x.retainsGrad, "PyTorch: a leaf keeps its .grad anyway; retains_grad stays false")
        XCTAssertThrowsError(try Tensor([1], shape: [1]).retainGrad()) { error in
            XCTAssertTrue("\(error)".contains("can't retain_grad on a tensor that has requires_grad=false"), "\(error)")
        }
    }

    func testBackwardKeepsTheGradientOfEveryOpOutputWithoutTouchingGrad() throws {
        let (x, h, y) = try square()
        let store = RetainedGradients()
        try backward(y, retaining: store)
        XCTAssertNil(h.grad, "a kept gradient is not .grad: scripts see PyTorch's None")
        XCTAssertEqual(store.gradient(of: h)?.toDoubles(), [6, 12])
        XCTAssertEqual(store.gradient(of: y)?.toDoubles(), [1])
        XCTAssertNil(store.gradient(of: x), "leaves have .grad")
        XCTAssertEqual(store.count, 3, "Sum, Mul and the multiplication by 3")
        XCTAssertNil(store.shortfall)
        let generation = store.generation
        try backward(y, retaining: store)
        XCTAssertEqual(store.generation, generation + 1, "each pass starts over")
        XCTAssertEqual(store.gradient(of: h)?.toDoubles(), [6, 12], "the last pass, not a sum of passes")
    }

    func testGradKeepsOnlyWhatItComputes() throws {
        let x = try Tensor([1, 2], shape: [2]).setRequiresGrad(), w = try Tensor([3], shape: [1]).setRequiresGrad()
        let a = try x * 2.0, b = try w * 5.0
        let y = try sum(try a + b)
        let store = RetainedGradients()
        _ = try grad([y], [x], retaining: store)
        XCTAssertEqual(store.gradient(of: a)?.toDoubles(), [1, 1])
        XCTAssertNil(store.gradient(of: b), "nothing flows to w, so b's gradient is never computed")
    }

    func testTheByteLimitIsKeptAndTheShortfallSaid() throws {
        let x = try Tensor(zeros: [1000]).setRequiresGrad()
        var t = x
        for _ in 0..<5 { t = try t * 2.0 }
        let y = try sum(t)
        let store = RetainedGradients(byteLimit: 3 * 4000)
        try backward(y, retaining: store)
        XCTAssertEqual(store.count, 3, "the Sum's 4 bytes and two of the 4,000-byte products fit")
        XCTAssertLessThanOrEqual(store.keptBytes, 12_000)
        XCTAssertEqual(store.skippedCount, 3)
        XCTAssertEqual(store.skippedBytes, 12_000)
        XCTAssertEqual(store.shortfall,
                       "kept the gradients of 3 of 6 op nodes for display: the other 3 (12000 bytes) would pass the limit of 12000 bytes")
    }

    func testAKeptGradientNeverAnswersForAnotherNode() throws {
        let store = RetainedGradients()
        do {
            let (_, _, y) = try square()
            try backward(y, retaining: store)
        }
        let (_, h, _) = try square()
        XCTAssertNil(store.gradient(of: h), "entries hold their node weakly")
    }

    func testGraphWalkOrdersInputsBeforeConsumers() throws {
        let (x, h, y) = try square()
        let walk = GraphWalk(root: y)
        XCTAssertTrue(walk.entries[0].tensor === y, "the root first")
        XCTAssertEqual(walk.entries.count, 5, "y, h*h, h, x and the constant 3")
        let mul = try XCTUnwrap(walk.entries.firstIndex { $0.node?.op == "Mul" && $0.tensor !== h })
        XCTAssertEqual(walk.entries[mul].inputs.count, 2, "h twice")
        XCTAssertEqual(Set(walk.entries[mul].inputs).count, 1)
        let order = walk.topologicalOrder
        XCTAssertEqual(order.count, 5)
        XCTAssertEqual(order.last, 0)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for (from, to) in walk.edges { XCTAssertLessThan(position[from] ?? -1, position[to] ?? -1) }
        XCTAssertTrue(walk.entries[order[0]].tensor === x, "the first input of the first op comes first")
        let cut = GraphWalk(root: y, maxNodes: 2)
        XCTAssertTrue(cut.truncated)
        XCTAssertEqual(cut.entries.count, 2)
    }

    /// y used h before h changed in place: y's input is h's old history, as backward sees it.
    func testGraphWalkFollowsWhatEachNodeRecorded() throws {
        let x = try Tensor([1, 2], shape: [2]).setRequiresGrad()
        let h = try x * 2.0
        let y = try sum(try h * 3.0)
        try addInPlace(h, try Tensor([1, 1], shape: [2]))
        XCTAssertEqual(h.gradFn?.op, "Add", "h has a new history")
        let walk = GraphWalk(root: y)
        XCTAssertEqual(walk.entries.compactMap { $0.node?.op }.sorted(), ["Mul", "Mul", "Sum"], "no Add in y's graph")
        XCTAssertEqual(try NodeStatistics.of(y).map(\.op), ["param", "input", "Mul", "input", "Mul", "Sum"])
    }

    func testADeepChainIsWalkedWithoutRecursion() throws {
        var t = try Tensor([1], shape: [1]).setRequiresGrad()
        for _ in 0..<20_000 { t = try t + 1.0 }
        let walk = GraphWalk(root: t)
        XCTAssertEqual(walk.topologicalOrder.count, walk.entries.count)
        XCTAssertGreaterThan(walk.entries.count, 20_000)
    }

    func testStatisticsOfOneNode() throws {
        let t = try Tensor([1, .nan, -.infinity, 4], shape: [4])
        let row = NodeStatistics.row(t, node: nil, index: 0, name: { _ in nil }, gradient: { _ in nil })
        XCTAssertEqual(row.nanCount, 1)
        XCTAssertEqual(row.infCount, 1)
        XCTAssertTrue(row.mean.isNaN && row.std.isNaN && row.min.isNaN, "a NaN spreads to the moments, as in torch")
        XCTAssertNil(row.gradientNorm)
        let finite = NodeStatistics.row(try Tensor([1, 2, 3, 6], shape: [4]), node: nil, index: 0, name: { _ in "v" },
                                        gradient: { _ in try? Tensor([3, 4], shape: [2]) })
        XCTAssertEqual(finite.name, "v")
        XCTAssertEqual(finite.op, "input")
        XCTAssertEqual(finite.mean, 3)
        XCTAssertEqual(finite.std, (14.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(finite.gradientNorm, 5)
        XCTAssertEqual(finite.gradientRatio ?? 0, 5 / 50.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try NodeStatistics.deadFraction(Tensor([0, 1, 0, 0, 0, 0], shape: [2, 3])), 2.0 / 3,
                       "units 0 and 2 are zero in both samples; unit 1 is not")
    }
}
