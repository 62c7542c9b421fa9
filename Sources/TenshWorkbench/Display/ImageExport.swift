import Foundation
import TenshEngine
import TenshLanguage
import TenshRender
import TenshText

/// `save_image(x, "f.png", cmap=)`: feature maps as a PNG, one image pixel per
/// tensor element. A 4-d tensor gives a grid of its first sample's channels
/// (as the pane shows them), 1 px apart; each channel is normalised on its own.
enum ImageExport {
    static let gap = 1

    static func png(_ tensor: Tensor, colormap name: String?) throws -> [UInt8] {
        let maps: FeatureMaps, colormap: Colormap
        do {
            maps = try FeatureMaps(tensor)
            colormap = try ShowRequest.colormap(named: name, gradient: false)
        } catch let error as EngineError {
            // The checks are shared with `show`; the message names the builtin that was called.
            throw EngineError(error.kind, op: "save_image", argument: error.argument, error.detail)
        }
        let channels = maps.isBars ? [Matrix(rows: 1, columns: maps.bars.count, values: maps.bars)] : maps.channels
        let ranges = maps.isBars ? [ValueRange(of: maps.bars)] : maps.ranges(global: false)
        let columns = Int(Double(channels.count).squareRoot().rounded(.up))
        let rows = (channels.count + columns - 1) / columns
        let cellW = channels[0].columns, cellH = channels[0].rows
        let width = columns * cellW + (columns - 1) * gap, height = rows * cellH + (rows - 1) * gap
        guard width * height <= 1 << 26 else {
            throw EngineError(.resourceLimit, op: "save_image", argument: "x",
                              "an image of \(width)x\(height) pixels is too large (shape \(shapeText(tensor.shape)))")
        }
        var rgb = [UInt8](repeating: 255, count: width * height * 3)
        for (index, channel) in channels.enumerated() {
            let scale = ColorScale(colormap: colormap, range: ranges[index])
            let x0 = (index % columns) * (cellW + gap), y0 = (index / columns) * (cellH + gap)
            for y in 0..<cellH {
                for x in 0..<cellW {
                    let (r, g, b) = components(scale.color(for: channel[y, x]))
                    let p = ((y0 + y) * width + x0 + x) * 3
                    rgb[p] = r; rgb[p + 1] = g; rgb[p + 2] = b
                }
            }
        }
        guard let png = PngEncoder.encode(width: width, height: height, rgb: rgb) else {
            throw EngineError(op: "save_image", argument: "x", "cannot encode an image of \(width)x\(height) pixels")
        }
        return png
    }

    /// Writes via a temporary file and a rename, so an interrupted save leaves no half-written image.
    static func write(_ tensor: Tensor, path: String, colormap: String?) throws {
        try AtomicWrite.write(try png(tensor, colormap: colormap), to: path, op: "save_image")
    }

    private static func components(_ color: Color) -> (UInt8, UInt8, UInt8) {
        switch color {
        case .rgb(let r, let g, let b): return (r, g, b)
        case .indexed, .default: return (0, 0, 0)
        }
    }
}
