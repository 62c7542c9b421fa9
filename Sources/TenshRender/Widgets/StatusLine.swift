/// The one-row status line: left text (mode, cursor value), right text (hints),
/// on a reversed background across the whole row. The right text yields when space is short.
public struct StatusLine: Sendable {
    public var left: String
    public var right: String
    public var style: Style

    public init(left: String, right: String = "", style: Style = Style(attributes: [.reverse])) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func draw(into buffer: inout Buffer, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, with: Cell(" ", style: style))
        let end = buffer.setString(x: row.x + 1, y: row.y, left, style: style, clip: row)
        let rightWidth = DisplayWidth.of(right)
        let rightStart = row.right - 1 - rightWidth
        if !right.isEmpty, rightStart > end + 1 {
            buffer.setString(x: rightStart, y: row.y, right, style: style, clip: row)
        }
    }
}

/// A frame with a title: `┌─ title ───┐` … `└───┘`. Returns the inner area.
public struct Block: Sendable {
    public var title: String
    public var style: Style

    public init(title: String = "", style: Style = .plain) {
        self.title = title
        self.style = style
    }

    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        for x in area.x..<area.right {
            buffer.set(x: x, y: area.y, Cell("─", style: style))
            buffer.set(x: x, y: area.bottom - 1, Cell("─", style: style))
        }
        for y in area.y..<area.bottom {
            buffer.set(x: area.x, y: y, Cell("│", style: style))
            buffer.set(x: area.right - 1, y: y, Cell("│", style: style))
        }
        buffer.set(x: area.x, y: area.y, Cell("┌", style: style))
        buffer.set(x: area.right - 1, y: area.y, Cell("┐", style: style))
        buffer.set(x: area.x, y: area.bottom - 1, Cell("└", style: style))
        buffer.set(x: area.right - 1, y: area.bottom - 1, Cell("┘", style: style))
        if !title.isEmpty {
            let titleClip = Rect(x: area.x + 2, y: area.y, width: area.width - 4, height: 1)
            buffer.setString(x: area.x + 2, y: area.y, " \(title) ", style: style, clip: titleClip)
        }
        return area.inset(dx: 1, dy: 1)
    }
}
