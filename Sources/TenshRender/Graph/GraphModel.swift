/// One node of an autograd graph as the renderer sees it: plain values the
/// workbench copies out of the engine's graph (the renderer never sees tensors).
public struct GraphNode: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A leaf tensor that does not require grad (data, targets).
        case input
        /// A leaf that requires grad (weights, biases).
        case parameter
        /// An operation node (`Conv2d`, `Relu`, …).
        case op
        /// The tensor being graphed (the root); drawn like an op but highlighted.
        case output
    }

    public var id: Int
    /// Op name (`Conv2d`) or variable name (`x`).
    public var title: String
    public var kind: Kind
    /// `stride=[2, 2]`, `padding=[1, 1]`, …
    public var attributes: [String]
    /// Output shape as text: `[1, 8, 6, 6]`.
    public var shape: String?
    /// Extra facts such as `|grad|=0.37`.
    public var notes: [String]
    /// Ids of the original nodes a collapsed box stands for (empty when not collapsed).
    public var members: [Int]
    /// A border colour that says something about the node (its gradient's size); nil: by kind.
    public var highlight: Color?

    /// Attribute lines in a box are at most this wide (longer attributes get a line each).
    public static let attributeLineWidth = 30

    public init(id: Int, title: String, kind: Kind, attributes: [String] = [], shape: String? = nil,
                notes: [String] = [], members: [Int] = [], highlight: Color? = nil) {
        self.id = id
        self.title = title
        self.kind = kind
        self.attributes = attributes
        self.shape = shape
        self.notes = notes
        self.members = members
        self.highlight = highlight
    }

    /// The lines under the title in a graph box: attributes (packed into lines of
    /// at most `attributeLineWidth` columns), shape, notes.
    public var detailLines: [String] {
        var lines: [String] = []
        for attribute in attributes {
            if let last = lines.last, DisplayWidth.of(last) + 1 + DisplayWidth.of(attribute) <= Self.attributeLineWidth {
                lines[lines.count - 1] = last + " " + attribute
            } else {
                lines.append(attribute)
            }
        }
        if let shape { lines.append(shape) }
        return lines + notes
    }
}

/// An edge from an input to the node that consumes it (data-flow direction).
public struct GraphEdge: Hashable, Sendable {
    public var from: Int
    public var to: Int
    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }
}

/// A DAG of nodes and input → consumer edges. Edges naming unknown ids are ignored.
public struct GraphModel: Hashable, Sendable {
    public var nodes: [GraphNode]
    public var edges: [GraphEdge]

    public init(nodes: [GraphNode], edges: [GraphEdge]) {
        self.nodes = nodes
        self.edges = edges
    }

    /// Position of each node id in `nodes` (the first node wins for a repeated id).
    public var indexByID: [Int: Int] {
        var map: [Int: Int] = [:]
        for (i, n) in nodes.enumerated() where map[n.id] == nil { map[n.id] = i }
        return map
    }

    public func node(id: Int) -> GraphNode? {
        indexByID[id].map { nodes[$0] }
    }

    /// Adjacency by node index: inputs (edge order, repeats kept) and consumers.
    func adjacency() -> (inputs: [[Int]], consumers: [[Int]]) {
        let index = indexByID
        var inputs = Array(repeating: [Int](), count: nodes.count)
        var consumers = Array(repeating: [Int](), count: nodes.count)
        for e in edges {
            guard let a = index[e.from], let b = index[e.to], a != b else { continue }
            inputs[b].append(a)
            consumers[a].append(b)
        }
        return (inputs, consumers)
    }

    /// Node indices in a topological order (Kahn's algorithm with an explicit
    /// queue, ties by node order). Nodes on a cycle, which a well-formed
    /// autograd graph never has, are appended at the end instead of hanging.
    func topologicalOrder() -> [Int] {
        let adj = adjacency()
        var pending = adj.inputs.map(\.count)
        var ready = (0..<nodes.count).filter { pending[$0] == 0 }
        var order: [Int] = []
        var head = 0
        while head < ready.count {
            let n = ready[head]
            head += 1
            order.append(n)
            for c in adj.consumers[n] {
                pending[c] -= 1
                if pending[c] == 0 { ready.append(c) }
            }
        }
        if order.count < nodes.count {
            let placed = Set(order)
            order += (0..<nodes.count).filter { !placed.contains($0) }
        }
        return order
    }
}
