import TenshText

/// Integer-tensor indexing along one dimension: `indexSelect` (`torch.index_select`,
/// also `x[idx]` with an int64 tensor) and its gradient, `indexAdd`.

/// Positions from a 0-d or 1-d int64 `index`, normalised (negative counts from the end) and range-checked.
private func positions(_ index: Tensor, size: Int, dim: Int, shape: [Int], op: String) throws -> [Int] {
    guard index.dtype == .int64 else {
        throw EngineError.invalid(op, "index", "index must be an int64 tensor, got \(index.dtype) (shape \(shapeText(index.shape)))")
    }
    guard index.rank <= 1 else {
        throw EngineError.invalid(op, "index", "index must be 0-d or 1-d, got shape \(shapeText(index.shape))")
    }
    return try index.toInt64s().map { raw in
        let i = Int(raw)
        let j = i < 0 ? i + size : i
        guard j >= 0 && j < size else {
            throw EngineError.invalid(op, "index", "index \(i) is out of bounds for dimension \(dim) with size \(size) (shape \(shapeText(shape)))")
        }
        return j
    }
}

/// The slices `index[0], index[1], ...` of `x` along `dim`, stacked along `dim`
/// (a copy; the output's size along `dim` is `index.count`). Differentiable in `x`;
/// repeated positions accumulate their gradients.
public func indexSelect(_ x: Tensor, dim: Int, index: Tensor) throws -> Tensor {
    guard x.rank > 0 else {
        throw EngineError.invalid("index_select", "x", "cannot index a 0-d tensor along a dimension")
    }
    let d = try ShapeMath.dim(dim, rank: x.rank, op: "index_select")
    let picks = try positions(index, size: x.shape[d], dim: d, shape: x.shape, op: "index_select")
    var outShape = x.shape
    outShape[d] = picks.count
    let out = try Tensor.empty(outShape, x.dtype, op: "index_select")
    var sliceShape = x.shape, sliceStrides = x.strides, outStrides = out.strides
    sliceShape.remove(at: d); sliceStrides.remove(at: d); outStrides.remove(at: d)
    for (k, j) in picks.enumerated() {
        let source = x.aliased(shape: sliceShape, strides: sliceStrides, offset: x.offset + j * x.strides[d])
        copyStrided(source, into: out.aliased(shape: sliceShape, strides: outStrides, offset: k * out.strides[d]))
    }
    let inShape = x.shape
    return out.recorded("IndexSelect", inputs: [x], attributes: [("dim", "\(d)")], saved: ["index"]) { c in
        [try indexAdd(c.gradOutput, into: inShape, dim: d, positions: picks)]
    }
}

/// Zeros of `shape` with slice k of `g` (along `dim`) added at `positions[k]`:
/// the gradient of `indexSelect`, itself differentiable (its gradient is `indexSelect`).
func indexAdd(_ g: Tensor, into shape: [Int], dim d: Int, positions picks: [Int]) throws -> Tensor {
    let out = try Tensor(zeros: shape, dtype: g.dtype, op: "index_select")
    var sliceShape = g.shape, gStrides = g.strides, outStrides = out.strides
    sliceShape.remove(at: d); gStrides.remove(at: d); outStrides.remove(at: d)
    for (k, j) in picks.enumerated() {
        let source = g.aliased(shape: sliceShape, strides: gStrides, offset: g.offset + k * g.strides[d])
        let target = out.aliased(shape: sliceShape, strides: outStrides, offset: j * out.strides[d])
        try withFloatType(g.dtype, op: "index_select") { T in addStrided(source, into: target, T) }
    }
    let index = try Tensor(picks.map(Double.init), shape: [picks.count], dtype: .int64)
    return out.recorded("IndexAdd", inputs: [g], attributes: [("dim", "\(d)")], saved: ["index"]) { c in
        [try indexSelect(c.gradOutput, dim: d, index: index)]
    }
}

private func addStrided<T: GemmScalar>(_ src: Tensor, into dst: Tensor, _: T.Type) {
    let sp = src.pointer(T.self), dp = dst.pointer(T.self)
    forEachOffset2(src.shape, src.strides, dst.strides) { so, o in dp[o] += sp[so] }
}
