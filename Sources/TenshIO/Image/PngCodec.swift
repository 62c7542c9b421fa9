import CPng
import TenshText
#if canImport(Glibc)
import Glibc
#endif
import TenshEngine

/// PNG through libpng: every colour type and bit depth, interlaced or not.
/// Sizes are checked against the allocation limit from the header, before
/// the pixels are allocated or decoded.
enum PngCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The header, then (after `check` accepts it) the pixels.
    static func decode(_ bytes: [UInt8], context: FileContext, check: (ImageHeader) throws -> Void) throws -> RawImage {
        var info = tensh_png_info()
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            tensh_png_decode(data.baseAddress, data.count, &info, nil, 0, &message, message.count)
        }
        guard status == 0 else { throw failure(message, context) }
        let header = ImageHeader(width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
                                 sampleBytes: Int(info.sample_bytes))
        try check(header)
        guard let byteCount = header.pixelBytes else { throw context.error("an image of \(header.width)x\(header.height) pixels is too large") }
        var pixels = [UInt8](repeating: 0, count: byteCount)
        let decoded = bytes.withUnsafeBufferPointer { data in
            pixels.withUnsafeMutableBufferPointer { out in
                tensh_png_decode(data.baseAddress, data.count, &info, out.baseAddress, out.count, &message, message.count)
            }
        }
        guard decoded == 0 else { throw failure(message, context) }
        let key = info.has_key == 0 ? nil : (info.channels == 1 ? [Int(info.key.0)] : [Int(info.key.0), Int(info.key.1), Int(info.key.2)])
        return RawImage(width: header.width, height: header.height, channels: header.channels,
                        sampleBytes: header.sampleBytes, key: key, pixels: pixels)
    }

    /// PNG bytes of 8-bit pixels (1, 2, 3 or 4 channels), compressed with zlib's default level.
    static func encode(_ pixels: [UInt8], width: Int, height: Int, channels: Int, context: FileContext) throws -> [UInt8] {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max), (1...4).contains(channels),
              pixels.count == width * height * channels else {
            throw context.error("cannot encode an image of \(width)x\(height) pixels with \(channels) channels")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = pixels.withUnsafeBufferPointer { data in
            tensh_png_encode(data.baseAddress, UInt32(width), UInt32(height), Int32(channels), &output, &size, &message, message.count)
        }
        defer { free(output) }
        guard status == 0, let output else { throw context.error("libpng could not encode the image: \(text(message))") }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    private static func failure(_ message: [CChar], _ context: FileContext) -> EngineError {
        context.error("not a readable PNG: \(text(message))")
    }

    /// libpng's message (which may quote bytes of the file), escaped.
    static func text(_ message: [CChar]) -> String {
        let bytes = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return Escaping.printable(String(decoding: bytes, as: UTF8.self))
    }
}
