/// Line directions per cell; merged into one box-drawing character each, so
/// crossings become ┼ and branches ├ ┤ ┬ ┴ automatically.
struct LineGrid: Sendable {
    static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8
    private(set) var bits: [Point: UInt8] = [:]

    struct Point: Hashable, Sendable {
        var x: Int
        var y: Int
    }

    mutating func add(_ x: Int, _ y: Int, _ b: UInt8) { bits[Point(x: x, y: y), default: 0] |= b }

    mutating func vertical(x: Int, from y0: Int, to y1: Int) {
        guard y1 > y0 else { return }
        add(x, y0, Self.down)
        for y in (y0 + 1)..<y1 { add(x, y, Self.up | Self.down) }
        add(x, y1, Self.up)
    }

    mutating func horizontal(y: Int, from x0: Int, to x1: Int) {
        let a = min(x0, x1), b = max(x0, x1)
        guard b > a else { return }
        add(a, y, Self.right)
        for x in (a + 1)..<b { add(x, y, Self.left | Self.right) }
        add(b, y, Self.left)
    }

    static func character(_ b: UInt8) -> Character {
        switch b {
        case up | down, up, down: return "│"
        case left | right, left, right: return "─"
        case up | down | left | right: return "┼"
        case down | left | right: return "┬"
        case up | left | right: return "┴"
        case up | down | right: return "├"
        case up | down | left: return "┤"
        case down | right: return "┌"
        case down | left: return "┐"
        case up | right: return "└"
        case up | left: return "┘"
        default: return " "
        }
    }
}

extension GraphLayout {
    /// Routes the links between each pair of adjacent layers. Edges leaving one
    /// source form a net sharing its port (the centre of the box's bottom border);
    /// each box spreads its inputs over its top border in source order. A net
    /// needing a horizontal run gets its own track row (interval colouring), so
    /// distinct nets never share a horizontal segment.
    mutating func routeEdges(layering: Layering, slotRects: [LayerSlot: Rect]) {
        var rects = slotRects
        let ports = targetPorts(layering: layering, rects: rects)
        var outgoing: [LayerSlot: [LayerSlot]] = [:]
        for link in layering.links { outgoing[link.from, default: []].append(link.to) }
        let gapCount = max(0, layering.layers.count - 1)
        // Pass 1: tracks depend only on columns, so every gap's height is known up front.
        let tracks = (0..<gapCount).map { l in
            assignTracks(netsBetween(layer: l, layering: layering, rects: rects, outgoing: outgoing, ports: ports))
        }
        // Grow gap l from one row to tracks + 1 rows: everything below moves down.
        var shift = 0
        var shiftOfLayer = [0]
        for t in tracks {
            shift += (t.max() ?? -1) + 1
            shiftOfLayer.append(shift)
        }
        for (l, slots) in layering.layers.enumerated() { for slot in slots { rects[slot]?.y += shiftOfLayer[l] } }
        for i in placed.indices { placed[i].rect.y += shiftOfLayer[placed[i].layer] }
        height += shift
        // Pass 2: draw with the final rows.
        for l in 0..<gapCount {
            let nets = netsBetween(layer: l, layering: layering, rects: rects, outgoing: outgoing, ports: ports)
            let gapTop = layering.layers[l].compactMap { rects[$0]?.bottom }.max() ?? 0
            drawGap(nets, tracks: tracks[l], gapTop: gapTop)
        }
        for (slot, rect) in rects where slot.isDummy { lines.vertical(x: rect.x, from: rect.y - 1, to: rect.bottom) }
    }

    private mutating func drawGap(_ nets: [Net], tracks: [Int], gapTop: Int) {
        let arrowRow = gapTop + (tracks.max() ?? -1) + 1
        for (k, net) in nets.enumerated() {
            let trackRow = gapTop + max(0, tracks[k])
            let turnRow = tracks[k] >= 0 ? trackRow : arrowRow
            lines.vertical(x: net.sourceX, from: net.sourceBottom - 1, to: turnRow)
            if net.sourceIsReal { stubs.append((net.sourceX, net.sourceBottom - 1)) }
            if tracks[k] >= 0 {
                lines.horizontal(y: trackRow, from: net.span.lowerBound, to: net.span.upperBound)
            }
            for target in net.targets {
                lines.vertical(x: target.x, from: turnRow, to: arrowRow + 1)
                if target.isReal { arrows.append((target.x, arrowRow)) }
            }
        }
    }

