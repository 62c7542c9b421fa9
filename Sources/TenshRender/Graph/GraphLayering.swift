/// A slot in a layer: a real node (index into `GraphModel.nodes`) or a dummy
/// that carries an edge through a layer it skips.
enum LayerSlot: Hashable {
    case node(Int)
    case dummy(Int)
}

/// Layers of a DAG with edges only between adjacent layers (long edges are split
/// through dummies), ordered to reduce crossings. Sugiyama's first two phases.
struct Layering {
    /// layers[i] = slots of layer i, left to right.
    var layers: [[LayerSlot]]
    /// Edges between adjacent layers: (upper slot, lower slot), deduplicated.
    var links: [(from: LayerSlot, to: LayerSlot)]
    /// Layer of each real node.
    var layerOfNode: [Int]

    init(model: GraphModel, sweeps: Int = 4) {
        let adj = model.adjacency()
        let order = model.topologicalOrder()
        layerOfNode = Self.assignLayers(order: order, adj: adj)
        let count = (layerOfNode.max() ?? -1) + 1
        layers = Array(repeating: [], count: count)
        for n in order { layers[layerOfNode[n]].append(.node(n)) }
        links = []
        splitLongEdges(adj: adj)
        var above: [LayerSlot: [LayerSlot]] = [:], below: [LayerSlot: [LayerSlot]] = [:]
        for link in links {
            above[link.to, default: []].append(link.from)
            below[link.from, default: []].append(link.to)
        }
        for _ in 0..<sweeps {
            sweep(down: true, neighbours: above)
            sweep(down: false, neighbours: below)
        }
    }

    /// Longest path from the inputs; then leaves (inputs, parameters) move down to
    /// sit just above their first consumer, so a weight used deep in a network is
    /// drawn next to its op instead of at the top with a long edge.
    private static func assignLayers(order: [Int], adj: (inputs: [[Int]], consumers: [[Int]])) -> [Int] {
        var layer = Array(repeating: 0, count: adj.inputs.count)
        var placed = Set<Int>()
        for n in order {
            // Only inputs placed earlier count: on a (malformed) cycle this ignores back edges.
            layer[n] = adj.inputs[n].filter { placed.contains($0) }.map { layer[$0] + 1 }.max() ?? 0
            placed.insert(n)
        }
        for n in order where adj.inputs[n].isEmpty {
            if let first = adj.consumers[n].map({ layer[$0] }).min() { layer[n] = max(layer[n], first - 1) }
        }
        return layer
    }

    /// Replaces each edge spanning k > 1 layers by a chain of k − 1 dummies.
    private mutating func splitLongEdges(adj: (inputs: [[Int]], consumers: [[Int]])) {
        var seen = Set<[Int]>()
        var dummyCount = 0
        for (to, inputs) in adj.inputs.enumerated() {
            for from in inputs where seen.insert([from, to]).inserted {
                let top = layerOfNode[from], bottom = layerOfNode[to]
                guard bottom > top else { continue }  // a back edge of a malformed cycle: not drawn
                var upper = LayerSlot.node(from)
                for l in (top + 1)..<bottom {
                    let dummy = LayerSlot.dummy(dummyCount)
                    dummyCount += 1
                    layers[l].append(dummy)
                    links.append((upper, dummy))
                    upper = dummy
                }
                links.append((upper, .node(to)))
            }
        }
    }

    /// One barycentre pass: each slot moves to the mean position of its neighbours
    /// in the previous layer of the sweep; slots without neighbours keep their place.
    private mutating func sweep(down: Bool, neighbours: [LayerSlot: [LayerSlot]]) {
        guard layers.count > 1 else { return }
        let range: [Int] = down ? Array(1..<layers.count) : Array((0..<(layers.count - 1)).reversed())
        for l in range {
            var position: [LayerSlot: Int] = [:]
            for (i, s) in layers[down ? l - 1 : l + 1].enumerated() { position[s] = i }
            let keyed = layers[l].enumerated().map { (i, slot) -> (Double, Int, LayerSlot) in
                let ps = (neighbours[slot] ?? []).compactMap { position[$0] }
                guard !ps.isEmpty else { return (Double(i), i, slot) }
                return (Double(ps.reduce(0, +)) / Double(ps.count), i, slot)
            }
            layers[l] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
    }
}
