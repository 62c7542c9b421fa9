import TenshText

/// Extreme-value reductions: `max`/`min` (all elements, or along a dim with
/// indices), `amax`/`amin` (over dims), `argmax`/`argmin`. NaN counts as the
/// extreme (it propagates), and ties resolve to the first occurrence, as in PyTorch.

/// The largest element (0-d). The gradient is shared evenly among tied maxima, as in torch.
public func max(_ x: Tensor) throws -> Tensor { try extremeOverDims(x, dims: [], op: "max", largest: true) }

/// The smallest element (0-d). The gradient is shared evenly among tied minima.
public func min(_ x: Tensor) throws -> Tensor { try extremeOverDims(x, dims: [], op: "min", largest: false) }

/// Largest values along `dim` and their (first) positions as int64. The gradient goes to that position.
public func max(_ x: Tensor, dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
    try extremeWithIndices(x, dim: dim, keepdim: keepdim, largest: true)
}

/// Smallest values along `dim` and their (first) positions as int64.
public func min(_ x: Tensor, dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
    try extremeWithIndices(x, dim: dim, keepdim: keepdim, largest: false)
}

/// Maximum over `dims` (all when empty); ties share the gradient evenly (`torch.amax`).
public func amax(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    try extremeOverDims(x, dims: dims, keepdim: keepdim, op: "amax", largest: true)
}

/// Minimum over `dims` (all when empty); ties share the gradient evenly (`torch.amin`).
public func amin(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    try extremeOverDims(x, dims: dims, keepdim: keepdim, op: "amin", largest: false)
}

/// Position (int64) of the first largest element along `dim`, or in the flattened tensor when `dim` is nil.
public func argmax(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
    try argExtreme(x, dim: dim, keepdim: keepdim, largest: true)
}

/// Position (int64) of the first smallest element along `dim`, or in the flattened tensor.
public func argmin(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
    try argExtreme(x, dim: dim, keepdim: keepdim, largest: false)
}

private func argExtreme(_ x: Tensor, dim: Int?, keepdim: Bool, largest: Bool) throws -> Tensor {
    let op = largest ? "argmax" : "argmin"
    guard let dim else {
        let flat = try x.detached().reshaped([x.count])
        let (_, i) = try reduceAlongDim(flat, 0, largest: largest, op: op)
        return try i.reshaped(keepdim ? [Int](repeating: 1, count: x.rank) : [])
    }
    let d = try ShapeMath.dim(dim, rank: x.rank, op: op)
    let (_, i) = try reduceAlongDim(x.detached(), d, largest: largest, op: op)
    return keepdim ? i : try i.reshaped(reducedShape(x.shape, [d], keepdim: false))
}

private func extremeWithIndices(_ x: Tensor, dim: Int, keepdim: Bool, largest: Bool) throws -> (values: Tensor, indices: Tensor) {
    let op = largest ? "max" : "min"
    let d = try ShapeMath.dim(dim, rank: x.rank, op: op)
    let (v, i) = try reduceAlongDim(x.detached(), d, largest: largest, op: op)
    let outShape = reducedShape(x.shape, x.rank == 0 ? [] : [d], keepdim: keepdim)
    let values = try v.reshaped(outShape), indices = try i.reshaped(outShape)
    let inShape = x.shape
    values.recorded(largest ? "MaxDim" : "MinDim", inputs: [x], attributes: [("dim", "\(d)"), ("keepdim", "\(keepdim)")],
                    saved: ["indices"], saving: [indices]) { c in
        [try selectedGradient(c.gradOutput, indices: indices, inShape: inShape, dim: d, keepdim: keepdim)]
    }
    return (values, indices)
}

/// The gradient of an along-dim selection: `g` placed at `indices` along `dim`, zero elsewhere.
/// Built from `where`/`expand`, so it is itself differentiable in `g`.
func selectedGradient(_ g: Tensor, indices: Tensor, inShape: [Int], dim d: Int, keepdim: Bool) throws -> Tensor {
    if inShape.isEmpty { return g }
    let gk = keepdim ? g : try g.unsqueezed(d)
    let idx = keepdim ? indices : try indices.unsqueezed(d)
    var positionShape = [Int](repeating: 1, count: inShape.count)
    positionShape[d] = inShape[d]
    let positions = try arange(0, Double(inShape[d]), dtype: .int64).reshaped(positionShape)
    let mask = try eq(positions, idx)
    return try `where`(mask, gk.expanded(inShape), .wrapped(0, dtype: .float64))
}

/// amax/amin/max/min over several dims: gradient shared evenly among ties.
private func extremeOverDims(_ x: Tensor, dims: [Int], keepdim: Bool = false, op: String, largest: Bool) throws -> Tensor {
    let ds = try reductionDims(dims, rank: x.rank, op: op)
    for d in ds where x.shape[d] == 0 {
        throw EngineError.invalid(op, "x", "cannot reduce over dimension \(d) of size 0 (shape \(shapeText(x.shape)))")
    }
    if x.count == 0 && ds.isEmpty {
        throw EngineError.invalid(op, "x", "cannot take the \(op) of an empty tensor (shape \(shapeText(x.shape)))")
    }
    let out = try extremeOfAll(x, reduced: ds, keepdim: keepdim, largest: largest, op: op)
        ?? extremeByMerging(x, ds, keepdim: keepdim, largest: largest, op: op)
    guard willRecord(x) else {
        out.viewOrigin = nil // a result, not a view of the reshaped temporary
        return out
    }
    let inShape = x.shape
    let name = op == "amax" ? "Amax" : op == "amin" ? "Amin" : op == "max" ? "Max" : "Min"
    return out.recorded(name, inputs: [x], attributes: dims.isEmpty ? [] : [("dim", shapeText(ds)), ("keepdim", "\(keepdim)")]) { c in
        let kept = try expandReduced(c.output, to: inShape, dims: ds, keepdim: keepdim)
        let mask = try eq(c.inputs[0], kept.detached()).to(c.gradOutput.dtype)
        let ties = try sum(mask, dims: ds, keepdim: true)
        let share = try div(expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim), ties)
        return [try mul(share, mask)]
    }
}

