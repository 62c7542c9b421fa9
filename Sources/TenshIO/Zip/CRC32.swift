import CZlib

/// CRC-32 (zip's checksum): runs of 64 bytes or more by carry-less
/// multiplication where the CPU has it (crc32_fold.h, about 4x zlib's table
/// code), the rest by zlib.
struct CRC32 {
    private(set) var value: UInt32 = 0

    static let folds = tensh_crc32_fold_available() != 0

    mutating func update(_ bytes: UnsafeRawPointer, count: Int) {
        var next = bytes.assumingMemoryBound(to: UInt8.self), left = count
        if CRC32.folds && left >= 64 {
            // The fold works on the register, zlib's value complemented, in whole 16-byte blocks.
            let run = left & ~15
            value = ~tensh_crc32_fold(next, run, ~value)
            next += run
            left -= run
        }
        guard left > 0 else { return }
        value = UInt32(truncatingIfNeeded: crc32_z(UInt(value), next, left))
    }

    /// The same CRC by zlib alone (what the fold is tested against).
    static func byZlib(_ bytes: UnsafeRawPointer, count: Int, from start: UInt32 = 0) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_z(UInt(start), bytes.assumingMemoryBound(to: UInt8.self), count))
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
