import TenshText

/// Unbatched inputs: like torch, the image ops accept [C, H, W] (and the 1-d
/// ones [C, L]) as a batch of one, and then return an unbatched result.

/// `x` with a leading batch dimension of 1 when it has `unbatchedRank`
/// dimensions, and whether one was added.
func addingBatchDimension(_ x: Tensor, unbatchedRank: Int) throws -> (Tensor, added: Bool) {
    guard x.rank == unbatchedRank else { return (x, false) }
    return (try x.reshaped([1] + x.shape), true)
}

/// `y` without the leading dimension that `addingBatchDimension` added.
func removingBatchDimension(_ y: Tensor, added: Bool) throws -> Tensor {
    added ? try y.reshaped(Array(y.shape.dropFirst())) : y
}

/// A float image input as [N, C, H, W] (a [C, H, W] one gets N = 1), and whether
/// the batch dimension was added.
func batchedImage(_ x: Tensor, op: String) throws -> (Tensor, added: Bool) {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "x", "expected a float32 or float64 tensor, got \(x.dtype) (shape \(shapeText(x.shape)))")
    }
    guard x.rank == 3 || x.rank == 4 else {
        throw EngineError.invalid(op, "x", "expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got shape \(shapeText(x.shape))")
    }
    return try addingBatchDimension(x, unbatchedRank: 3)
}
