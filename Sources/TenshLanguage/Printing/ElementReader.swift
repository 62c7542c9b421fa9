import TenshEngine

/// Reads single elements of a tensor by storage offset (in elements, already
/// including the tensor's own `offset`), exactly in their own type: int64
/// values above 2^53 must print every digit, so they are never routed
/// through Double. Holds the tensor so its storage outlives the reads.
struct ElementReader {
    let dtype: DType
    private let tensor: Tensor
    private let bytes: UnsafeMutableRawPointer

    init(_ tensor: Tensor) {
        self.tensor = tensor
        self.dtype = tensor.dtype
        self.bytes = tensor.storage.bytes
    }

    /// The element as a Double: exact for float32, float64 and bool.
    func double(at offset: Int) -> Double {
        switch dtype {
        case .float32: return Double(bytes.load(fromByteOffset: offset &* 4, as: Float.self))
        case .float64: return bytes.load(fromByteOffset: offset &* 8, as: Double.self)
        case .int64: return Double(int64(at: offset))
        case .bool: return bool(at: offset) ? 1 : 0
        }
    }

    func int64(at offset: Int) -> Int64 {
        bytes.load(fromByteOffset: offset &* 8, as: Int64.self)
    }

    /// Any non-zero byte is true (the byte is loaded as UInt8, never as a Bool
    /// whose bit pattern might be invalid).
    func bool(at offset: Int) -> Bool {
        bytes.load(fromByteOffset: offset, as: UInt8.self) != 0
    }
}
