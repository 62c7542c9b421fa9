import Foundation
import TenshEngine
import TenshIO
import TenshLanguage
import TenshRender
import TenshText

/// The workbench's displays: `save_image` writes the same file whichever one
/// is active, so both take these two methods from here.
public protocol ImageFileDisplay: DisplaySink {}

extension ImageFileDisplay {
    public func saveImage(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws {
        try ImageExport.write(tensor, path: path, colormap: colormap, scale: scale)
    }

    public func savePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws {
        try ImageExport.writePicture(tensor, path: path, options: options, scale: scale)
    }
}

/// `save_image(x, "f.png", cmap=)`: feature maps as a PNG, one image pixel per
/// tensor element. A 4-d tensor gives a grid of its first sample's channels
/// (as the pane shows them), 1 px apart; each channel is normalised on its own.
/// The image's size is checked before anything is read or allocated, and the
/// tensor is read through its strides straight into the pixels (no copy).
enum ImageExport {
    static let gap = 1
    /// 64 Mpx: well beyond any feature map, and 192 MiB of RGB.
    static let maxPixels = 1 << 26

    /// The RGB pixels (3 bytes each, rows top to bottom, white between channels) and the image's size.
    static func pixels(_ tensor: Tensor, colormap name: String?) throws -> (rgb: [UInt8], width: Int, height: Int) {
        let layout: FeatureLayout, colormap: Colormap
        do {
            layout = try FeatureLayout(tensor.shape, op: "save_image")
            colormap = try ShowRequest.colormap(named: name, gradient: false)
        } catch let error as EngineError {
            // The colormap check is shared with `show`; the message names the builtin that was called.
            throw EngineError(error.kind, op: "save_image", argument: error.argument, error.detail)
        }
        let grid = try Grid(layout, shape: tensor.shape)
        var rgb = [UInt8](repeating: 255, count: grid.width * grid.height * 3)
        for channel in 0..<layout.channels {
            let leading = layout.leading(sample: 0, channel: channel)
            let scale = ColorScale(colormap: colormap, range: ValueRange(of: TensorValues.elements(tensor, leading: leading)))
            let (x0, y0) = grid.origin(of: channel)
            for (i, value) in TensorValues.elements(tensor, leading: leading).enumerated() {
                let (r, g, b) = components(scale.color(for: value))
                let p = ((y0 + i / layout.columns) * grid.width + x0 + i % layout.columns) * 3
                rgb[p] = r; rgb[p + 1] = g; rgb[p + 2] = b
            }
        }
        return (rgb, grid.width, grid.height)
    }

    /// A picture (with its overlay blended in) as RGB pixels: one pixel per element.
    static func picture(_ view: PictureState) throws -> (rgb: [UInt8], width: Int, height: Int) {
        let channels = view.channels
        let (width, height) = (view.picture.columns, view.picture.rows)
        guard width * height <= maxPixels else {
            throw EngineError(.resourceLimit, op: "save_image", argument: "x",
                              "an image of \(width)x\(height) pixels is too large: the limit is \(maxPixels) pixels")
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<width * height {
            let values = channels.map { $0.values[p] }
            let (r, g, b) = components(ColorImage.color(values.count == 3 ? values : [values[0], values[0], values[0]]))
            rgb[3 * p] = r; rgb[3 * p + 1] = g; rgb[3 * p + 2] = b
        }
        return (rgb, width, height)
    }

    /// The picture with its overlay, handed to TenshIO, which writes the PNG (each pixel `scale` x `scale`) atomically.
    static func writePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws {
        let view = try PictureState(tensor: tensor, overlay: options.overlay, title: "", alpha: options.alpha,
                                    colormap: try ShowRequest.colormap(named: options.colormap, gradient: false))
        let (rgb, width, height) = try picture(view)
        try ImageFile.savePng(pixels: rgb, width: width, height: height, channels: 3, scale: scale, to: path, op: "save_image")
    }

    /// The feature maps' pixels, handed to TenshIO, which writes the PNG (each pixel `scale` x `scale`) atomically.
    static func write(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws {
        let (rgb, width, height) = try pixels(tensor, colormap: colormap)
        try ImageFile.savePng(pixels: rgb, width: width, height: height, channels: 3, scale: scale, to: path, op: "save_image")
    }

    /// The channels laid out in a near-square grid; its size is checked against
    /// `maxPixels` and the allocation limit before the pixels are allocated.
    struct Grid {
        let columns: Int
        let cellWidth: Int
        let cellHeight: Int
        let width: Int
        let height: Int

        init(_ layout: FeatureLayout, shape: [Int]) throws {
            let count = layout.channels
            columns = Int(Double(count).squareRoot().rounded(.up))
            let rows = (count + columns - 1) / columns
            cellWidth = layout.columns
            cellHeight = layout.rows
            let (w, h) = (Self.extent(columns, cellWidth), Self.extent(rows, cellHeight))
            width = w ?? Int.max
            height = h ?? Int.max
            let pixels = w.flatMap { w in h.flatMap { w.multipliedReportingOverflow(by: $0).overflow ? nil : w * $0 } }
            let limit = EngineConfig.maxTensorBytes
            guard let pixels, pixels <= maxPixels else {
                throw Self.tooLarge(w, h, shape, "the limit is \(maxPixels) pixels")
            }
            guard pixels <= limit / 3 else {
                throw Self.tooLarge(w, h, shape, "its \(pixels * 3) bytes of RGB exceed the allocation limit of \(limit) bytes")
            }
        }

        private static func tooLarge(_ w: Int?, _ h: Int?, _ shape: [Int], _ reason: String) -> EngineError {
            let size = w.flatMap { w in h.map { "\(w)x\($0)" } } ?? "more than \(Int.max)"
            return EngineError(.resourceLimit, op: "save_image", argument: "x",
                               "an image of \(size) pixels is too large (shape \(shapeText(shape))): \(reason)")
        }

        /// `n` cells of `size` pixels with a gap between them, or nil on overflow.
        private static func extent(_ n: Int, _ size: Int) -> Int? {
            let (cells, overflow) = n.multipliedReportingOverflow(by: size)
            return overflow || cells > Int.max / 2 ? nil : cells + (n - 1) * ImageExport.gap
        }

        func origin(of channel: Int) -> (x: Int, y: Int) {
            ((channel % columns) * (cellWidth + ImageExport.gap), (channel / columns) * (cellHeight + ImageExport.gap))
        }
    }

    private static func components(_ color: Color) -> (UInt8, UInt8, UInt8) {
        switch color {
        case .rgb(let r, let g, let b): return (r, g, b)
        case .indexed, .default: return (0, 0, 0)
        }
    }
}
