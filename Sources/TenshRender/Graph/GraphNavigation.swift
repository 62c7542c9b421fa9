/// Arrow-key movement between graph nodes.
public enum GraphDirection: Sendable {
    case up, down, left, right
}

extension GraphLayout {
    /// The node reached from `id` by an arrow key: left/right move within the layer,
    /// up/down go to the nearest layer above/below that has nodes, picking the
    /// node whose centre is closest horizontally (ties to the left). nil at an edge.
    public func neighbour(of id: Int, _ direction: GraphDirection) -> Int? {
        guard let from = placement(ofNode: id) else { return placed.first?.node.id }
        let centre = from.rect.x + from.rect.width / 2
        func dist(_ p: PlacedNode) -> Int { abs(p.rect.x + p.rect.width / 2 - centre) }
        switch direction {
        case .left, .right:
            let row = placed.filter { $0.layer == from.layer }.sorted { $0.rect.x < $1.rect.x }
            guard let i = row.firstIndex(where: { $0.node.id == id }) else { return nil }
            let j = direction == .left ? i - 1 : i + 1
            return row.indices.contains(j) ? row[j].node.id : nil
        case .up, .down:
            let candidates = placed.filter { direction == .up ? $0.layer < from.layer : $0.layer > from.layer }
            guard let layer = direction == .up ? candidates.map(\.layer).max() : candidates.map(\.layer).min() else {
                return nil
            }
            return candidates.filter { $0.layer == layer }
                .min { (dist($0), $0.rect.x) < (dist($1), $1.rect.x) }?.node.id
        }
    }
}
