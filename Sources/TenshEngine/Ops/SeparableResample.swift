import TenshText

/// The linear core shared by `avgPool2d`, `adaptiveAvgPool2d` and `upsample`:
/// every output pixel is a weighted sum of input pixels whose weights factor
/// into a row part and a column part,
///     out[n, c, oh, ow] = Σ_i Σ_j rowWeight(oh, i) · colWeight(ow, j) · x[n, c, i, j].
/// Each axis is a sparse matrix (`AxisMap`). The op is linear, so its gradient
/// is the same op with both maps transposed; recording both directions with
/// each other as the rule makes it differentiable to any order.

/// Applies the separable map to the last two dims of a [N, C, H, W] float tensor, recording
/// `opName` for autograd. `attributes` are shown in the graph view.
func separableResample(_ x: Tensor, rows: AxisMap, cols: AxisMap, opName: String, op: String,
                       attributes: [(String, String)]) throws -> Tensor {
    let out = try resampleForward(x, rows: rows, cols: cols, op: op)
    let rowsT = rows.transposed, colsT = cols.transposed
    return out.recorded(opName, inputs: [x], attributes: attributes) { ctx in
        [try separableResample(ctx.gradOutput, rows: rowsT, cols: colsT,
                               opName: opName + "Backward", op: op, attributes: attributes)]
    }
}

/// The resampled tensor (no graph).
private func resampleForward(_ x: Tensor, rows: AxisMap, cols: AxisMap, op: String) throws -> Tensor {
    guard x.rank == 4, x.shape[2] == rows.inputSize, x.shape[3] == cols.inputSize else {
        throw EngineError.invalid(op, "x", "internal: resample of shape \(shapeText(x.shape)) with maps \(rows.inputSize)x\(cols.inputSize)")
    }
    let src = try x.contiguousData(op: op)
    let out = try Tensor.empty([x.shape[0], x.shape[1], rows.outputSize, cols.outputSize], x.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) {
        separableResampleKernel(src.pointer(T.self), out.pointer(T.self), planes: x.shape[0] &* x.shape[1],
                                rows: rows, cols: cols)
    }
    try withFloatType(x.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return out
}

/// Whether an op on `x` will record a graph node (so display attributes are worth formatting).
func willRecord(_ x: Tensor) -> Bool { GradMode.isEnabled && x.requiresGrad }

/// The largest output side `upsample`/`adaptiveAvgPool2d` accept, and the most map entries per axis.
let maxResampleSide = 1 << 24

/// Throws before an op builds its index maps when its [N, C, outH, outW] output would
/// exceed the allocation limit (the maps themselves are as long as the output's sides).
func checkOutputSize(_ input: Tensor, outH: Int, outW: Int, op: String, argument: String) throws {
    let shape = [input.shape[0], input.shape[1], outH, outW]
    let n = try ShapeMath.count(shape, op: op, argument: argument)
    let (bytes, overflow) = n.multipliedReportingOverflow(by: input.dtype.itemSize)
    let limit = EngineConfig.maxTensorBytes
    // The index maps cost memory per output row/column, so sides are capped too.
    guard outH <= maxResampleSide, outW <= maxResampleSide else {
        throw EngineError(.resourceLimit, op: op, argument: argument,
                          "output size \(outH)x\(outW) is too large (each side at most \(maxResampleSide))")
    }
    guard !overflow, bytes <= limit else {
        throw EngineError(.resourceLimit, op: op, argument: argument,
                          "output of shape \(shapeText(shape)) exceeds the allocation limit of \(limit) bytes")
    }
}

/// Expands an int-or-pair argument (`[k]` or `[kh, kw]`) to a pair.
func pairArgument(_ v: [Int], op: String, name: String) throws -> (Int, Int) {
    switch v.count {
    case 1: return (v[0], v[0])
    case 2: return (v[0], v[1])
    default: throw EngineError.invalid(op, name, "\(name) must be one int or a pair, got \(shapeText(v))")
    }
}
