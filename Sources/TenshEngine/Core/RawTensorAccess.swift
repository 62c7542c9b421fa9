import TenshText

/// What file readers and writers (the TenshIO module) need beyond the ops: a
/// tensor to fill with bytes from a file, and a view with a file's layout over
/// a storage they filled. Element `[0, ...]` of any tensor is at
/// `storage.bytes + offset * dtype.itemSize`.
extension Tensor {
    /// `f32`, or `f16→f32` for a tensor a file stored as another type (`storedDType`).
    public var dtypeText: String {
        storedDType.map { "\($0)→\(dtype)" } ?? "\(dtype)"
    }

    /// An uninitialised contiguous tensor (within the allocation limit) whose
    /// every byte the caller writes before anyone reads it.
    public static func uninitialized(_ shape: [Int], dtype: DType, op: String) throws -> Tensor {
        try empty(shape, dtype, op: op)
    }

    /// The number of elements of `shape`, or the error any op gives for it
    /// (a negative size, a product that overflows, too many dimensions).
    public static func elementCount(_ shape: [Int], op: String) throws -> Int {
        try ShapeMath.count(shape, op: op)
    }

    /// A tensor over `base`'s storage with the given layout (in elements), as
    /// `torch.as_strided`: PyTorch checkpoints store views with offsets and strides.
    /// Every element the view can reach must lie inside the storage, and strides
    /// must not be negative.
    public static func strided(over base: Tensor, shape: [Int], strides: [Int], offset: Int, op: String) throws -> Tensor {
        let count = try ShapeMath.count(shape, op: op)
        guard strides.count == shape.count, offset >= 0, strides.allSatisfy({ $0 >= 0 }) else {
            throw EngineError.invalid(op, "stride",
                "a view of shape \(shapeText(shape)) needs one non-negative stride per dimension and a non-negative offset (got strides \(shapeText(strides)), offset \(offset))")
        }
        let capacity = base.storage.byteCount / base.dtype.itemSize
        if count > 0 {
            var last = offset
            for (size, stride) in zip(shape, strides) {
                let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflow2) = last.addingReportingOverflow(step)
                guard !overflow, !overflow2 else { last = Int.max; break }
                last = sum
            }
            guard last < capacity else {
                throw EngineError.invalid(op, "stride",
                    "a view of shape \(shapeText(shape)), strides \(shapeText(strides)) at offset \(offset) reaches past the \(capacity) elements of its storage")
            }
        }
        return Tensor(storage: base.storage, shape: shape, strides: strides, offset: offset, dtype: base.dtype)
    }
}
