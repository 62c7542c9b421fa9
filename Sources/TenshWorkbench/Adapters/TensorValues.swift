import TenshEngine

/// Reads tensor elements as Double by following strides, so the pane can show
/// one sample of a large batch without copying the whole tensor.
enum TensorValues {
    /// The elements of the sub-tensor `t[leading...]` (leading indices fixed,
    /// the remaining dimensions in row-major order). Callers check the indices.
    static func doubles(_ t: Tensor, leading: [Int] = []) -> [Double] {
        let fixed = min(leading.count, t.rank)
        var base = t.offset
        for k in 0..<fixed { base += leading[k] * t.strides[k] }
        let shape = Array(t.shape[fixed...]), strides = Array(t.strides[fixed...])
        let total = shape.reduce(1, *)
        guard total > 0 else { return [] }
        var out = [Double]()
        out.reserveCapacity(total)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = base
        for _ in 0..<total {
            out.append(load(t, at: offset))
            // Advance the row-major counter, carrying into outer dimensions.
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                offset += strides[d]
                if index[d] < shape[d] { break }
                offset -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return out
    }

    /// One element at a storage offset (in elements), converted to Double.
    static func load(_ t: Tensor, at offset: Int) -> Double {
        let bytes = t.storage.bytes
        switch t.dtype {
        case .float32: return Double(bytes.load(fromByteOffset: offset * 4, as: Float.self))
        case .float64: return bytes.load(fromByteOffset: offset * 8, as: Double.self)
        case .int64: return Double(bytes.load(fromByteOffset: offset * 8, as: Int64.self))
        case .bool: return bytes.load(fromByteOffset: offset, as: UInt8.self) != 0 ? 1 : 0
        }
    }

    /// The Euclidean norm of all elements (the graph's `|grad|` note).
    static func norm(_ t: Tensor) -> Double {
        var sum = 0.0
        for v in doubles(t) { sum += v * v }
        return sum.squareRoot()
    }
}
