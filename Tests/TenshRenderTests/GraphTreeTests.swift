import XCTest
@testable import TenshRender

final class GraphTreeTests: XCTestCase {
    func testConvGraphTree() {
        XCTAssertEqual(GraphTree.render(Sample.convGraph), [
            "Sum → []",
            "└─ Relu → [1, 8, 6, 6]",
            "   └─ Conv2d stride=[1, 1] → [1, 8, 6, 6]",
            "      ├─ x [1, 1, 8, 8]",
            "      └─ w (param) [8, 1, 3, 3] |grad|=0.37",
        ])
    }

    func testSharedSubtreesArePrintedOnceAndReferenced() {
        // y = Mul(r, r) + r with r = Relu(x): Relu is reached three times.
        let model = GraphModel(nodes: [
            GraphNode(id: 1, title: "x", kind: .input, shape: "[3]"),
            GraphNode(id: 2, title: "Relu", kind: .op, shape: "[3]"),
            GraphNode(id: 3, title: "Mul", kind: .op, shape: "[3]"),
            GraphNode(id: 4, title: "Add", kind: .output, shape: "[3]"),
        ], edges: [GraphEdge(from: 1, to: 2), GraphEdge(from: 2, to: 3), GraphEdge(from: 2, to: 3),
                   GraphEdge(from: 3, to: 4), GraphEdge(from: 2, to: 4)])
        XCTAssertEqual(GraphTree.render(model), [
            "Add → [3]",
            "├─ Mul → [3]",
            "│  ├─ Relu → [3] (#1)",
            "│  │  └─ x [3]",
            "│  └─ Relu (see #1 above)",
            "└─ Relu (see #1 above)",
        ])
    }

    func testResidualTreeSnapshot() {
        Snapshot.assertMatches(GraphTree.render(Sample.residualGraph), named: "tree_residual")
    }

    func testDeepChainUsesNoRecursion() {
        let depth = 2_000
        var nodes = [GraphNode(id: 0, title: "x", kind: .input)]
        var edges: [GraphEdge] = []
        for i in 1...depth {
            nodes.append(GraphNode(id: i, title: "Neg", kind: .op))
            edges.append(GraphEdge(from: i - 1, to: i))
        }
        let lines = GraphTree.render(GraphModel(nodes: nodes, edges: edges))
        XCTAssertEqual(lines.count, depth + 1)
        XCTAssertEqual(lines.last?.hasSuffix("└─ x"), true)
    }
}
