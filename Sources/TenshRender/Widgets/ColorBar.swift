import TenshText

/// A one-row colour bar: `min ▀▀▀▀▀▀ max`, the gradient in between, labels in plain text.
public struct ColorBar: Sendable {
    public var scale: ColorScale

    public init(scale: ColorScale) { self.scale = scale }

    public func draw(into buffer: inout Buffer, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let shown = scale.displayedRange
        let low = NumberText.short(shown.min), high = NumberText.short(shown.max)
        let x = buffer.setString(x: area.x, y: area.y, low + " ", clip: area)
        let barWidth = area.right - x - high.count - 1
        guard barWidth >= 2 else { return }
        for i in 0..<barWidth {
            // Both halves get the same colour: the bar reads as a solid strip.
            let color = scale.colormap.color(at: Double(i) / Double(barWidth - 1))
            buffer.set(x: x + i, y: area.y, Cell("▀", fg: color, bg: color))
        }
        buffer.setString(x: x + barWidth, y: area.y, " " + high, clip: area)
    }
}
