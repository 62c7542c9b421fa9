import TenshEngine
import TenshRender
import TenshText

/// A picture for the true-colour view: `[3, H, W]` / `[1, 3, H, W]` (red, green,
/// blue) or one channel (gray), values in [0, 1] (clipped when drawn; a gray
/// picture outside [0, 1] is stretched over its range instead), and optionally a
/// heatmap `overlay` blended over it through a colormap: `(1 − alpha) · picture
/// + alpha · colormap(heat)`. A heatmap of another size is resampled to the
/// picture's. Read within the display budget (`FeatureMaps`).
public struct Picture {
    public let base: FeatureMaps
    /// The heatmap at the picture's size, and its own range.
    public let heat: Matrix?
    public let heatRange: ValueRange

    public init(_ tensor: Tensor, overlay: Tensor? = nil) throws {
        let base = try FeatureMaps(tensor)
        guard !base.isBars, base.channels.count == 1 || base.channels.count == 3, base.channelCount == base.channels.count else {
            throw EngineError(op: "show", argument: "x", "a picture has 1 or 3 channels ([3, H, W], [1, 3, H, W], [1, H, W] or [H, W]), "
                              + "got shape \(shapeText(tensor.shape))")
        }
        self.base = base
        guard let overlay else {
            heat = nil
            heatRange = ValueRange(min: 0, max: 0)
            return
        }
        let maps = try FeatureMaps(overlay)
        guard !maps.isBars, maps.channelCount == 1, maps.sampleCount == 1, let plane = maps.channels.first else {
            throw EngineError(op: "show", argument: "overlay",
                              "the overlay must be one heatmap ([H, W], [1, H, W] or [1, 1, H, W]), got shape \(shapeText(overlay.shape))")
        }
        let size = base.channels[0]
        heat = Resample.resampled(plane, rows: size.rows, columns: size.columns)
        heatRange = plane.range
    }

    public var rows: Int { base.channels.first?.rows ?? 0 }
    public var columns: Int { base.channels.first?.columns ?? 0 }

    /// The picture's channels in [0, 1] (a gray one outside [0, 1] stretched over its range).
    public var pictureChannels: [Matrix] {
        guard base.channels.count == 1, let gray = base.channels.first else { return base.channels }
        let r = gray.range
        guard r.min < 0 || r.max > 1, r.max > r.min else { return [gray] }
        return [Matrix(rows: gray.rows, columns: gray.columns, values: gray.values.map { ($0 - r.min) / (r.max - r.min) })]
    }

    /// Red, green and blue (or gray without an overlay) as drawn: the picture, blended with the heatmap when `alpha` > 0.
    public func blended(alpha: Double, colormap: Colormap) -> [Matrix] {
        let picture = pictureChannels
        guard let heat, alpha > 0 else { return picture }
        let scale = ColorScale(colormap: colormap, range: heatRange)
        let rgb = picture.count == 3 ? picture : [picture[0], picture[0], picture[0]]
        var out = [[Double]](repeating: [], count: 3)
        for p in 0..<heat.values.count {
            let h = heat.values[p]
            let c = h.isNaN ? nil : scale.color(for: h).rgbComponents
            let heatRGB = c.map { [Double($0.r), Double($0.g), Double($0.b)].map { $0 / 255 } }
            for k in 0..<3 {
                let v = min(1, max(0, rgb[k].values[p]))
                out[k].append(heatRGB.map { (1 - alpha) * v + alpha * $0[k] } ?? v)
            }
        }
        return out.map { Matrix(rows: heat.rows, columns: heat.columns, values: $0) }
    }

    /// `(0.2, 0.5, 0.1)` or `0.4` at a pixel; with the heatmap's value when there is one.
    public func valueText(row: Int, column: Int) -> String {
        let values = base.channels.map { NumberText.precise($0[row, column]) }
        var text = values.count == 1 ? values[0] : "(" + values.joined(separator: ", ") + ")"
        if let heat { text += "  overlay " + NumberText.precise(heat[row, column]) }
        return text
    }
}
