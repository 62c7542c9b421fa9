import XCTest
import TenshEngine
@testable import TenshWorkbench

/// Large graphs stay usable: cut at the node limit, laid out once, navigable.
final class GraphScaleTests: XCTestCase {
    func testAWideAndDeepGraphLaysOutAndNavigates() throws {
        // 100 steps of h = relu(h * w_i + b_i): ~500 nodes, cut at 400.
        var h = try Tensors.waves([1, 1, 4, 4])
        for i in 0..<100 {
            let w = try Tensor(scalar: Double(i) / 100).setRequiresGrad()
            let b = try Tensor(scalar: 0.1).setRequiresGrad()
            h = try relu(try (try h * w) + b)
        }
        let state = GraphState(graph: AutogradGraph(root: h), title: "h")
        XCTAssertTrue(state.graph.truncated)
        XCTAssertEqual(state.graph.model.nodes.count, 400)
        XCTAssertGreaterThan(state.layout.height, 100)
        let selected = try XCTUnwrap(state.selected)
        XCTAssertNotNil(state.layout.neighbour(of: selected, .up))
    }
}
