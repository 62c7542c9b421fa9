extension GraphModel {
    /// Collapses linear runs of identical ops into one box: five chained `Add`
    /// nodes become `Add ×5`. A link p → n joins a run when both are ops with the
    /// same title, n is p's only consumer and p is the only such input of n.
    /// The merged node keeps the last node's id, details and outgoing edges and
    /// takes every outside input of the run. Runs shorter than `minimumRun` stay.
    public func collapsingChains(minimumRun: Int = 3) -> GraphModel {
        let adj = adjacency()
        let next = chainLinks(adj)
        var previous = [Int?](repeating: nil, count: nodes.count)
        for (p, n) in next.enumerated() { if let n { previous[n] = p } }

        var representative = Array(0..<nodes.count)  // node index → index of its run's last node
        var runs: [[Int]] = []
        for start in topologicalOrder() where previous[start] == nil && next[start] != nil {
            var run = [start]
            while let n = next[run[run.count - 1]], run.count <= nodes.count { run.append(n) }
            if run.count >= minimumRun { runs.append(run) }
        }
        var newNodes = nodes
        var removed = Set<Int>()
        for run in runs {
            guard let last = run.last else { continue }
            for member in run { representative[member] = last }
            removed.formUnion(run.dropLast())
            newNodes[last].title = "\(nodes[last].title) ×\(run.count)"
            newNodes[last].members = run.map { nodes[$0].id }
        }
        var seen = Set<GraphEdge>()
        var newEdges: [GraphEdge] = []
        let index = indexByID
        for e in edges {
            guard let a = index[e.from], let b = index[e.to] else { continue }
            let ra = representative[a], rb = representative[b]
            if ra == rb { continue }  // an edge inside a run
            let edge = GraphEdge(from: nodes[ra].id, to: nodes[rb].id)
            if seen.insert(edge).inserted { newEdges.append(edge) }
        }
        let kept = newNodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        return GraphModel(nodes: kept, edges: newEdges)
    }

    /// next[p] = n when p → n is a chain link.
    private func chainLinks(_ adj: (inputs: [[Int]], consumers: [[Int]])) -> [Int?] {
        func isOp(_ i: Int) -> Bool { nodes[i].kind == .op }
        var next = [Int?](repeating: nil, count: nodes.count)
        for n in nodes.indices where isOp(n) {
            let candidates = Set(adj.inputs[n]).filter { p in
                isOp(p) && nodes[p].title == nodes[n].title && Set(adj.consumers[p]) == [n]
            }
            if candidates.count == 1, let p = candidates.first { next[p] = n }
        }
        return next
    }
}
