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
}
