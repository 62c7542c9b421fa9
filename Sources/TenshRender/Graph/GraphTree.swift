/// The graph as an indented tree for plain mode (`graph(y)` without the pane):
///
///     Sum → []
///     └─ Relu → [1, 8, 6, 6]
///        └─ Conv2d stride=[1, 1] → [1, 8, 6, 6]
///           ├─ x [1, 1, 8, 8]
///           └─ w (param) [8, 1, 3, 3]
///
/// Roots are the nodes nothing consumes; children are inputs in edge order.
/// An op reached a second time is not expanded again: its first line gets a
/// label `(#1)` and later occurrences say `Relu (see #1 above)`. Leaves are
/// always printed in full. Walks with an explicit stack (deep graphs are fine).
public enum GraphTree {
    public static func render(_ model: GraphModel) -> [String] {
        let adj = model.adjacency()
        let roots = rootsOf(model, consumers: adj.consumers)
        let repeated = nodesVisitedTwice(roots: roots, inputs: adj.inputs)
        var labels: [Int: Int] = [:]
        var expanded = Set<Int>()
        var out: [String] = []
        // (node, prefix for its children, connector text before it)
        var stack: [(node: Int, childPrefix: String, lead: String)] = roots.reversed().map { ($0, "", "") }
        while let item = stack.popLast() {
            let n = item.node, node = model.nodes[n]
            let isLeaf = adj.inputs[n].isEmpty
            if !isLeaf, expanded.contains(n) {
                out.append(item.lead + "\(node.title) (see #\(labels[n] ?? 0) above)")
                continue
            }
            var text = describe(node)
            if !isLeaf, repeated.contains(n) {
                labels[n] = labels.count + 1
                text += " (#\(labels.count))"
            }
            out.append(item.lead + text)
            expanded.insert(n)
            let children = adj.inputs[n]
            for (i, child) in children.enumerated().reversed() {
                let last = i == children.count - 1
                stack.append((child, item.childPrefix + (last ? "   " : "│  "),
                              item.childPrefix + (last ? "└─ " : "├─ ")))
            }
        }
        return out
    }

    /// One node's line: `Conv2d stride=[1, 1] → [1, 8, 6, 6]`, `x [1, 1, 8, 8]`, `w (param) [8, 1, 3, 3]`.
    public static func describe(_ node: GraphNode) -> String {
        var parts = [node.title]
        switch node.kind {
        case .op, .output:
            parts += node.attributes
            if let shape = node.shape { parts += ["→", shape] }
        case .input, .parameter:
            if node.kind == .parameter { parts.append("(param)") }
            if let shape = node.shape { parts.append(shape) }
        }
        return (parts + node.notes).joined(separator: " ")
    }

    /// Nodes without consumers, in node order; the first node if every node has one (a cycle).
    private static func rootsOf(_ model: GraphModel, consumers: [[Int]]) -> [Int] {
        let roots = model.nodes.indices.filter { consumers[$0].isEmpty }
        return roots.isEmpty && !model.nodes.isEmpty ? [0] : roots
    }

    /// Inner nodes the printing walk reaches more than once (they get labels).
    private static func nodesVisitedTwice(roots: [Int], inputs: [[Int]]) -> Set<Int> {
        var seen = Set<Int>(), twice = Set<Int>()
        var stack = roots.reversed().map { $0 }
        while let n = stack.popLast() {
            if seen.contains(n) {
                if !inputs[n].isEmpty { twice.insert(n) }
                continue
            }
            seen.insert(n)
            stack += inputs[n].reversed()
        }
        return twice
    }
}
