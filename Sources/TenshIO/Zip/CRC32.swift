import CZlib

/// CRC-32 (zip's checksum), computed by zlib.
struct CRC32 {
    private(set) var value: UInt32 = 0

    mutating func update(_ bytes: UnsafeRawPointer, count: Int) {
        guard count > 0 else { return }
        value = UInt32(truncatingIfNeeded: crc32_z(UInt(value), bytes.assumingMemoryBound(to: UInt8.self), count))
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress { update(base, count: bytes.count) }
    }

    /// Continues with the bytes whose own CRC is `next` (of `count` bytes), as if they had been read here.
    mutating func append(_ next: UInt32, count: Int) {
        value = UInt32(truncatingIfNeeded: crc32_combine(UInt(value), UInt(next), count))
    }

    /// The CRC of `count` bytes on their own.
    static func of(_ bytes: UnsafeRawPointer, count: Int) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes, count: count)
        return crc.value
    }
}
