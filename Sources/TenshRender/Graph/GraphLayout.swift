/// A node box placed on the graph canvas.
public struct PlacedNode: Hashable, Sendable {
    public var node: GraphNode
    public var rect: Rect
    public var layer: Int
}

/// Where a graph's boxes and edges go on a canvas of `width` × `height` cells
/// (top to bottom, inputs first). Computed once per graph; drawing is separate
/// so moving the selection does not re-run the layout. Deterministic.
public struct GraphLayout: Sendable {
    public internal(set) var placed: [PlacedNode]
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// Edge drawing: line directions per cell, ▼ arrows, ┬ stubs on source boxes.
    var lines = LineGrid()
    var arrows: [(x: Int, y: Int)] = []
    var stubs: [(x: Int, y: Int)] = []

    static let horizontalGap = 2

    public init(model: GraphModel) {
        let layering = Layering(model: model)
        placed = []
        width = 0
        height = 0
        let slotRects = placeSlots(model: model, layering: layering)
        routeEdges(layering: layering, slotRects: slotRects)
    }

    public func placement(ofNode id: Int) -> PlacedNode? {
        placed.first { $0.node.id == id }
    }

    static func boxSize(_ node: GraphNode) -> (width: Int, height: Int) {
        let text = [node.title] + node.detailLines
        return ((text.map { DisplayWidth.of($0) }.max() ?? 0) + 4, text.count + 2)
    }

    /// Assigns rows to layers and columns to slots; each layer is centred on the widest.
    private mutating func placeSlots(model: GraphModel, layering: Layering) -> [LayerSlot: Rect] {
        func size(_ slot: LayerSlot) -> (width: Int, height: Int) {
            if case let .node(n) = slot { return Self.boxSize(model.nodes[n]) }
            return (1, 1)
        }
        let layerWidths = layering.layers.map { slots in
            slots.map { size($0).width }.reduce(0, +) + max(0, slots.count - 1) * Self.horizontalGap
        }
        width = layerWidths.max() ?? 0
        var rects: [LayerSlot: Rect] = [:]
        var y = 0
        for (l, slots) in layering.layers.enumerated() {
            let layerHeight = slots.map { size($0).height }.max() ?? 1
            var x = (width - layerWidths[l]) / 2
            for slot in slots {
                let s = size(slot)
                // Dummies span the whole layer height so their line runs through it.
                let rect = Rect(x: x, y: y, width: s.width, height: slot.isDummy ? layerHeight : s.height)
                rects[slot] = rect
                if case let .node(n) = slot { placed.append(PlacedNode(node: model.nodes[n], rect: rect, layer: l)) }
                x += s.width + Self.horizontalGap
            }
            y += layerHeight + (l + 1 < layering.layers.count ? 1 : 0)  // the gap grows in routeEdges
        }
        height = y
        return rects
    }
}

extension LayerSlot {
    var isDummy: Bool {
        if case .dummy = self { return true }
        return false
    }
}
