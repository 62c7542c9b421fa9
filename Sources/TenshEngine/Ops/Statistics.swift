import TenshText

/// Spread and size reductions: `variance` (torch.var), `std`, `norm`.
/// Forward values are computed in float64 and rounded to the input dtype; the
/// gradient rules use public ops so they can be differentiated again.

private func requireFloat(_ x: Tensor, _ op: String) throws {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "x", "\(op) needs a floating point tensor, got \(x.dtype) (shape \(shapeText(x.shape)))")
    }
}

/// Σ (x - mean)² / (N - correction) over `dims` (all when empty), like `torch.var`
/// (default correction 1: the unbiased estimate). N - correction <= 0 gives inf/NaN, as in torch.
public func variance(_ x: Tensor, dims: [Int] = [], correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
    try spread(x, dims: dims, correction: correction, keepdim: keepdim, root: false)
}

/// √variance, like `torch.std`.
public func std(_ x: Tensor, dims: [Int] = [], correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
    try spread(x, dims: dims, correction: correction, keepdim: keepdim, root: true)
}

private func spread(_ x: Tensor, dims: [Int], correction: Int, keepdim: Bool, root: Bool) throws -> Tensor {
    let op = root ? "std" : "var"
    try requireFloat(x, op)
    let ds = try reductionDims(dims, rank: x.rank, op: op)
    let n = ds.reduce(1) { $0 * x.shape[$1] }
    let divisor = Tensor.wrapped(Swift.max(0, Double(n) - Double(correction)), dtype: .float64)
    let out = try GradMode.noGrad {
        let xd = try x.detached().to(.float64)
        let centered = try sub(xd, mean(xd, dims: ds, keepdim: true))
        let v = try div(sum(mul(centered, centered), dims: ds, keepdim: keepdim), divisor)
        return try (root ? sqrt(v) : v).to(x.dtype)
    }
    let inShape = x.shape
    let attributes = [("dim", shapeText(ds)), ("correction", "\(correction)"), ("keepdim", "\(keepdim)")]
    return out.recorded(root ? "Std" : "Var", inputs: [x], attributes: attributes) { c in
        let x = c.inputs[0]
        let centered = try sub(x, mean(x, dims: ds, keepdim: true))
        let g = try expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim)
        if root {
            // d std = (x - mean) / ((N - c) · std)
            let s = try expandReduced(c.output, to: inShape, dims: ds, keepdim: keepdim)
            return [try div(mul(g, centered), mul(s, divisor))]
        }
        return [try div(mul(g, mul(centered, Tensor.wrapped(2, dtype: .int64))), divisor)]
    }
}

/// The p-norm over `dims` (all when empty), like `torch.linalg.vector_norm`:
/// p = 2 (default), 1, `.infinity` (max |x|) or any other positive p.
/// The gradient at a zero norm is 0, as in torch; for p = ∞ ties share it evenly.
public func norm(_ x: Tensor, p: Double = 2, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    try requireFloat(x, "norm")
    guard p > 0, !p.isNaN else {
        throw EngineError.invalid("norm", "p", "p must be positive or inf, got \(p) (shape \(shapeText(x.shape)))")
    }
    let ds = try reductionDims(dims, rank: x.rank, op: "norm")
    if p.isInfinite, let d = ds.first(where: { x.shape[$0] == 0 }) { // as torch: max has no identity
        throw EngineError.invalid("norm", "x", "cannot compute the inf norm over dimension \(d) of size 0 (shape \(shapeText(x.shape)))")
    }
    let out = try GradMode.noGrad {
        let a = try abs(x.detached().to(.float64))
        let r: Tensor
        if p == 1 { r = try sum(a, dims: ds, keepdim: keepdim) } else if p == 2 {
            r = try sqrt(sum(mul(a, a), dims: ds, keepdim: keepdim))
        } else if p.isInfinite {
            r = try amax(a, dims: ds, keepdim: keepdim)
        } else {
            let s = try sum(pow(a, .wrapped(p, dtype: .float64)), dims: ds, keepdim: keepdim)
            r = try pow(s, .wrapped(1 / p, dtype: .float64))
        }
        return try r.to(x.dtype)
    }
    let inShape = x.shape
    return out.recorded("Norm", inputs: [x], attributes: [("p", "\(p)"), ("dim", shapeText(ds)), ("keepdim", "\(keepdim)")]) { c in
        let x = c.inputs[0]
        let g = try expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim)
        let n = try expandReduced(c.output, to: inShape, dims: ds, keepdim: keepdim)
        let signs = try sign(x)
        if p == 1 { return [try mul(g, signs)] }
        if p.isInfinite {
            let mask = try eq(abs(x), n.detached()).to(x.dtype)
            let ties = try sum(mask, dims: ds, keepdim: true)
            return [try mul(div(mul(g, signs), ties), mask)]
        }
        // A zero norm means x = 0 there; dividing by 1 instead keeps the gradient at 0.
        let zero = try eq(n, .wrapped(0, dtype: .int64))
        let safe = try `where`(zero, onesLike(n), n)
        if p == 2 { return [try div(mul(g, x), safe)] }
        let pm1 = Tensor.wrapped(p - 1, dtype: .float64)
        return [try div(mul(mul(g, signs), pow(abs(x), pm1)), pow(safe, pm1))]
    }
}
