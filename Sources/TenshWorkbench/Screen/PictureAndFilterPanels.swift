import TenshRender
import TenshText

/// A picture in true colour: a header, the picture (with the overlay blended
/// in), and the overlay's colour bar. Shared by the pane and plain text.
public enum PicturePanel {
    public static func header(_ view: PictureState) -> String {
        let base = view.picture.base
        var parts = [view.title, shapeText(base.shape) + " " + base.dtype.rawValue,
                     base.channels.count == 3 ? "rgb" : "gray"]
        if !base.samplingNote.isEmpty { parts.append(base.samplingNote) }
        if view.overlay != nil {
            parts.append(view.showOverlay ? "overlay alpha=\(NumberText.short(view.alpha)) \(view.colormap.rawValue)" : "overlay hidden")
        }
        return parts.joined(separator: "  ")
    }

    public static func body(of area: Rect) -> Rect { area.splitTop(1).rest.splitBottom(1).rest }

    public static func draw(_ view: PictureState, into buffer: inout Buffer, area: Rect, interactive: Bool) {
        guard area.height >= 3 else { return }
        let (head, rest) = area.splitTop(1)
        let (body, bar) = rest.splitBottom(1)
        buffer.setString(x: head.x, y: head.y, header(view), style: Style(attributes: [.bold]), clip: head)
        let placement = ColorImage(channels: view.channels).draw(into: &buffer, area: body)
        if interactive { PixelCursor(row: view.row, column: view.column).draw(into: &buffer, placement: placement) }
        if view.overlay != nil, view.showOverlay {
            ColorBar(scale: ColorScale(colormap: view.colormap, range: view.picture.heatRange)).draw(into: &buffer, area: bar)
        }
    }

    /// Plain text: the picture magnified to about 32 pixels high when it is
    /// smaller (and fits `width`), at most `maxRows` rows.
    public static func plainBuffer(_ view: PictureState, width: Int, maxRows: Int) -> Buffer {
        let (h, w) = (max(1, view.picture.rows), max(1, view.picture.columns))
        let factor = max(1, min(32 / h, width / w))
        let rows = min(max(3, maxRows), (h * factor + 1) / 2 + 2)
        var buffer = Buffer(width: width, height: rows)
        draw(view, into: &buffer, area: buffer.area, interactive: false)
        return buffer.trimmingBlankRows(keepingLast: view.overlay != nil)
    }
}

/// The kernels of a 4-d weight: a header, the grid, and a colour bar of the
/// global range. Shared by the pane and plain text.
public enum FilterPanel {
    public static func header(_ view: FilterState) -> String {
        let k = view.kernels
        var parts = [view.title, shapeText(k.shape) + " " + k.dtype.rawValue,
                     view.color ? "\(k.shape[0]) filters in colour" : "filters \(k.shape[0])×\(k.shape[1])"]
        if !k.samplingNote.isEmpty { parts.append(k.samplingNote) }
        if !view.color { parts.append(view.colormap.rawValue) }
        parts.append(view.globalNormalization ? "global" : (view.color ? "per-filter" : "per-kernel"))
        return parts.joined(separator: "  ")
    }

    public static func body(of area: Rect) -> Rect { area.splitTop(1).rest.splitBottom(1).rest }

    public static func draw(_ view: FilterState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 4 else { return }
        let (head, rest) = area.splitTop(1)
        let (body, bar) = rest.splitBottom(1)
        buffer.setString(x: head.x, y: head.y, header(view), style: Style(attributes: [.bold]), clip: head)
        view.grid.draw(into: &buffer, area: body)
        if view.globalNormalization, let range = view.grid.ranges.first?.first {
            let colormap = view.color ? Colormap.gray : view.colormap
            ColorBar(scale: ColorScale(colormap: colormap, range: range)).draw(into: &buffer, area: bar)
        }
    }

    /// Plain text: every kernel, as large as a drawing of at most `maxRows` rows allows.
    public static func plainBuffer(_ view: FilterState, width: Int, maxRows: Int) -> Buffer {
        var buffer = Buffer(width: width, height: view.grid.naturalHeight(width: width, maxHeight: maxRows) + 2)
        draw(view, into: &buffer, area: buffer.area)
        return buffer.trimmingBlankRows(keepingLast: view.globalNormalization)
    }
}

extension Buffer {
    /// This buffer without the blank rows above its last row (the colour bar),
    /// or without trailing blank rows at all.
    func trimmingBlankRows(keepingLast: Bool) -> Buffer {
        let content = keepingLast ? height - 1 : height
        let used = (0..<content).last { row in (0..<width).contains { self[$0, row] != .blank } }.map { $0 + 1 } ?? 0
        var out = Buffer(width: width, height: used + (keepingLast ? 1 : 0))
        out.blit(self, sourceX: 0, sourceY: 0, into: Rect(x: 0, y: 0, width: width, height: used))
        if keepingLast { out.blit(self, sourceX: 0, sourceY: height - 1, into: Rect(x: 0, y: used, width: width, height: 1)) }
        return out
    }
}
