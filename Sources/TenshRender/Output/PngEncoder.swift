/// A minimal PNG writer: 8-bit RGB, one IDAT chunk holding a zlib stream of
/// stored (uncompressed) deflate blocks. Every PNG reader accepts it, and it
/// needs no compression library. Images of feature maps are small, so the
/// missing compression costs little.
public enum PngEncoder {
    /// PNG bytes of a `width` × `height` image; `rgb` holds 3 bytes per pixel, row-major.
    /// Returns nil when the sizes do not match the pixel data or are zero.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) -> [UInt8]? {
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24,
              rgb.count == width * height * 3 else { return nil }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0] // bit depth 8, colour type RGB, deflate, no filter method, no interlace
        appendChunk(&png, "IHDR", header)
        appendChunk(&png, "IDAT", zlibStored(scanlines(width: width, height: height, rgb: rgb)))
        appendChunk(&png, "IEND", [])
        return png
    }

    /// Each row prefixed with filter type 0 (none).
    static func scanlines(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(height * (width * 3 + 1))
        for y in 0..<height {
            out.append(0)
            out += rgb[(y * width * 3)..<((y + 1) * width * 3)]
        }
        return out
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        return out + bigEndian(adler32(data))
    }

    static func appendChunk(_ png: inout [UInt8], _ type: String, _ data: [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes + data
        png += bigEndian(crc32(typeBytes + data))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFFFFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFFFFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
