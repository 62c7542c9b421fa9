import TenshText

/// In-place update of a leaf: the optimiser step (`w -= lr * w.grad` in tensh).

/// Writes `value` (broadcast to the leaf's shape, converted to its dtype)
/// into `leaf`'s elements without recording a graph node; `leaf` stays a leaf
/// and keeps `requiresGrad`, like `with torch.no_grad(): w -= lr * w.grad`.
public func updateInPlace(_ leaf: Tensor, with value: Tensor) throws {
    guard leaf.isLeaf else {
        throw EngineError(.autograd, op: "update", argument: "target",
                          "only a leaf tensor can be updated in place (this one was made by \(leaf.gradFn?.op ?? "an op"))")
    }
    let shape = try ShapeMath.broadcast(leaf.shape, value.shape, op: "update")
    guard shape == leaf.shape else {
        throw EngineError.invalid("update", "value", "a value of shape \(shapeText(value.shape)) cannot update a tensor of shape \(shapeText(leaf.shape))")
    }
    // A private copy first: `value` may alias the leaf's own storage.
    let source = try GradMode.noGrad { try value.detached().materialized(leaf.shape, leaf.dtype, op: "update").cloned() }
    switch leaf.dtype.itemSize {
    case 8: writeInPlace(source, into: leaf, UInt64.self)
    case 4: writeInPlace(source, into: leaf, UInt32.self)
    default: writeInPlace(source, into: leaf, UInt8.self)
    }
}

/// Copies the contiguous `src` into `dst` (same shape and dtype, any strides).
private func writeInPlace<W: FixedWidthInteger>(_ src: Tensor, into dst: Tensor, _: W.Type) {
    let sp = src.pointer(W.self), dp = dst.pointer(W.self)
    forEachOffset2(dst.shape, src.strides, dst.strides) { s, d in dp[d] = sp[s] }
}
