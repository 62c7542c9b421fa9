import TenshText

/// Dropout layers. In training each element (`dropout`) or each whole channel
/// (`dropout2d`) is zeroed with probability p and the survivors are scaled by
/// 1/(1-p); the scaled mask is saved and the gradient is `g · mask`.

private func checkProbability(_ p: Double, _ op: String) throws {
    guard p >= 0 && p <= 1 else {
        throw EngineError.invalid(op, "p", "dropout probability has to be between 0 and 1, but got \(p)")
    }
}

/// Zeroes elements of `x` with probability `p` and scales the rest by 1/(1-p) when `train`;
/// returns `x` unchanged otherwise. p = 1 gives zeros.
public func dropout(_ x: Tensor, p: Double = 0.5, train: Bool = true, seed: UInt64? = nil) throws -> Tensor {
    try checkProbability(p, "dropout")
    guard train, p > 0 else { return x }
    return try applyMask(x, maskShape: x.shape, p: p, seed: seed, op: "Dropout")
}

/// Zeroes whole channels of `[N, C, H, W]` (or `[C, H, W]`) input with probability `p`,
/// scaling the kept channels by 1/(1-p), like `torch.nn.functional.dropout2d`.
public func dropout2d(_ x: Tensor, p: Double = 0.5, train: Bool = true, seed: UInt64? = nil) throws -> Tensor {
    try checkProbability(p, "dropout2d")
    guard x.rank == 3 || x.rank == 4 else {
        throw EngineError.invalid("dropout2d", "x", "expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got shape \(shapeText(x.shape))")
    }
    guard train, p > 0 else { return x }
    let channels = x.rank - 2 // leading dims that keep their size in the mask
    let maskShape = Array(x.shape[..<channels]) + [Int](repeating: 1, count: 2)
    return try applyMask(x, maskShape: maskShape, p: p, seed: seed, op: "Dropout2d")
}

/// `x · mask` where mask (broadcast from `maskShape`) is 0 with probability p, else 1/(1-p).
private func applyMask(_ x: Tensor, maskShape: [Int], p: Double, seed: UInt64?, op: String) throws -> Tensor {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid(op.lowercased(), "x", "dropout needs a floating point tensor, got \(x.dtype) (shape \(shapeText(x.shape)))")
    }
    let uniform = try rand(maskShape, dtype: .float64, seed: seed)
    let mask = try Tensor.empty(maskShape, x.dtype, op: op.lowercased())
    let keep = p < 1 ? 1 / (1 - p) : 0
    // Written through pointers: Double arrays as large as the tensor would bypass the allocation limit.
    let u = uniform.pointer(Double.self), n = mask.count
    func fillMask<T: GemmScalar>(_: T.Type) {
        let m = mask.pointer(T.self), kept = T(keep)
        for i in 0..<n { m[i] = u[i] >= p ? kept : 0 }
    }
    try withFloatType(x.dtype, op: op.lowercased()) { T in fillMask(T) }
    let out = try GradMode.noGrad { try mul(x.detached(), mask) }
    return out.recorded(op, inputs: [x], attributes: [("p", "\(p)")], saved: ["mask"]) { c in
        [try sumToShape(mul(c.gradOutput, mask), c.inputs[0].shape)]
    }
}
