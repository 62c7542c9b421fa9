import TenshText

/// `gather`, `scatterAdd` and `maskedFill`, as `torch.gather`, `torch.scatter_add`
/// and `torch.masked_fill`. Gather and scatter are position maps (PositionMap.swift):
/// element i of `index` names, along `dim`, the element of the other tensor it
/// reads (gather) or adds to (scatter), the other coordinates being its own.

/// out[i][j][k] = x[index[i][j][k]][j][k] for dim 0 (likewise for other dims).
/// `index` is int64 with x's rank and sizes no larger than x's apart from `dim`;
/// the output has index's shape. Differentiable in x (the gradient scatter-adds).
public func gather(_ x: Tensor, dim: Int, index: Tensor) throws -> Tensor {
    let d = try ShapeMath.dim(dim, rank: x.rank, op: "gather")
    let map = try alongDimMap(index, into: x.shape, dim: d, op: "gather", other: "input")
    return try gathered(x, map, name: "Gather", op: "gather")
}

/// A copy of x with src[i][j][k] added at x[index[i][j][k]][j][k] (dim 0), repeated
/// positions accumulating; only the first `index.shape` elements of src are used.
/// Differentiable in x (gradient unchanged) and src (the gathered gradient).
public func scatterAdd(_ x: Tensor, dim: Int, index: Tensor, src: Tensor) throws -> Tensor {
    let op = "scatter_add"
    let d = try ShapeMath.dim(dim, rank: x.rank, op: op)
    guard src.dtype == x.dtype else {
        throw EngineError.invalid(op, "src", "expected src to have the dtype of the input (\(x.dtype)), got \(src.dtype)")
    }
    guard src.rank == index.rank, zip(index.shape, src.shape).allSatisfy({ $0 <= $1 }) else {
        throw EngineError.invalid(op, "index", "index of shape \(shapeText(index.shape)) must be no larger than src of shape \(shapeText(src.shape)) in every dimension")
    }
    let map = try alongDimMap(index, into: x.shape, dim: d, op: op, other: "input")
    let used = ViewLayout(shape: index.shape, strides: ShapeMath.contiguousStrides(src.shape), offset: 0)
    let srcUsed = try src.detached().contiguous().aliased(shape: used.shape, strides: used.strides, offset: 0)
    let out = try Tensor.empty(x.shape, x.dtype, op: op)
    copyStrided(x, into: out)
    try addAtPositions(srcUsed, into: out, map.positions, op: op)
    let srcShape = src.shape
    return out.recorded("ScatterAdd", inputs: [x, src], saving: [index]) { c in
        [c.needsGrad[0] ? c.gradOutput : nil,
         c.needsGrad[1] ? try scatterView(gathered(c.gradOutput, map, name: "Gather", op: op), into: srcShape, used) : nil]
    }
}

/// x with `value` (a number or 0-d tensor) wherever the bool `mask` (broadcast to
/// x's shape) is true. Differentiable in x and in a 0-d tensor value.
public func maskedFill(_ x: Tensor, mask: Tensor, value: Tensor) throws -> Tensor {
    let op = "masked_fill"
    guard mask.dtype == .bool else {
        throw EngineError.invalid(op, "mask", "masked_fill only supports boolean masks, got \(mask.dtype) (shape \(shapeText(mask.shape)))")
    }
    guard (try? ShapeMath.broadcast(mask.shape, x.shape, op: op)) == x.shape else {
        throw EngineError.invalid(op, "mask", "a mask of shape \(shapeText(mask.shape)) cannot be broadcast to the input's shape \(shapeText(x.shape))")
    }
    guard value.rank == 0 else {
        throw EngineError.invalid(op, "value", "masked_fill only supports a 0-d value tensor, got shape \(shapeText(value.shape))")
    }
    let out = try GradMode.noGrad { try `where`(mask, value.to(x.dtype), x) }
    return out.recorded("MaskedFill", inputs: [x, value], saving: [mask]) { c in
        let zero = try zerosLike(c.gradOutput)
        return [c.needsGrad[0] ? try `where`(mask, zero, c.gradOutput) : nil,
                c.needsGrad[1] ? try sum(`where`(mask, c.gradOutput, zero)).to(c.inputs[1].dtype) : nil]
    }
}

/// The positions `index` names along `dim` of a tensor of `shape` (torch's gather/scatter rules).
func alongDimMap(_ index: Tensor, into shape: [Int], dim d: Int, op: String, other: String) throws -> PositionMap {
    guard index.dtype == .int64 else {
        throw EngineError.invalid(op, "index", "index must be an int64 tensor, got \(index.dtype) (shape \(shapeText(index.shape)))")
    }
    guard index.rank == shape.count else {
        throw EngineError.invalid(op, "index", "index tensor must have the same number of dimensions as \(other) tensor (index shape \(shapeText(index.shape)), \(other) shape \(shapeText(shape)))")
    }
    for k in shape.indices where k != d && index.shape[k] > shape[k] {
        throw EngineError.invalid(op, "index", "size does not match at dimension \(k): expected index \(shapeText(index.shape)) to be no larger than \(other) \(shapeText(shape)) apart from dimension \(d)")
    }
    if shape.isEmpty { // a 0-d tensor has one position, 0
        guard index.toInt64s().allSatisfy({ $0 == 0 }) else {
            throw EngineError.invalid(op, "index", "index \(index.toInt64s()) is out of bounds for a 0-d \(other) tensor")
        }
        return PositionMap(sourceShape: [], resultShape: index.shape, positions: [Int](repeating: 0, count: index.count))
    }
    let count = try PositionMap.reserve(index.shape, op: op)
    var dense = ShapeMath.contiguousStrides(shape)
    let step = dense[d], size = shape[d]
    dense[d] = 0
    var positions = [Int](repeating: 0, count: count)
    let p = index.pointer(Int64.self)
    var k = 0, bad: Int64?
    forEachOffset2(index.shape, index.strides, dense) { io, base in
        let v = p[io]
        if v < 0 || v >= Int64(size) { bad = bad ?? v } else { positions[k] = base + Int(v) * step }
        k += 1
    }
    if let bad {
        throw EngineError.invalid(op, "index", "index \(bad) is out of bounds for dimension \(d) with size \(size)")
    }
    return PositionMap(sourceShape: shape, resultShape: index.shape, positions: positions)
}
