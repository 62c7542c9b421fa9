import TenshEngine

/// How a file stores one element, and the tensh dtype it loads as: floats of 16
/// bits (IEEE half and bfloat16) widen to f32, integers of any width to i64.
/// The stored type stays known (`name`), so a loaded tensor can say `f16→f32`.
public struct StoredElement: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case float, bfloat, signed, unsigned, bool }
    public let kind: Kind
    /// Bytes per element in the file.
    public let size: Int
    public let bigEndian: Bool

    public init(_ kind: Kind, size: Int, bigEndian: Bool = false) {
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian
    }

    /// The tensh dtype of the loaded tensor.
    public var dtype: DType {
        switch kind {
        case .float: return size == 8 ? .float64 : .float32
        case .bfloat: return .float32
        case .signed, .unsigned: return .int64
        case .bool: return .bool
        }
    }

    /// tensh's short name of the stored type: `f16`, `bf16`, `i32`, `u8`, `bool`.
    public var description: String {
        switch kind {
        case .float: return "f\(size * 8)"
        case .bfloat: return "bf16"
        case .signed: return "i\(size * 8)"
        case .unsigned: return "u\(size * 8)"
        case .bool: return "bool"
        }
    }

    /// The file's bytes are the tensor's bytes (no conversion needed).
    var isNative: Bool {
        !bigEndian && size == dtype.itemSize && (kind == .float || kind == .signed)
    }

    static let float16 = StoredElement(.float, size: 2), bfloat16 = StoredElement(.bfloat, size: 2)
    static let float32 = StoredElement(.float, size: 4), float64 = StoredElement(.float, size: 8)
    static let int8 = StoredElement(.signed, size: 1), int16 = StoredElement(.signed, size: 2)
    static let int32 = StoredElement(.signed, size: 4), int64 = StoredElement(.signed, size: 8)
    static let uint8 = StoredElement(.unsigned, size: 1), uint16 = StoredElement(.unsigned, size: 2)
    static let uint32 = StoredElement(.unsigned, size: 4), bool = StoredElement(.bool, size: 1)

    /// How a tensor of `dtype` is stored when tensh writes it (little-endian).
    static func native(_ dtype: DType) -> StoredElement {
        switch dtype {
        case .float32: return .float32
        case .float64: return .float64
        case .int64: return .int64
        case .bool: return .bool
        }
    }

    /// Converts `count` stored elements at `raw` into elements of `dtype` at `out`.
    func convert(_ raw: UnsafeRawPointer, count: Int, into out: UnsafeMutableRawPointer) {
        func word(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            let base = raw + k &* size
            for b in 0..<size {
                v |= UInt64(base.load(fromByteOffset: bigEndian ? size - 1 - b : b, as: UInt8.self)) << (8 * b)
            }
            return v
        }
        switch (kind, size) {
        case (.bool, _):
            let p = out.assumingMemoryBound(to: Bool.self)
            for k in 0..<count { p[k] = raw.load(fromByteOffset: k, as: UInt8.self) != 0 }
        case (.float, 2):
            let p = out.assumingMemoryBound(to: Float.self)
            for k in 0..<count { p[k] = Float(Float16(bitPattern: UInt16(truncatingIfNeeded: word(k)))) }
        case (.bfloat, _):
            let p = out.assumingMemoryBound(to: UInt32.self)
            for k in 0..<count { p[k] = UInt32(truncatingIfNeeded: word(k)) << 16 }
        case (.float, 4):
            let p = out.assumingMemoryBound(to: UInt32.self)
            for k in 0..<count { p[k] = UInt32(truncatingIfNeeded: word(k)) }
        case (.float, _):
            let p = out.assumingMemoryBound(to: UInt64.self)
            for k in 0..<count { p[k] = word(k) }
        case (.signed, _):
            let p = out.assumingMemoryBound(to: Int64.self)
            let shift = UInt64(64 - 8 * size)
            for k in 0..<count { p[k] = Int64(bitPattern: word(k) << shift) >> Int64(shift) } // sign-extends
        case (.unsigned, _):
            let p = out.assumingMemoryBound(to: Int64.self)
            for k in 0..<count { p[k] = Int64(bitPattern: word(k)) } // at most 32 bits: always fits
        }
    }
}
