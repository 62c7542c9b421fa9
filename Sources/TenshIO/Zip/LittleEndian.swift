/// Little-endian integers in a byte array, as zip and safetensors store them.
/// Callers check that the bytes are there first.
extension Array where Element == UInt8 {
    func uint16(at offset: Int) -> Int { Int(self[offset]) | Int(self[offset + 1]) << 8 }

    func uint32(at offset: Int) -> Int { uint16(at: offset) | uint16(at: offset + 2) << 16 }

    /// An unsigned 64-bit value; nil above Int.max (no file is that large).
    func uint64(at offset: Int) -> Int? {
        let value = UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
        return value <= UInt64(Int.max) ? Int(value) : nil
    }

    mutating func appendLittleEndian(_ value: Int, bytes: Int) {
        for k in 0..<bytes { append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }
}
