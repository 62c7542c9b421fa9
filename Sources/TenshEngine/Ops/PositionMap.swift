import TenshText

/// The primitive behind advanced indexing, `gather`, `scatter_add`, `sort`,
/// `topk` and index assignment: a list of element positions. Element k of a
/// result of `resultShape` is element `positions[k]` (row-major) of a source of
/// `sourceShape`. Picking (`gathered`) and adding back (`scatterAdded`) are each
/// other's gradient, so every op built on them is differentiable to any order.
struct PositionMap {
    let sourceShape: [Int]
    let resultShape: [Int]
    let positions: [Int]

    /// Checks that a map of `count` entries fits the allocation limit before it is built.
    static func reserve(_ resultShape: [Int], op: String) throws -> Int {
        let count = try ShapeMath.count(resultShape, op: op)
        guard count <= EngineConfig.maxTensorBytes / 8 else {
            throw EngineError(.resourceLimit, op: op, argument: "index",
                              "an index result of shape \(shapeText(resultShape)) exceeds the allocation limit of \(EngineConfig.maxTensorBytes) bytes")
        }
        return count
    }

    /// Where position p (row-major in `sourceShape`) lives in `t`'s storage (t has that shape).
    func storageOffsets(in t: Tensor) -> [Int] {
        let dense = ShapeMath.contiguousStrides(sourceShape)
        return positions.map { p in
            var rest = p, offset = 0
            for d in 0..<dense.count {
                let coordinate = rest / Swift.max(dense[d], 1)
                rest -= coordinate * dense[d]
                offset += coordinate * t.strides[d]
            }
            return offset
        }
    }
}

/// The elements of `x` at `map.positions`, shaped `map.resultShape`, recorded as
/// `name`. The gradient adds each element's gradient back at its position.
func gathered(_ x: Tensor, _ map: PositionMap, name: String, op: String) throws -> Tensor {
    let src = try x.materialized(x.shape, x.dtype, op: op)
    let out = try Tensor.empty(map.resultShape, x.dtype, op: op)
    switch x.dtype.itemSize {
    case 8: gatherBits(src, out, map.positions, UInt64.self)
    case 4: gatherBits(src, out, map.positions, UInt32.self)
    default: gatherBits(src, out, map.positions, UInt8.self)
    }
    return out.recorded(name, inputs: [x]) { c in [try scatterAdded(c.gradOutput, map, op: op)] }
}

private func gatherBits<W: FixedWidthInteger>(_ src: Tensor, _ out: Tensor, _ positions: [Int], _: W.Type) {
    let sp = src.pointer(W.self), op = out.pointer(W.self)
    for (k, p) in positions.enumerated() { op[k] = sp[p] }
}

/// Zeros of `map.sourceShape` with `g[k]` added at `positions[k]` (repeated
/// positions accumulate). Differentiable: its gradient is `gathered`.
func scatterAdded(_ g: Tensor, _ map: PositionMap, op: String) throws -> Tensor {
    let out = try Tensor(zeros: map.sourceShape, dtype: g.dtype, op: op)
    try addAtPositions(g, into: out, map.positions, op: op)
    return out.recorded("IndexPutAccumulate", inputs: [g]) { c in
        [try gathered(c.gradOutput, map, name: "AdvancedIndex", op: op)]
    }
}

/// out[positions[k]] += values[k] for the contiguous `out` (float or int64 elements).
func addAtPositions(_ values: Tensor, into out: Tensor, _ positions: [Int], op: String) throws {
    let v = try values.materialized(values.shape, out.dtype, op: op)
    switch out.dtype {
    case .float32: addTyped(v, out, positions, Float.self)
    case .float64: addTyped(v, out, positions, Double.self)
    case .int64:
        let vp = v.pointer(Int64.self), o = out.pointer(Int64.self)
        for (k, p) in positions.enumerated() { o[p] = o[p] &+ vp[k] }
    case .bool:
        throw EngineError.invalid(op, "src", "cannot add into a bool tensor (shape \(shapeText(out.shape)))")
    }
}

private func addTyped<T: TensorFloat>(_ v: Tensor, _ out: Tensor, _ positions: [Int], _: T.Type) {
    let vp = v.pointer(T.self), o = out.pointer(T.self)
    for (k, p) in positions.enumerated() { o[p] += vp[k] }
}

/// A copy of `x` with element `positions[k]` replaced by `values[k]` (`values`
/// broadcast to `map.resultShape`, converted to x's dtype), like `index_put`.
/// Gradient: zero at the replaced positions for `x`; the gathered gradient for `values`.
func putAtPositions(_ x: Tensor, _ map: PositionMap, _ values: Tensor, op: String) throws -> Tensor {
    let v = try putValues(values, map, dtype: x.dtype, op: op)
    let out = try Tensor.empty(x.shape, x.dtype, op: op)
    copyStrided(x, into: out)
    switch x.dtype.itemSize {
    case 8: putBits(v, out, map.positions, UInt64.self)
    case 4: putBits(v, out, map.positions, UInt32.self)
    default: putBits(v, out, map.positions, UInt8.self)
    }
    let valueShape = values.shape, valueDType = values.dtype
    return out.recorded("IndexPut", inputs: [x, values]) { c in
        var keep: Tensor?
        if c.needsGrad[0] {
            let mask = try full(map.sourceShape, 1, dtype: c.gradOutput.dtype)
            let mp = mask.pointer(UInt8.self) // zeroing bytes works for any float width
            for p in map.positions { (mp + p * mask.dtype.itemSize).initialize(repeating: 0, count: mask.dtype.itemSize) }
            keep = try mul(c.gradOutput, mask)
        }
        let forValues = c.needsGrad[1]
            ? try sumToShape(gathered(c.gradOutput, map, name: "AdvancedIndex", op: op), valueShape, dtype: valueDType) : nil
        return [keep, forValues]
    }
}

/// Writes `values` at `map.positions` of `target` through its strides (no autograd).
func putAtPositionsInPlace(_ target: Tensor, _ map: PositionMap, _ values: Tensor, op: String) throws {
    var v = try putValues(values, map, dtype: target.dtype, op: op)
    if v.storage === target.storage { v = try v.cloned().detached() }
    let offsets = map.storageOffsets(in: target)
    switch target.dtype.itemSize {
    case 8: putBits(v, target, offsets, UInt64.self)
    case 4: putBits(v, target, offsets, UInt32.self)
    default: putBits(v, target, offsets, UInt8.self)
    }
}

/// `values` as a contiguous tensor of the map's result shape and `dtype`, or torch's shape error.
private func putValues(_ values: Tensor, _ map: PositionMap, dtype: DType, op: String) throws -> Tensor {
    guard (try? ShapeMath.broadcast(values.shape, map.resultShape, op: op)) == map.resultShape else {
        throw EngineError.invalid(op, "value", "shape mismatch: value tensor of shape \(shapeText(values.shape)) cannot be broadcast to indexing result of shape \(shapeText(map.resultShape))")
    }
    return try values.detached().materialized(map.resultShape, dtype, op: op)
}

private func putBits<W: FixedWidthInteger>(_ v: Tensor, _ out: Tensor, _ offsets: [Int], _: W.Type) {
    let vp = v.pointer(W.self), o = out.pointer(W.self)
    for (k, p) in offsets.enumerated() { o[p] = vp[k] }
}
