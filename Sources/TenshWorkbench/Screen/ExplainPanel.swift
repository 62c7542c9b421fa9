import TenshEngine
import TenshRender
import TenshText

/// `explain(y, [n, c, i, j])` in the pane: a header with the element and how it
/// is made; the input channels it reads with its receptive field lit and the
/// rest dimmed, beside the kernel slice it meets; below, the terms that sum to
/// it (arrows scroll them).
public enum ExplainPanel {
    public static func header(_ view: ExplainState) -> String {
        let e = view.explanation
        let how: String
        switch e.op {
        case .conv, .convTranspose: how = "Σ \(e.terms.count) products" + (e.bias == nil ? "" : " + bias")
        case .maxPool: how = "max of \(e.terms.count) values"
        case .avgPool, .adaptiveAvgPool: how = "mean of \(e.terms.count) values (÷\(e.divisor ?? e.terms.count))"
        }
        return "\(ElementExplanation.indexText(view.title, e.index)) = \(NumberText.precise(e.value))  "
            + ([e.op.rawValue] + e.attributes).joined(separator: " ") + "  = " + how
    }

    public static func draw(_ view: ExplainState, into buffer: inout Buffer, area: Rect) {
        guard area.height >= 6 else { return }
        let (head, rest) = area.splitTop(1)
        buffer.setString(x: head.x, y: head.y, header(view), style: Style(attributes: [.bold]), clip: head)
        let (pictures, list) = rest.splitTop(max(3, rest.height / 2))
        drawPictures(view, into: &buffer, area: pictures)
        let lines = Array(view.explanation.lines(title: view.title, inputName: view.inputName,
                                                 weightName: view.weightName).dropFirst(2))
        for (i, line) in lines.dropFirst(view.firstTerm).prefix(list.height).enumerated() {
            buffer.setString(x: list.x, y: list.y + i, line, clip: list)
        }
    }

    /// The input channels (left, receptive field lit) and the kernel slice (right).
    static func drawPictures(_ view: ExplainState, into buffer: inout Buffer, area: Rect) {
        let e = view.explanation
        let kernels = kernelSlice(e)
        let (inputArea, kernelArea) = kernels.isEmpty ? (area, Rect(x: area.right, y: area.y, width: 0, height: 0))
            : area.splitLeft(area.width * 3 / 5)
        buffer.setString(x: inputArea.x, y: inputArea.y, "\(view.inputName) (input, sample \(e.index[0]))",
                         style: Style(attributes: [.dim]), clip: inputArea)
        if let maps = try? FeatureMaps(e.input, sample: e.index[0]) {
            let channels = Array(maps.channels[min(e.channels.lowerBound, maps.channels.count)..<min(e.channels.upperBound, maps.channels.count)])
            let region = PixelRegion(rows: scaled(e.field.rows, maps.step), columns: scaled(e.field.columns, maps.step))
            drawGrid(channels, colormap: .viridis, region: region, into: &buffer, area: inputArea.splitTop(1).rest)
        }
        guard !kernels.isEmpty, kernelArea.width > 4 else { return }
        let inner = kernelArea.splitLeft(1).rest
        buffer.setString(x: inner.x, y: inner.y, "\(view.weightName) (kernel)", style: Style(attributes: [.dim]), clip: inner)
        drawGrid(kernels, colormap: .diverging, region: nil, into: &buffer, area: inner.splitTop(1).rest)
    }

    private static func drawGrid(_ channels: [Matrix], colormap: Colormap, region: PixelRegion?,
                                 into buffer: inout Buffer, area: Rect) {
        let grid = ChannelGrid(channels: channels, colormap: colormap,
                               ranges: ChannelGrid.ranges(for: channels, global: true))
        for tile in grid.draw(into: &buffer, area: area) {
            guard let region else { continue }
            let placement = Heatmap(channels[tile.channel], scale: grid.scale(ofChannel: tile.channel)).placement(in: tile.image)
            region.dimOutside(in: &buffer, placement: placement)
        }
    }

    /// The weights the element meets, one matrix per input channel of its group.
    static func kernelSlice(_ e: ElementExplanation) -> [Matrix] {
        guard let w = e.weight, w.rank == 4 else { return [] }
        let c = e.index[1]
        return e.channels.prefix(64).map { ci in
            let leading = e.op == .conv ? [c, ci - e.channels.lowerBound] : [ci, c % max(1, w.shape[1])]
            return TensorValues.plane(w, leading: leading, step: 1)
        }
    }

    /// A range of rows or columns in a tensor read at every `step`-th element.
    static func scaled(_ r: Range<Int>, _ step: Int) -> Range<Int> {
        guard step > 1 else { return r }
        let low = r.lowerBound >= 0 ? r.lowerBound / step : -((-r.lowerBound + step - 1) / step)
        return low..<max(low + 1, (r.upperBound + step - 1) / step)
    }
}