/// Moves the reduced dims last, merges them and reduces that one dim.
private func extremeByMerging(_ x: Tensor, _ ds: [Int], keepdim: Bool, largest: Bool, op: String) throws -> Tensor {
    let rest = (0..<x.rank).filter { !ds.contains($0) }
    let order = rest + ds, unmoved = order.indices.allSatisfy { order[$0] == $0 }
    let moved = try (unmoved ? x.detached() : x.detached().permuted(order)).contiguous()
    let merged = try moved.reshaped(rest.map { x.shape[$0] } + [ds.reduce(1) { $0 * x.shape[$1] }])
    let (v, _) = try reduceAlongDim(merged, merged.rank - 1, largest: largest, op: op)
    return try v.reshaped(reducedShape(x.shape, ds, keepdim: keepdim))
}

/// The extreme of every element of a small float or int64 tensor, read in place
/// (no contiguous copy, no index tensor); nil when the general path applies.
/// Small enough that Ctrl-C need not be checked inside.
private func extremeOfAll(_ x: Tensor, reduced ds: [Int], keepdim: Bool, largest: Bool, op: String) throws -> Tensor? {
    guard ds.count == x.rank, x.dtype != .bool, x.count > 0, x.count <= cancellationChunk else { return nil }
    let out = try Tensor.empty(keepdim ? [Int](repeating: 1, count: x.rank) : [], x.dtype, op: op)
    switch x.dtype {
    case .float32: out.pointer(Float.self)[0] = extremeElement(x, Float.self, largest)
    case .float64: out.pointer(Double.self)[0] = extremeElement(x, Double.self, largest)
    case .int64: out.pointer(Int64.self)[0] = extremeElement(x, Int64.self, largest)
    case .bool: return nil
    }
    return out
}

/// The largest (smallest) element in any layout; NaN wins, as in the kernel below.
private func extremeElement<T: Comparable>(_ x: Tensor, _: T.Type, _ largest: Bool) -> T {
    let p = x.pointer(T.self)
    var best = p[0]
    forEachOffset(x.shape, x.strides) { o in
        let v = p[o]
        if best != best { return }
        if v != v || (largest ? v > best : v < best) { best = v }
    }
    return best
}

/// Values and first indices of the extreme along one dim of `x` (no graph).
/// Output shape keeps `dim` with size 1. A 0-d input is treated as one element.
func reduceAlongDim(_ x: Tensor, _ dim: Int, largest: Bool, op: String) throws -> (Tensor, Tensor) {
    let src = x.rank == 0 ? try x.reshaped([1]) : x
    guard src.shape[dim] > 0 else {
        throw EngineError.invalid(op, "dim", "expected reduction dimension \(dim) to have non-zero size (shape \(shapeText(x.shape)))")
    }
    var outShape = src.shape
    outShape[dim] = 1
    let work = src.dtype == .bool ? try src.to(.int64) : src
    let values = try Tensor.empty(outShape, work.dtype, op: op)
    let indices = try Tensor.empty(outShape, .int64, op: op)
    if work.dtype.isFloatingPoint {
        try withFloatType(work.dtype, op: op) { T in extremeKernel(work, T, dim, largest, values, indices) }
    } else {
        extremeKernel(work, Int64.self, dim, largest, values, indices)
    }
    try Cancellation.check(op) // the kernel stops early on Ctrl-C
    return (src.dtype == .bool ? try values.to(.bool) : values, indices)
}

private func extremeKernel<T: Comparable>(_ x: Tensor, _: T.Type, _ dim: Int, _ largest: Bool,
                                          _ values: Tensor, _ indices: Tensor) {
    var outerShape = x.shape, outerStrides = x.strides
    let n = outerShape.remove(at: dim), step = outerStrides.remove(at: dim)
    let px = x.pointer(T.self), pv = values.pointer(T.self), pi = indices.pointer(Int64.self)
    var k = 0, sinceCheck = 0, stopped = false
    forEachOffset(outerShape, outerStrides) { base in
        // Ctrl-C: checked about every `cancellationChunk` elements, also inside one long row.
        sinceCheck &+= n
        if sinceCheck >= cancellationChunk {
            sinceCheck = 0
            stopped = stopped || Cancellation.isRequested
        }
        if stopped { return }
        var best = px[base], bestIndex = 0
        var o = base
        for j in 1..<Swift.max(n, 1) {
            if j & (cancellationChunk &- 1) == 0 && Cancellation.isRequested { stopped = true; break }
            o &+= step
            let v = px[o]
            // `v != v` is NaN (never true for integers): NaN wins and stays.
            if best != best { break }
            if v != v || (largest ? v > best : v < best) { best = v; bestIndex = j }
        }
        pv[k] = best
        pi[k] = Int64(bestIndex)
        k &+= 1
    }
}
