import XCTest
@testable import TenshRender

final class GraphLayoutTests: XCTestCase {
    func testConvGraphSnapshot() {
        let layout = GraphLayout(model: Sample.convGraph)
        Snapshot.assertMatches(layout.render(), named: "graph_conv")
        XCTAssertEqual(layout.placed.map(\.layer), [0, 0, 1, 2, 3])
    }

    func testResidualGraphNeedsTracksDummiesAndJunctions() {
        let canvas = GraphLayout(model: Sample.residualGraph).render()
        Snapshot.assertMatches(canvas, named: "graph_residual")
        let text = canvas.lines.joined()
        for symbol in ["┬", "▼", "┌", "┘"] { XCTAssertTrue(text.contains(symbol), "missing \(symbol)") }
    }

    func testBoxesDoNotOverlapAndEdgesEndInArrows() {
        for model in [Sample.convGraph, Sample.residualGraph, Sample.addChain] {
            let layout = GraphLayout(model: model)
            for (i, a) in layout.placed.enumerated() {
                for b in layout.placed[(i + 1)...] { XCTAssertTrue(a.rect.intersection(b.rect).isEmpty, "\(a.node.title) / \(b.node.title)") }
            }
            let canvas = layout.render()
            let edgeCount = Set(model.edges).count
            XCTAssertEqual(canvas.cells.filter { $0.symbol == "▼" }.count, edgeCount, "one arrow per distinct edge")
            for p in layout.placed where model.edges.contains(where: { $0.to == p.node.id }) {
                XCTAssertTrue((p.rect.x..<p.rect.right).contains { canvas[$0, p.rect.y - 1]?.symbol == "▼" },
                              "\(p.node.title) has an arrow above it")
            }
        }
    }

    func testMLPGraphSnapshot() {
        let canvas = GraphLayout(model: Sample.mlpGraph).render()
        Snapshot.assertMatches(canvas, named: "graph_mlp")
        XCTAssertEqual(GraphTree.render(Sample.mlpGraph).first, "MseLoss → []")
    }

    func testColumnPlacementTucksLeavesBesideTheirAnchors() {
        XCTAssertEqual(GraphLayout.columns(widths: [3, 5, 4], wanted: [nil, 10, nil]), [5, 10, 17])
        XCTAssertEqual(GraphLayout.columns(widths: [3, 5], wanted: [nil, 0]), [-5, 0])
        XCTAssertEqual(GraphLayout.columns(widths: [4, 3, 5], wanted: [0, nil, 2]), [0, 6, 11], "overlap pushes right")
        XCTAssertEqual(GraphLayout.columns(widths: [2, 2], wanted: [nil, nil]), [0, 4])
    }

    func testMainChainRunsStraightPastParameters() {
        let layout = GraphLayout(model: Sample.mlpGraph)
        let chain = [4, 5, 6, 9, 10].compactMap { layout.placement(ofNode: $0) }.map { $0.rect.x + $0.rect.width / 2 }
        XCTAssertEqual(Set(chain).count, 1, "MatMul → Add → Relu → MatMul → Add share a centre: \(chain)")
    }

    func testLayoutIsDeterministic() {
        let a = GraphLayout(model: Sample.residualGraph).render()
        for _ in 0..<5 { XCTAssertEqual(GraphLayout(model: Sample.residualGraph).render(), a) }
    }

    func testParametersSitJustAboveTheirConsumer() {
        let layout = GraphLayout(model: Sample.residualGraph)
        let scale = layout.placement(ofNode: 7), mul = layout.placement(ofNode: 8)
        XCTAssertEqual(scale.map(\.layer), mul.map { $0.layer - 1 })
    }

    func testCollapsingFiveAddsIntoOneBox() {
        let collapsed = Sample.addChain.collapsingChains()
        XCTAssertEqual(collapsed.nodes.map(\.title), ["x", "a", "Add ×5", "Sum"])
        XCTAssertEqual(collapsed.node(id: 14)?.members, [10, 11, 12, 13, 14])
        XCTAssertEqual(Set(collapsed.edges), [GraphEdge(from: 0, to: 14), GraphEdge(from: 1, to: 14), GraphEdge(from: 14, to: 20)])
        Snapshot.assertMatches(GraphLayout(model: collapsed).render(), named: "graph_add_chain_collapsed")
        XCTAssertEqual(Sample.addChain.collapsingChains(minimumRun: 6).nodes.count, Sample.addChain.nodes.count)
    }

    func testCollapseKeepsBranchingNodesApart() {
        // Add(Add(a, b), Add(c, d)): no linear chain, nothing collapses.
        let nodes = (0..<4).map { GraphNode(id: $0, title: "v\($0)", kind: .input) }
            + (4..<7).map { GraphNode(id: $0, title: "Add", kind: .op) }
        let edges = [GraphEdge(from: 0, to: 4), GraphEdge(from: 1, to: 4), GraphEdge(from: 2, to: 5),
                     GraphEdge(from: 3, to: 5), GraphEdge(from: 4, to: 6), GraphEdge(from: 5, to: 6)]
        XCTAssertEqual(GraphModel(nodes: nodes, edges: edges).collapsingChains(minimumRun: 2).nodes.count, 7)
    }

