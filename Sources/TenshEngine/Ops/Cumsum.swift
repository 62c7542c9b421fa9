import TenshText

/// Running sums along one dim (`torch.cumsum`). Float tensors keep their dtype
/// and accumulate in float64, as torch's CPU kernel does; integer and bool
/// tensors give int64. The gradient is the reversed running sum of the gradient.

public func cumsum(_ x: Tensor, dim: Int) throws -> Tensor {
    let op = "cumsum"
    let d = try ShapeMath.dim(dim, rank: x.rank, op: op)
    if x.rank == 0 { return try x.dtype.isFloatingPoint ? x.cloned() : x.to(.int64) }
    let outDType: DType = x.dtype.isFloatingPoint ? x.dtype : .int64
    let src = try x.detached().materialized(x.shape, outDType, op: op)
    let out = try Tensor.empty(x.shape, outDType, op: op)
    var outer = x.shape
    outer[d] = 1
    var strides = out.strides
    let step = strides[d], n = x.shape[d]
    strides[d] = 0
    if outDType.isFloatingPoint {
        try withFloatType(outDType, op: op) { T in runningSums(src, out, outer, strides, step, n, T) }
    } else {
        let s = src.pointer(Int64.self), o = out.pointer(Int64.self)
        forEachOffset(outer, strides, cancellable: true) { base in
            var total: Int64 = 0
            for j in 0..<n { total = total &+ s[base + j * step]; o[base + j * step] = total }
        }
    }
    try Cancellation.check(op)
    return out.recorded("Cumsum", inputs: [x], attributes: [("dim", "\(d)")]) { c in
        [try flip(cumsum(flip(c.gradOutput, dims: [d]), dim: d), dims: [d])]
    }
}

private func runningSums<T: TensorFloat>(_ src: Tensor, _ out: Tensor, _ outer: [Int], _ strides: [Int],
                                         _ step: Int, _ n: Int, _: T.Type) {
    let s = src.pointer(T.self), o = out.pointer(T.self)
    forEachOffset(outer, strides, cancellable: true) { base in
        var total = 0.0
        for j in 0..<n { total += Double(s[base + j * step]); o[base + j * step] = T(total) }
    }
}
