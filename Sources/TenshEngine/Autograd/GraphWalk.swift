/// The recorded graph behind a tensor, read without changing it: every op
/// output and every leaf reachable from `root`, each once, and the edges from
/// inputs to the ops that consume them. The graph view, `dot` and `stats` all
/// read graphs through this. An explicit stack walks it: graphs from long
/// sessions are deep.
public struct GraphWalk {
    /// One node: an op's output (`tensor.gradFn` is set) or a leaf.
    public struct Entry {
        public let tensor: Tensor
        /// Entry indices of the op's inputs in the op's order (repeats kept;
        /// inputs beyond `maxNodes` left out); empty for a leaf.
        public internal(set) var inputs: [Int]

        public var node: Node? { tensor.gradFn }
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

        // An op's output is known by its node, a leaf by itself.
        func key(_ t: Tensor) -> ObjectIdentifier { t.gradFn.map(ObjectIdentifier.init) ?? ObjectIdentifier(t) }
        /// The index of `t`, and whether it was reached for the first time.
        func identify(_ t: Tensor) -> (id: Int, isNew: Bool)? {
            if let id = ids[key(t)] { return (id, false) }
            guard entries.count < max(1, maxNodes) else { truncated = true; return nil }
            ids[key(t)] = entries.count
            entries.append(Entry(tensor: t, inputs: []))
            return (entries.count - 1, true)
        }

        _ = identify(root)
        var stack = [root]
        while let t = stack.popLast() {
            guard let id = ids[key(t)], let node = t.gradFn else { continue }
            for input in node.inputs {
                guard let (inputID, isNew) = identify(input) else { continue }
                entries[id].inputs.append(inputID)
                edges.append((inputID, id))
                if isNew { stack.append(input) }
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