    struct LinkKey: Hashable {
        var from: LayerSlot
        var to: LayerSlot
    }

    struct Net {
        var sourceX: Int
        var sourceBottom: Int
        var sourceIsReal: Bool
        var targets: [(x: Int, isReal: Bool)]
        var span: ClosedRange<Int> {
            let xs = targets.map(\.x) + [sourceX]
            return (xs.min() ?? sourceX)...(xs.max() ?? sourceX)
        }
        var isStraight: Bool { targets.allSatisfy { $0.x == sourceX } }
    }

    /// For each (source, target) link, the x of its port on the target's top border:
    /// straight below the source when that lies over the box, otherwise as close as
    /// possible, keeping the ports in source order and two columns apart.
    private func targetPorts(layering: Layering, rects: [LayerSlot: Rect]) -> [LinkKey: Int] {
        var incoming: [LayerSlot: [LayerSlot]] = [:]
        for link in layering.links { incoming[link.to, default: []].append(link.from) }
        var ports: [LinkKey: Int] = [:]
        for (target, sources) in incoming {
            guard let t = rects[target] else { continue }
            // Sources share a layer, so their centres are distinct: the order is total.
            let sorted = sources.sorted { Self.centre(rects[$0]) < Self.centre(rects[$1]) }
            let xs = target.isDummy ? sorted.map { _ in t.x } : Self.spreadPorts(sorted.map { Self.centre(rects[$0]) }, in: t)
            for (s, x) in zip(sorted, xs) { ports[LinkKey(from: s, to: target)] = x }
        }
        return ports
    }

    /// Ports for sources at `wanted` (ascending) on the top border of `box`.
    static func spreadPorts(_ wanted: [Int], in box: Rect) -> [Int] {
        let lo = box.x + 1, hi = box.right - 2
        let spacing = hi - lo + 1 >= 2 * wanted.count - 1 ? 2 : 1
        var xs: [Int] = []
        for w in wanted { xs.append(max(min(w, hi), (xs.last ?? lo - spacing) + spacing)) }
        // Walk back from the right edge so the last ports fit inside the box.
        var limit = hi
        for j in xs.indices.reversed() {
            xs[j] = max(lo, min(xs[j], limit))
            limit = xs[j] - spacing
        }
        return xs
    }

    static func centre(_ r: Rect?) -> Int { r.map { $0.x + $0.width / 2 } ?? 0 }

    private func netsBetween(layer l: Int, layering: Layering, rects: [LayerSlot: Rect],
                             outgoing: [LayerSlot: [LayerSlot]], ports: [LinkKey: Int]) -> [Net] {
        var nets: [Net] = []
        for source in layering.layers[l] {
            guard let r = rects[source] else { continue }
            let targets = (outgoing[source] ?? []).compactMap { to -> (x: Int, isReal: Bool)? in
                guard let x = ports[LinkKey(from: source, to: to)] else { return nil }
                return (x, !to.isDummy)
            }
            if !targets.isEmpty {
                nets.append(Net(sourceX: source.isDummy ? r.x : Self.centre(r), sourceBottom: r.bottom,
                                sourceIsReal: !source.isDummy, targets: targets))
            }
        }
        return nets
    }

    /// Track index per net (-1 for straight nets): greedy interval colouring in span order.
    private func assignTracks(_ nets: [Net]) -> [Int] {
        var trackEnds: [Int] = []
        var result = Array(repeating: -1, count: nets.count)
        let order = nets.indices.filter { !nets[$0].isStraight }
            .sorted { (nets[$0].span.lowerBound, nets[$0].span.upperBound) < (nets[$1].span.lowerBound, nets[$1].span.upperBound) }
        for k in order {
            let span = nets[k].span
            if let t = trackEnds.firstIndex(where: { $0 < span.lowerBound - 1 }) {
                trackEnds[t] = span.upperBound
                result[k] = t
            } else {
                trackEnds.append(span.upperBound)
                result[k] = trackEnds.count - 1
            }
        }
        return result
    }
}
