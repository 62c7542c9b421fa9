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

    mutating func shift(dy: Int, below row: Int) {
        var moved: [Point: UInt8] = [:]
        for (p, b) in bits { moved[p.y >= row ? Point(x: p.x, y: p.y + dy) : p] = b }
        bits = moved
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
        for l in 0..<max(0, layering.layers.count - 1) {
            let nets = netsBetween(layer: l, layering: layering, rects: rects, ports: ports)
            let tracks = assignTracks(nets)
            let trackCount = (tracks.max() ?? -1) + 1
            let gapTop = (layering.layers[l].compactMap { rects[$0]?.bottom }.max() ?? 0)
            // Grow this gap from one row to trackCount + 1 rows; move everything below.
            if trackCount > 0 { moveDown(by: trackCount, from: gapTop + 1, rects: &rects) }
            let arrowRow = gapTop + trackCount
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
        for (slot, rect) in rects where slot.isDummy { lines.vertical(x: rect.x, from: rect.y - 1, to: rect.bottom) }
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

    /// For each (source, target) link, the x of its port on the target's top border.
    private func targetPorts(layering: Layering, rects: [LayerSlot: Rect]) -> [String: Int] {
        var incoming: [LayerSlot: [LayerSlot]] = [:]
        for link in layering.links { incoming[link.to, default: []].append(link.from) }
        var ports: [String: Int] = [:]
        for (target, sources) in incoming {
            guard let t = rects[target] else { continue }
            let sorted = sources.sorted { (Self.centre(rects[$0]), "\($0)") < (Self.centre(rects[$1]), "\($1)") }
            for (j, s) in sorted.enumerated() {
                ports["\(s)>\(target)"] = target.isDummy ? t.x : t.x + 1 + (j + 1) * (t.width - 2) / (sorted.count + 1)
            }
        }
        return ports
    }

    static func centre(_ r: Rect?) -> Int { r.map { $0.x + $0.width / 2 } ?? 0 }

    private func netsBetween(layer l: Int, layering: Layering, rects: [LayerSlot: Rect], ports: [String: Int]) -> [Net] {
        var nets: [Net] = []
        for source in layering.layers[l] {
            guard let r = rects[source] else { continue }
            let targets = layering.links.filter { $0.from == source }.compactMap { link -> (x: Int, isReal: Bool)? in
                guard let x = ports["\(source)>\(link.to)"] else { return nil }
                return (x, !link.to.isDummy)
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

    private mutating func moveDown(by dy: Int, from row: Int, rects: inout [LayerSlot: Rect]) {
        for key in Array(rects.keys) where (rects[key]?.y ?? 0) >= row { rects[key]?.y += dy }
        for i in placed.indices where placed[i].rect.y >= row { placed[i].rect.y += dy }
        lines.shift(dy: dy, below: row)
        arrows = arrows.map { $0.y >= row ? ($0.x, $0.y + dy) : $0 }
        stubs = stubs.map { $0.y >= row ? ($0.x, $0.y + dy) : $0 }
        height += dy
    }
}
