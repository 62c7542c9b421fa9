import TenshEngine
import TenshText

/// Photographs in and out: `load_image` (PNG via libpng, JPEG via
/// libjpeg-turbo, values equal to Pillow's decoding) and PNG writing for
/// `save_image`, both through the same size checks and the atomic writer.
public enum ImageFile {
    /// A float32 `[C, H, W]` tensor in [0, 1]; see `ImageMode`.
    public static func load(_ path: String, mode: ImageMode = .keep, op: String = "load_image") throws -> Tensor {
        let file = try InputFile(path: path, op: op)
        try file.context.checkAllocation(file.size, what: "reading the \(file.size)-byte file")
        return try decode(try file.bytes(file.size, at: 0), mode: mode, context: file.context)
    }

    /// Decodes PNG or JPEG bytes (told apart by their signature).
    static func decode(_ bytes: [UInt8], mode: ImageMode, context: FileContext) throws -> Tensor {
        let check = { (header: ImageHeader) in try checkSizes(header, mode: mode, context: context) }
        let raw: RawImage
        if bytes.starts(with: PngCodec.signature) {
            raw = try PngCodec.decode(bytes, context: context, check: check)
        } else if JpegCodec.isJpeg(bytes) {
            raw = try JpegCodec.decode(bytes, context: context, check: check)
        } else {
            throw context.error("not a PNG or JPEG image (\(FileFormat.describeStart(bytes)))")
        }
        let image = try raw.tensor(mode: mode, op: context.op)
        image.isImage = true // `show` draws it as a photograph
        return image
    }

    /// The decoded samples and the float tensor must each fit the allocation limit:
    /// checked from the header's dimensions, before either is allocated.
    private static func checkSizes(_ header: ImageHeader, mode: ImageMode, context: FileContext) throws {
        let outChannels = mode.channels(stored: header.channels)
        let tensorBytes = ImageHeader(width: header.width, height: header.height, channels: outChannels, sampleBytes: 4).pixelBytes
        let what = "an image of \(header.width)x\(header.height) pixels"
        try context.checkAllocation(header.pixelBytes ?? Int.max, what: "decoding \(what)")
        try context.checkAllocation(tensorBytes ?? Int.max, what: "\(what) as a [\(outChannels), \(header.height), \(header.width)] f32 tensor")
    }

    /// Writes 8-bit pixels (`channels` interleaved samples per pixel, rows top to
    /// bottom) as a PNG, each pixel enlarged to a `scale` x `scale` block.
    public static func savePng(pixels: [UInt8], width: Int, height: Int, channels: Int, scale: Int = 1,
                               to path: String, op: String) throws {
        let context = FileContext(op: op, path: path)
        guard scale >= 1 else {
            throw EngineError(.invalidArgument, op: op, argument: "scale", "scale must be at least 1, got \(scale)")
        }
        let (w, o1) = width.multipliedReportingOverflow(by: scale), (h, o2) = height.multipliedReportingOverflow(by: scale)
        let bytes = o1 || o2 ? nil : ImageHeader(width: w, height: h, channels: channels, sampleBytes: 1).pixelBytes
        guard let bytes, w <= Int(Int32.max), h <= Int(Int32.max) else {
            throw EngineError(.resourceLimit, op: op, argument: "scale", "an image of \(width)x\(height) pixels enlarged \(scale) times is too large")
        }
        try context.checkAllocation(bytes, what: "an image of \(w)x\(h) pixels")
        let enlarged = scale == 1 ? pixels : nearestNeighbour(pixels, width: width, height: height, channels: channels, scale: scale)
        let png = try PngCodec.encode(enlarged, width: w, height: h, channels: channels, context: context)
        try AtomicFile.write(png, to: path, op: op)
    }

    /// Each pixel repeated `scale` times across and each row `scale` times down.
    static func nearestNeighbour(_ pixels: [UInt8], width: Int, height: Int, channels: Int, scale: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(pixels.count * scale * scale)
        let rowBytes = width * channels
        for y in 0..<height {
            var row = [UInt8]()
            row.reserveCapacity(rowBytes * scale)
            for x in 0..<width {
                let pixel = pixels[(y * rowBytes + x * channels)..<(y * rowBytes + (x + 1) * channels)]
                for _ in 0..<scale { row += pixel }
            }
            for _ in 0..<scale { out += row }
        }
        return out
    }

    /// Writes a tensor of values in [0, 1] as a photograph: `[3, H, W]` RGB, `[4, H, W]`
    /// RGBA, `[1, H, W]` or `[H, W]` gray. Each value becomes `v * 255 + 0.5` clamped to
    /// [0, 255] and truncated, as torchvision's `save_image` rounds (NaN becomes 0).
    public static func savePhoto(_ tensor: Tensor, scale: Int = 1, to path: String, op: String) throws {
        let shape = tensor.shape
        let channels = shape.count == 2 ? 1 : (shape.count == 3 ? shape[0] : 0)
        guard [1, 3, 4].contains(channels), let height = shape.dropLast().last, let width = shape.last, width > 0, height > 0 else {
            throw EngineError(.invalidArgument, op: op, argument: "x",
                              "a photograph must have shape [3, H, W] (RGB), [4, H, W] (RGBA), [1, H, W] or [H, W] (gray), got \(shapeText(shape))")
        }
        let values = try tensor.detached().to(.float32).contiguous()
        let src = (values.storage.bytes + values.offset * 4).assumingMemoryBound(to: Float.self)
        let plane = width * height
        var pixels = [UInt8](repeating: 0, count: plane * channels)
        for p in 0..<plane {
            for c in 0..<channels {
                let v = src[c * plane + p] * 255 + 0.5
                pixels[p * channels + c] = v.isNaN ? 0 : UInt8(Swift.min(Swift.max(v, 0), 255))
            }
        }
        try savePng(pixels: pixels, width: width, height: height, channels: channels, scale: scale, to: path, op: op)
    }
}
