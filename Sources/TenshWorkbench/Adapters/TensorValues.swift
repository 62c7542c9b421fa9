import TenshEngine
import TenshRender

/// Reads tensor elements as Double by following strides, so a display reads
/// only what it draws: one sample of a large batch, every n-th pixel of a huge
/// view, a norm without a copy.
enum TensorValues {
    /// The elements of `t[leading...]` (leading indices fixed, the remaining
    /// dimensions in row-major order), read one at a time. Callers check the indices.
    static func elements(_ t: Tensor, leading: [Int] = []) -> StridedElements {
        StridedElements(t, leading: leading)
    }

    /// Every `step`-th row and column of the plane `t[leading...]` (its last two
    /// dimensions), starting at the first: exact elements, `ceil(H / step)` by `ceil(W / step)`.
    static func plane(_ t: Tensor, leading: [Int], step: Int) -> Matrix {
        let rank = t.rank
        guard rank >= 2, leading.count == rank - 2 else { return Matrix(rows: 0, columns: 0, values: []) }
        let base = offset(t, leading)
        let (rows, columns) = (t.shape[rank - 2], t.shape[rank - 1])
        let (rowStride, columnStride) = (t.strides[rank - 2], t.strides[rank - 1])
        var values: [Double] = []
        values.reserveCapacity(((rows + step - 1) / step) * ((columns + step - 1) / step))
        for r in stride(from: 0, to: rows, by: step) {
            for c in stride(from: 0, to: columns, by: step) {
                values.append(load(t, at: base + r * rowStride + c * columnStride))
            }
        }
        return Matrix(rows: (rows + step - 1) / step, columns: (columns + step - 1) / step, values: values)
    }

    /// Every `step`-th element of a 1-d tensor (a 0-d tensor is one value).
    static func line(_ t: Tensor, step: Int) -> [Double] {
        guard t.rank == 1 else { return t.rank == 0 ? [load(t, at: t.offset)] : [] }
        return stride(from: 0, to: t.shape[0], by: step).map { load(t, at: t.offset + $0 * t.strides[0]) }
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
        for v in elements(t) { sum += v * v }
        return sum.squareRoot()
    }

    /// The storage offset of `t[leading...]`.
    static func offset(_ t: Tensor, _ leading: [Int]) -> Int {
        var base = t.offset
        for k in 0..<min(leading.count, t.rank) { base += leading[k] * t.strides[k] }
        return base
    }
}

/// The elements of a strided sub-tensor in row-major order, without a copy.
struct StridedElements: Sequence, IteratorProtocol {
    private let tensor: Tensor
    private let shape: [Int]
    private let strides: [Int]
    private var index: [Int]
    private var offset: Int
    private var remaining: Int

    init(_ t: Tensor, leading: [Int]) {
        let fixed = Swift.min(leading.count, t.rank)
        tensor = t
        shape = Array(t.shape[fixed...])
        strides = Array(t.strides[fixed...])
        index = [Int](repeating: 0, count: shape.count)
        offset = TensorValues.offset(t, Array(leading.prefix(fixed)))
        remaining = shape.reduce(1, *)
    }

    mutating func next() -> Double? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let value = TensorValues.load(tensor, at: offset)
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
        return value
    }
}
