import Foundation
import XCTest
@testable import TenshRender

/// Snapshot files of rendered buffers: `Snapshots/<name>.txt`, one buffer row per line.
/// Read through `Bundle.module` (the folder is a copied test resource); with
/// TENSH_RECORD_SNAPSHOTS=1 the current rendering is written into the source tree
/// (next to this file's folder) instead of compared.
enum Snapshot {
    static var isRecording: Bool { ProcessInfo.processInfo.environment["TENSH_RECORD_SNAPSHOTS"] == "1" }

    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Snapshots")
    }

    static func assertMatches(_ buffer: Buffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        assertMatches(buffer.lines, named: name, file: file, line: line)
    }

    static func assertMatches(_ lines: [String], named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = lines.map { $0 + "\n" }.joined()
        if isRecording {
            let url = sourceDirectory.appendingPathComponent(name + ".txt")
            do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
                XCTFail("could not record snapshot \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots"),
              let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing snapshot \(name).txt — run with TENSH_RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
            return
        }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        XCTAssertEqual(lines.count, expectedLines.count, "\(name): row count", file: file, line: line)
        for (i, pair) in zip(lines, expectedLines).enumerated() where pair.0 != pair.1 {
            XCTFail("\(name): row \(i) differs\n  got:      \"\(pair.0)\"\n  expected: \"\(pair.1)\"", file: file, line: line)
        }
    }
}

/// Small deterministic test data.
enum Sample {
    /// rows × columns with value row * columns + column (a left-to-right, top-to-bottom ramp).
    static func ramp(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map(Double.init))
    }

    /// A smooth bump so downsampled snapshots have structure.
    static func bump(rows: Int, columns: Int, phase: Double = 0) -> Matrix {
        var v: [Double] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let y = Double(r) / Double(max(1, rows - 1)) - 0.5, x = Double(c) / Double(max(1, columns - 1)) - 0.5
                v.append(cos(6 * x + phase) * cos(5 * y) - (x * x + y * y))
            }
        }
        return Matrix(rows: rows, columns: columns, values: v)
    }

    /// The graph of `Sum(Relu(Conv2d(x, w)))` from the SPEC examples.
    static var convGraph: GraphModel {
        GraphModel(nodes: [
            GraphNode(id: 1, title: "x", kind: .input, shape: "[1, 1, 8, 8]"),
            GraphNode(id: 2, title: "w", kind: .parameter, shape: "[8, 1, 3, 3]", notes: ["|grad|=0.37"]),
            GraphNode(id: 3, title: "Conv2d", kind: .op, attributes: ["stride=[1, 1]"], shape: "[1, 8, 6, 6]"),
            GraphNode(id: 4, title: "Relu", kind: .op, shape: "[1, 8, 6, 6]"),
            GraphNode(id: 5, title: "Sum", kind: .output, shape: "[]"),
        ], edges: [GraphEdge(from: 1, to: 3), GraphEdge(from: 2, to: 3), GraphEdge(from: 3, to: 4), GraphEdge(from: 4, to: 5)])
    }

    /// A small network with a skip connection and a parameter used deep down:
    /// y = Add(Relu(Conv2d(x, w1, b1)), MaxPool... ) — enough to need tracks and dummies.
    static var residualGraph: GraphModel {
        GraphModel(nodes: [
            GraphNode(id: 1, title: "x", kind: .input, shape: "[1, 3, 8, 8]"),
            GraphNode(id: 2, title: "w1", kind: .parameter, shape: "[3, 3, 3, 3]"),
            GraphNode(id: 3, title: "b1", kind: .parameter, shape: "[3]"),
            GraphNode(id: 4, title: "Conv2d", kind: .op, attributes: ["padding=[1, 1]"], shape: "[1, 3, 8, 8]"),
            GraphNode(id: 5, title: "Relu", kind: .op, shape: "[1, 3, 8, 8]"),
            GraphNode(id: 6, title: "Add", kind: .op, shape: "[1, 3, 8, 8]"),
            GraphNode(id: 7, title: "scale", kind: .parameter, shape: "[1]"),
            GraphNode(id: 8, title: "Mul", kind: .op, shape: "[1, 3, 8, 8]"),
            GraphNode(id: 9, title: "Mean", kind: .output, shape: "[]"),
        ], edges: [
            GraphEdge(from: 1, to: 4), GraphEdge(from: 2, to: 4), GraphEdge(from: 3, to: 4),
            GraphEdge(from: 4, to: 5), GraphEdge(from: 5, to: 6), GraphEdge(from: 1, to: 6),
            GraphEdge(from: 6, to: 8), GraphEdge(from: 7, to: 8), GraphEdge(from: 8, to: 9),
        ])
    }

    /// x + a + a + a + a + a: five chained Adds sharing one input.
    static var addChain: GraphModel {
        var nodes = [GraphNode(id: 0, title: "x", kind: .input, shape: "[4]"),
                     GraphNode(id: 1, title: "a", kind: .parameter, shape: "[4]")]
        var edges: [GraphEdge] = []
        var previous = 0
        for k in 0..<5 {
            let id = 10 + k
            nodes.append(GraphNode(id: id, title: "Add", kind: .op, shape: "[4]"))
            edges += [GraphEdge(from: previous, to: id), GraphEdge(from: 1, to: id)]
            previous = id
        }
        nodes.append(GraphNode(id: 20, title: "Sum", kind: .output, shape: "[]"))
        edges.append(GraphEdge(from: previous, to: 20))
        return GraphModel(nodes: nodes, edges: edges)
    }
}

extension Sample {
    /// loss = MseLoss(Linear2(Relu(Linear1(x))), target), with Linear = Add(MatMul(x, w), b).
    static var mlpGraph: GraphModel {
        func node(_ id: Int, _ title: String, _ kind: GraphNode.Kind, _ shape: String, _ notes: [String] = []) -> GraphNode {
            GraphNode(id: id, title: title, kind: kind, shape: shape, notes: notes)
        }
        return GraphModel(nodes: [
            node(1, "x", .input, "[16, 4]"), node(2, "w1", .parameter, "[4, 8]", ["|grad|=1.2"]),
            node(3, "b1", .parameter, "[8]", ["|grad|=0.41"]), node(4, "MatMul", .op, "[16, 8]"),
            node(5, "Add", .op, "[16, 8]"), node(6, "Relu", .op, "[16, 8]"),
            node(7, "w2", .parameter, "[8, 1]", ["|grad|=0.93"]), node(8, "b2", .parameter, "[1]", ["|grad|=0.2"]),
            node(9, "MatMul", .op, "[16, 1]"), node(10, "Add", .op, "[16, 1]"),
            node(11, "target", .input, "[16, 1]"), node(12, "MseLoss", .output, "[]"),
        ], edges: [
            GraphEdge(from: 1, to: 4), GraphEdge(from: 2, to: 4), GraphEdge(from: 4, to: 5), GraphEdge(from: 3, to: 5),
            GraphEdge(from: 5, to: 6), GraphEdge(from: 6, to: 9), GraphEdge(from: 7, to: 9), GraphEdge(from: 9, to: 10),
            GraphEdge(from: 8, to: 10), GraphEdge(from: 10, to: 12), GraphEdge(from: 11, to: 12),
        ])
    }
}
