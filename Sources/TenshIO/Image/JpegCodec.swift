import CJpeg
import TenshEngine

/// JPEG through libjpeg-turbo, decoded as Pillow decodes it (the accurate
/// integer IDCT, fancy upsampling): baseline and progressive, grayscale and
/// YCbCr with any chroma subsampling. CMYK and YCCK files are refused.
enum JpegCodec {
    static func isJpeg(_ bytes: [UInt8]) -> Bool { bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF }

    /// The header, then (after `check` accepts it) the pixels.
    static func decode(_ bytes: [UInt8], context: FileContext, check: (ImageHeader) throws -> Void) throws -> RawImage {
        var info = tensh_jpeg_info()
        var message = [CChar](repeating: 0, count: 256)
        // libjpeg's own working memory (a progressive image keeps all its coefficients) stays within the limit too.
        let memory = Int(clamping: EngineConfig.maxTensorBytes)
        let status = bytes.withUnsafeBufferPointer { data in
            tensh_jpeg_decode(data.baseAddress, data.count, &info, nil, 0, memory, &message, message.count)
        }
        try checkStatus(status, info, message, context)
        let header = ImageHeader(width: Int(info.width), height: Int(info.height), channels: Int(info.channels), sampleBytes: 1)
        try check(header)
        guard let byteCount = header.pixelBytes else { throw context.error("an image of \(header.width)x\(header.height) pixels is too large") }
        var pixels = [UInt8](repeating: 0, count: byteCount)
        let decoded = bytes.withUnsafeBufferPointer { data in
            pixels.withUnsafeMutableBufferPointer { out in
                tensh_jpeg_decode(data.baseAddress, data.count, &info, out.baseAddress, out.count, memory, &message, message.count)
            }
        }
        try checkStatus(decoded, info, message, context)
        return RawImage(width: header.width, height: header.height, channels: header.channels, sampleBytes: 1, key: nil, pixels: pixels)
    }

    private static func checkStatus(_ status: Int32, _ info: tensh_jpeg_info, _ message: [CChar], _ context: FileContext) throws {
        switch status {
        case 0: return
        case -2:
            throw context.error("a JPEG in colour space \(info.color_space) with \(info.stored_components) components (CMYK or YCCK) is not supported; convert it to RGB first")
        default:
            throw context.error("not a readable JPEG: \(PngCodec.text(message))")
        }
    }
}