    func testSelectionHighlightAndScrolledView() {
        let layout = GraphLayout(model: Sample.residualGraph)
        guard let relu = layout.placement(ofNode: 5) else { return XCTFail("Relu not placed") }
        let canvas = layout.render(selected: 5)
        XCTAssertEqual(canvas[relu.rect.x, relu.rect.y]?.attributes, [.bold])
        XCTAssertEqual(canvas[relu.rect.x, relu.rect.y]?.fg, Color(hex: 0xffd75f))
        XCTAssertEqual(canvas[relu.rect.x + 2, relu.rect.y + 1]?.attributes, [.bold, .reverse])
        XCTAssertEqual(layout.render()[relu.rect.x, relu.rect.y]?.attributes, [])

        let offsets = GraphView.scrollOffsets(revealing: 9, in: layout, width: 20, height: 8, current: (0, 0))
        guard let mean = layout.placement(ofNode: 9) else { return XCTFail("Mean not placed") }
        XCTAssertTrue(Rect(x: offsets.x, y: offsets.y, width: 20, height: 8).intersection(mean.rect) == mean.rect)
        var b = Buffer(width: 22, height: 10)
        GraphView(layout: layout, selected: 9, scrollX: offsets.x, scrollY: offsets.y)
            .draw(into: &b, area: Rect(x: 1, y: 1, width: 20, height: 8))
        Snapshot.assertMatches(b, named: "graph_residual_scrolled")
        let clamped = GraphView.scrollOffsets(revealing: 1, in: layout, width: 500, height: 500, current: (40, 40))
        XCTAssertTrue(clamped == (0, 0))
    }

    func testArrowKeyNeighbours() {
        let layout = GraphLayout(model: Sample.convGraph)
        XCTAssertEqual(layout.neighbour(of: 3, .down), 4)
        XCTAssertEqual(layout.neighbour(of: 4, .up), 3)
        XCTAssertEqual(layout.neighbour(of: 5, .down), nil)
        let top = layout.placed.filter { $0.layer == 0 }.sorted { $0.rect.x < $1.rect.x }.map(\.node.id)
        XCTAssertEqual(top.count, 2)
        XCTAssertEqual(layout.neighbour(of: top[0], .right), top[1])
        XCTAssertEqual(layout.neighbour(of: top[0], .left), nil)
        XCTAssertEqual(layout.neighbour(of: 999, .left), 1, "unknown selection starts at the first node")
    }

    func testMalformedInputDoesNotTrapOrHang() {
        let cyclic = GraphModel(nodes: [GraphNode(id: 1, title: "A", kind: .op), GraphNode(id: 2, title: "B", kind: .op)],
                                edges: [GraphEdge(from: 1, to: 2), GraphEdge(from: 2, to: 1), GraphEdge(from: 7, to: 1)])
        XCTAssertEqual(GraphLayout(model: cyclic).placed.count, 2)
        XCTAssertFalse(GraphTree.render(cyclic).isEmpty)
        XCTAssertEqual(GraphLayout(model: GraphModel(nodes: [], edges: [])).render().lines, [])
    }

    func testLineJunctionCharacters() {
        XCTAssertEqual(LineGrid.character(LineGrid.up | LineGrid.down | LineGrid.left | LineGrid.right), "┼")
        XCTAssertEqual(LineGrid.character(LineGrid.up | LineGrid.down | LineGrid.right), "├")
        XCTAssertEqual(LineGrid.character(LineGrid.up | LineGrid.down | LineGrid.left), "┤")
        XCTAssertEqual(LineGrid.character(LineGrid.down | LineGrid.left | LineGrid.right), "┬")
        XCTAssertEqual(LineGrid.character(LineGrid.up | LineGrid.left | LineGrid.right), "┴")
    }
}

final class GraphScaleTests: XCTestCase {
    /// A long REPL session builds deep graphs: layout and drawing stay linear-ish and never recurse.
    func testDeepChainLaysOutStraight() {
        let depth = 400
        var nodes = [GraphNode(id: 0, title: "x", kind: .input, shape: "[2]")]
        var edges: [GraphEdge] = []
        for i in 1...depth {
            nodes.append(GraphNode(id: i, title: i % 2 == 0 ? "Neg" : "Exp", kind: .op, shape: "[2]"))
            edges.append(GraphEdge(from: i - 1, to: i))
        }
        let layout = GraphLayout(model: GraphModel(nodes: nodes, edges: edges))
        XCTAssertEqual(layout.placed.count, depth + 1)
        XCTAssertEqual(layout.height, (depth + 1) * 4 + depth)
        let canvas = layout.render()
        XCTAssertEqual(canvas.cells.filter { $0.symbol == "▼" }.count, depth)
        let arrowColumns = Set((0..<canvas.height).flatMap { y in (0..<canvas.width).filter { canvas[$0, y]?.symbol == "▼" } })
        XCTAssertEqual(arrowColumns.count, 1, "a chain of equal boxes runs straight down")
    }
}
