import TenshText

/// The softmax family, numerically stable (the maximum is subtracted before
/// `exp`). Each is one graph node whose gradient rule is written with public
/// ops and the node's output, so it can be differentiated any number of times.

private func softmaxInput(_ x: Tensor, _ dim: Int, _ op: String) throws -> Int {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "x", "\(op) needs a floating point tensor, got \(x.dtype) (shape \(shapeText(x.shape))); convert with dtype=\"f32\"")
    }
    return try ShapeMath.dim(dim, rank: x.rank, op: op)
}

/// exp(x) / Σ exp(x) along `dim`.
public func softmax(_ x: Tensor, dim: Int) throws -> Tensor {
    let d = try softmaxInput(x, dim, "softmax")
    let out = try GradMode.noGrad {
        if x.count == 0 { return try zerosLike(x) } // nothing to normalise (torch returns an empty tensor)
        let e = try exp(sub(x.detached(), amax(x.detached(), dims: [d], keepdim: true)))
        return try div(e, sum(e, dims: [d], keepdim: true))
    }
    return out.recorded("Softmax", inputs: [x], attributes: [("dim", "\(d)")]) { c in
        // dx = y · (g - Σ g·y)
        let y = c.output, g = c.gradOutput
        return [try mul(y, sub(g, sum(mul(g, y), dims: [d], keepdim: true)))]
    }
}

/// x - log Σ exp(x) along `dim`.
public func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor {
    let d = try softmaxInput(x, dim, "log_softmax")
    let out = try GradMode.noGrad {
        if x.count == 0 { return try zerosLike(x) }
        let shifted = try sub(x.detached(), amax(x.detached(), dims: [d], keepdim: true))
        return try sub(shifted, log(sum(exp(shifted), dims: [d], keepdim: true)))
    }
    return out.recorded("LogSoftmax", inputs: [x], attributes: [("dim", "\(d)")]) { c in
        // dx = g - softmax · Σ g
        let g = c.gradOutput
        return [try sub(g, mul(exp(c.output), sum(g, dims: [d], keepdim: true)))]
    }
}

/// log Σ exp(x) over `dims` (all when empty), like `torch.logsumexp`.
/// Rows of -inf give -inf; an infinite maximum is not subtracted (as in torch).
public func logsumexp(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid("logsumexp", "x", "logsumexp needs a floating point tensor, got \(x.dtype) (shape \(shapeText(x.shape)))")
    }
    let ds = try reductionDims(dims, rank: x.rank, op: "logsumexp")
    let inShape = x.shape
    let out = try GradMode.noGrad {
        let xd = x.detached()
        var m = try x.count == 0 ? zeros(reducedShape(x.shape, ds, keepdim: true), dtype: x.dtype)
            : amax(xd, dims: ds, keepdim: true)
        m = try `where`(eq(abs(m), .wrapped(.infinity, dtype: .float64)), zerosLike(m), m)
        let s = try log(sum(exp(sub(xd, m)), dims: ds, keepdim: true))
        let r = try add(s, m)
        return keepdim ? r : try r.reshaped(reducedShape(inShape, ds, keepdim: false))
    }
    return out.recorded("Logsumexp", inputs: [x], attributes: [("dim", shapeText(ds)), ("keepdim", "\(keepdim)")]) { c in
        // dx = g · exp(x - lse)
        let g = try expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim)
        let lse = try expandReduced(c.output, to: inShape, dims: ds, keepdim: keepdim)
        return [try mul(g, exp(sub(c.inputs[0], lse)))]
    }
}
