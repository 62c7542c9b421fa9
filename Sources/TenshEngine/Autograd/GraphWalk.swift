/// The recorded graph behind a tensor, read without changing it: every op
/// output and every leaf reachable from `root`, each once, and the edges from
/// inputs to the ops that consume them. Edges follow what each node recorded
/// (`inputNodes`): a tensor changed in place after an op used it still leads
/// to its old history there. The graph view, `dot` and `stats` all read graphs
/// through this. An explicit stack walks it: graphs from long sessions are deep.
public struct GraphWalk {
    /// One node: an op's output or a leaf.
    public struct Entry {
        /// The op's output (as its consumer holds it) or the leaf.
        public let tensor: Tensor
        /// The op that made it, as its consumer recorded it; nil for a leaf.
        public let node: Node?
        /// Entry indices of the op's inputs in the op's order (repeats kept;
        /// inputs beyond `maxNodes` left out); empty for a leaf.
        public internal(set) var inputs: [Int]
    }

    /// The root first, then each node in the order the walk first reached it.
    public let entries: [Entry]
    /// (input, consumer) entry pairs in the order the walk followed them.
    public let edges: [(from: Int, to: Int)]
    /// True when the graph had more than `maxNodes` nodes and the rest were left out.
    public let truncated: Bool

    public init(root: Tensor, maxNodes: Int = .max) {
        var ids: [ObjectIdentifier: Int] = [:]
        var entries: [Entry] = []
        var edges: [(from: Int, to: Int)] = []
        var truncated = false

        /// The index of `t` made by `node` (an op's output is known by its node,
        /// a leaf by itself), and whether it was reached for the first time.
        func identify(_ t: Tensor, _ node: Node?) -> (id: Int, isNew: Bool)? {
            let key = node.map(ObjectIdentifier.init) ?? ObjectIdentifier(t)
            if let id = ids[key] { return (id, false) }
            guard entries.count < max(1, maxNodes) else { truncated = true; return nil }
            ids[key] = entries.count
            entries.append(Entry(tensor: t, node: node, inputs: []))
            return (entries.count - 1, true)
        }

        _ = identify(root, root.gradFn)
        var stack = [0]
        while let id = stack.popLast() {
            guard let node = entries[id].node else { continue }
            for (input, inputNode) in zip(node.inputs, node.inputNodes) {
                guard let (inputID, isNew) = identify(input, inputNode) else { continue }
                entries[id].inputs.append(inputID)
                edges.append((inputID, id))
                if isNew { stack.append(inputID) }
            }
        }
        self.entries = entries
        self.edges = edges
        self.truncated = truncated
    }

    /// Entry indices with every node after all of its inputs (the root last);
    /// inputs are followed in the op's order, so the order is deterministic.
    public var topologicalOrder: [Int] {
        guard !entries.isEmpty else { return [] }
        var order: [Int] = []
        var visited = Set([0])
        var stack: [(entry: Int, nextInput: Int)] = [(0, 0)]
        while let top = stack.last {
            let inputs = entries[top.entry].inputs
            if top.nextInput < inputs.count {
                stack[stack.count - 1].nextInput += 1
                let child = inputs[top.nextInput]
                if visited.insert(child).inserted { stack.append((child, 0)) }
            } else {
                order.append(top.entry)
                stack.removeLast()
            }
        }
        return order
    }
}
