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

    /// Assigns rows to layers and columns to slots. A slot with inputs is centred
    /// under the mean centre of its (anchored) inputs (so chains run straight down); slots
    /// without inputs in the layer above (leaves moved down next to their consumer)
    /// are tucked in just left of the next anchored slot. Overlaps push slots right;
    /// finally everything shifts so the leftmost column is 0.
    private mutating func placeSlots(model: GraphModel, layering: Layering) -> [LayerSlot: Rect] {
        func size(_ slot: LayerSlot) -> (width: Int, height: Int) {
            if case let .node(n) = slot { return Self.boxSize(model.nodes[n]) }
            return (1, 1)
        }
        var upstream: [LayerSlot: [LayerSlot]] = [:]
        for link in layering.links { upstream[link.to, default: []].append(link.from) }
        var rects: [LayerSlot: Rect] = [:]
        var y = 0
        for (l, slots) in layering.layers.enumerated() {
            let layerHeight = slots.map { size($0).height }.max() ?? 1
            let wanted: [Int?] = slots.map { slot in
                // Align with the inputs that are themselves anchored (the main data path),
                // so a weight hanging beside each op does not make the chain drift sideways.
                let inputs = upstream[slot] ?? []
                let main = inputs.filter { upstream[$0] != nil }
                let centres = (main.isEmpty ? inputs : main).compactMap { rects[$0] }.map { Self.centre($0) }
                return centres.isEmpty ? nil : centres.reduce(0, +) / centres.count - size(slot).width / 2
            }
            let xs = Self.columns(widths: slots.map { size($0).width }, wanted: wanted)
            for (i, slot) in slots.enumerated() {
                // Dummies span the whole layer height so their line runs through it.
                let s = size(slot)
                rects[slot] = Rect(x: xs[i], y: y, width: s.width, height: slot.isDummy ? layerHeight : s.height)
            }
            y += layerHeight + (l + 1 < layering.layers.count ? 1 : 0)  // the gap grows in routeEdges
        }
        let minX = rects.values.map(\.x).min() ?? 0
        for key in Array(rects.keys) { rects[key]?.x -= minX }
        for (l, slots) in layering.layers.enumerated() {
            for slot in slots {
                if case let .node(n) = slot, let rect = rects[slot] {
                    placed.append(PlacedNode(node: model.nodes[n], rect: rect, layer: l))
                }
            }
        }
        width = rects.values.map(\.right).max() ?? 0
        height = y
        return rects
    }

    /// Left columns for slots of `widths` in order: anchored slots (`wanted` set) go
    /// to their wanted column or as far left as the gap allows; each run of
    /// unanchored slots ends just left of the anchored slot after it (pushing that
    /// slot and the rest right if the run does not fit). May return negative columns.
    static func columns(widths: [Int], wanted: [Int?]) -> [Int] {
        let gap = horizontalGap
        var xs = Array(repeating: 0, count: widths.count)
        var previousRight: Int?  // right edge of the last placed slot
        var i = 0
        while i < widths.count {
            var j = i
            while j < widths.count && wanted[j] == nil { j += 1 }  // slots i..<j are unanchored
            let runWidth = widths[i..<j].reduce(0, +) + max(0, j - i - 1) * gap
            var start: Int
            if j < widths.count, let w = wanted[j] {
                let anchor = max(w, previousRight.map { $0 + gap + (j > i ? runWidth + gap : 0) } ?? w)
                start = j > i ? anchor - gap - runWidth : anchor
                xs[j] = anchor
            } else {
                start = previousRight.map { $0 + gap } ?? 0
            }
            for k in i..<j {
                xs[k] = start
                start += widths[k] + gap
            }
            if j < widths.count {
                previousRight = xs[j] + widths[j]
                i = j + 1
            } else {
                i = j
            }
        }
        return xs
    }
}

extension LayerSlot {
    var isDummy: Bool {
        if case .dummy = self { return true }
        return false
    }
}
