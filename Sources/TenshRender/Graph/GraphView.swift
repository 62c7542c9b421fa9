/// Draws a laid-out graph into a rect: boxes with box-drawing borders, edges,
/// the selected node highlighted, scrolled by (`scrollX`, `scrollY`) cells.
public struct GraphView: Sendable {
    public var layout: GraphLayout
    public var selected: Int?
    public var scrollX: Int
    public var scrollY: Int

    public init(layout: GraphLayout, selected: Int? = nil, scrollX: Int = 0, scrollY: Int = 0) {
        self.layout = layout
        self.selected = selected
        self.scrollX = scrollX
        self.scrollY = scrollY
    }

    /// A graph narrower than the area is centred horizontally; a larger one is
    /// clipped to the window starting at (`scrollX`, `scrollY`).
    public func draw(into buffer: inout Buffer, area: Rect) {
        let canvas = layout.render(selected: selected)
        let inset = max(0, (area.width - layout.width) / 2)
        let target = Rect(x: area.x + inset, y: area.y, width: area.width - inset, height: area.height)
        buffer.blit(canvas, sourceX: inset > 0 ? 0 : scrollX, sourceY: scrollY, into: target)
    }

    /// Offsets that keep `current` where possible but bring node `id` fully into
    /// a viewport of `width` × `height` (its top-left corner if it is larger),
    /// clamped so the view never scrolls past the canvas.
    public static func scrollOffsets(revealing id: Int, in layout: GraphLayout, width: Int, height: Int,
                                     current: (x: Int, y: Int)) -> (x: Int, y: Int) {
        var x = current.x, y = current.y
        if let r = layout.placement(ofNode: id)?.rect {
            if r.right > x + width { x = r.right - width }
            if r.x < x { x = r.x }
            if r.bottom > y + height { y = r.bottom - height }
            if r.y < y { y = r.y }
        }
        return (min(max(0, x), max(0, layout.width - width)), min(max(0, y), max(0, layout.height - height)))
    }
}

extension GraphLayout {
    /// The whole graph drawn on a canvas of the layout's size.
    public func render(selected: Int? = nil) -> Buffer {
        var canvas = Buffer(width: width, height: height)
        for (point, bits) in lines.bits {
            canvas.set(x: point.x, y: point.y, Cell(String(LineGrid.character(bits)), style: Style(attributes: [.dim])))
        }
        for p in placed { drawBox(p, selected: p.node.id == selected, on: &canvas) }
        for s in stubs { canvas.set(x: s.x, y: s.y, Cell("┬", style: canvas[s.x, s.y]?.style ?? .plain)) }
        for a in arrows { canvas.set(x: a.x, y: a.y, Cell("▼")) }
        return canvas
    }

    /// Border colour by kind: inputs cyan, parameters yellow, the output green;
    /// a node's `highlight` (its gradient's size) wins over its kind.
    static func borderStyle(_ kind: GraphNode.Kind, selected: Bool, highlight: Color? = nil) -> Style {
        if selected { return Style(fg: Color(hex: 0xffd75f), attributes: [.bold]) }
        if let highlight { return Style(fg: highlight, attributes: [.bold]) }
        switch kind {
        case .input: return Style(fg: Color(hex: 0x56b6c2))
        case .parameter: return Style(fg: Color(hex: 0xe5c07b))
        case .op: return .plain
        case .output: return Style(fg: Color(hex: 0x98c379))
        }
    }

    private func drawBox(_ p: PlacedNode, selected: Bool, on canvas: inout Buffer) {
        let border = Self.borderStyle(p.node.kind, selected: selected, highlight: p.node.highlight)
        Block(style: border).draw(into: &canvas, area: p.rect)
        let inner = p.rect.inset(dx: 2, dy: 1)
        let titleStyle = Style(attributes: selected ? [.bold, .reverse] : [.bold])
        canvas.setString(x: inner.x, y: inner.y, p.node.title, style: titleStyle, clip: inner)
        for (i, line) in p.node.detailLines.enumerated() {
            canvas.setString(x: inner.x, y: inner.y + 1 + i, line, clip: inner)
        }
    }
}
