import TenshText

/// Batch normalisation over [N, C] or [N, C, H, W] (any [N, C, ...]), like `F.batch_norm`.

/// Normalises each channel c of x:
///   y = (x - μ_c) / √(σ²_c + eps) · weight_c + bias_c.
/// - training: μ, σ² are the batch statistics (σ² biased); `runningMean`/`runningVar` ([C], when
///   given) are updated in place, not recorded: r ← (1 - momentum)·r + momentum·stat, with the
///   unbiased variance, as torch does.
/// - eval (`training: false`): μ, σ² are the running statistics, which must then be given.
/// Differentiable in x, weight and bias (one `BatchNorm` graph node either way); the training
/// gradient flows through the batch statistics, and every rule can be differentiated again.
public func batchNorm(_ x: Tensor, runningMean: Tensor? = nil, runningVar: Tensor? = nil, weight: Tensor? = nil,
                      bias: Tensor? = nil, training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
    let op = "batch_norm"
    guard x.dtype.isFloatingPoint, x.rank >= 2 else {
        throw EngineError.invalid(op, "x", "expected a float [N, C] or [N, C, H, W] input, got \(x.dtype) \(shapeText(x.shape))")
    }
    let c = x.shape[1]
    for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
        guard let t else { continue }
        guard t.shape == [c], t.dtype.isFloatingPoint else {
            throw EngineError.invalid(op, name, "\(name) must be a float tensor of shape [\(c)] for input \(shapeText(x.shape)), got \(t.dtype) \(shapeText(t.shape))")
        }
    }
    guard eps >= 0, eps.isFinite else { throw EngineError.invalid(op, "eps", "eps must be finite and non-negative, got \(eps)") }
    let channelShape = [1, c] + [Int](repeating: 1, count: x.rank - 2)
    if !training {
        guard let runningMean, let runningVar else {
            throw EngineError.invalid(op, "running_mean", "eval mode (training=false) needs running_mean and running_var")
        }
        return try evalForward(x, mean: runningMean.toDoubles(), variance: runningVar.toDoubles(), weight: weight, bias: bias,
                               eps: eps, channelShape: channelShape)
    }
    let m = x.count / max(c, 1)
    guard m > 1 else {
        throw EngineError.invalid(op, "x", "expected more than 1 value per channel when training, got input shape \(shapeText(x.shape))")
    }
    let stats = try channelMoments(x, op: op)
    try updateRunning(runningMean, runningVar, stats, count: m, momentum: momentum)
    return try trainingForward(x, stats, weight: weight, bias: bias, eps: eps, channelShape: channelShape)
}

/// Eval mode: y = (x - r̄)·invStd·w + b, linear in x with constant statistics. The rule uses
/// public ops, with the weight as a tensor so that a double backward reaches it.
private func evalForward(_ x: Tensor, mean: [Double], variance: [Double], weight: Tensor?, bias: Tensor?, eps: Double,
                         channelShape: [Int]) throws -> Tensor {
    let c = x.shape[1]
    let w = weight?.toDoubles() ?? [Double](repeating: 1, count: c)
    let b = bias?.toDoubles() ?? [Double](repeating: 0, count: c)
    let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
    let scale = (0..<c).map { invStd[$0] * w[$0] }
    let shift = (0..<c).map { b[$0] - mean[$0] * scale[$0] }
    let y = try channelAffine(x, scale: scale, shift: shift, op: "batch_norm")
    let inputs = [x] + [weight, bias].compactMap { $0 }
    let dims = [0] + Array(2..<x.rank)
    let hasWeight = weight != nil, hasBias = bias != nil
    return y.recorded("BatchNorm", inputs: inputs, attributes: [("training", "false"), ("eps", "\(eps)")]) { ctx in
        let g = ctx.gradOutput, dtype = ctx.inputs[0].dtype
        let weight = hasWeight ? ctx.inputs[1] : nil
        let invStdT = try Tensor(invStd, shape: channelShape, dtype: dtype)
        var grads: [Tensor?] = []
        if ctx.needsGrad[0] {
            let perChannel = try weight.map { try mul(invStdT, $0.reshaped(channelShape)) } ?? invStdT
            grads.append(try mul(g, perChannel))
        } else { grads.append(nil) }
        if hasWeight {
            grads.append(ctx.needsGrad[1] ? try sum(mul(g, mul(sub(ctx.inputs[0], Tensor(mean, shape: channelShape, dtype: dtype)), invStdT)), dims: dims) : nil)
        }
        if hasBias { grads.append(ctx.needsGrad[grads.count] ? try sum(g, dims: dims) : nil) }
        return grads
    }
}

/// torch's running-statistics rule (unbiased variance), written in place without recording.
private func updateRunning(_ runningMean: Tensor?, _ runningVar: Tensor?, _ stats: (mean: [Double], variance: [Double]),
                           count m: Int, momentum: Double) throws {
    if let runningMean {
        let old = runningMean.toDoubles()
        runningMean.storeDoubles(zip(old, stats.mean).map { (1 - momentum) * $0 + momentum * $1 })
    }
    if let runningVar {
        let old = runningVar.toDoubles(), unbias = Double(m) / Double(m - 1)
        runningVar.storeDoubles(zip(old, stats.variance).map { (1 - momentum) * $0 + momentum * $1 * unbias })
    }
}

/// The normalised output with one `BatchNorm` graph node. A first-order backward
/// uses the typed kernel; a recorded one (createGraph) recomputes x̂ from x with
/// public ops, so a double backward sees the batch statistics.
private func trainingForward(_ x: Tensor, _ stats: (mean: [Double], variance: [Double]), weight: Tensor?, bias: Tensor?,
                             eps: Double, channelShape: [Int]) throws -> Tensor {
    let c = x.shape[1]
    let w = weight?.toDoubles() ?? [Double](repeating: 1, count: c)
    let b = bias?.toDoubles() ?? [Double](repeating: 0, count: c)
    let invStd = stats.variance.map { 1 / ($0 + eps).squareRoot() }
    let scale = (0..<c).map { invStd[$0] * w[$0] }
    let shift = (0..<c).map { b[$0] - stats.mean[$0] * scale[$0] }
    let y = try channelAffine(x, scale: scale, shift: shift, op: "batch_norm")
    let inputs = [x] + [weight, bias].compactMap { $0 }
    let dims = [0] + Array(2..<x.rank)
    let hasWeight = weight != nil, hasBias = bias != nil
    return y.recorded("BatchNorm", inputs: inputs, attributes: [("training", "true"), ("eps", "\(eps)")],
                      saved: ["mean", "invstd"]) { ctx in
        let weight = hasWeight ? ctx.inputs[1] : nil, bias = hasBias ? ctx.inputs[hasWeight ? 2 : 1] : nil
        if !GradMode.isEnabled {
            let (gx, gw, gb) = try batchNormGradients(ctx.inputs[0], ctx.gradOutput, mean: stats.mean, invStd: invStd,
                                                      weight: w, op: "batch_norm")
            var grads: [Tensor?] = [ctx.needsGrad[0] ? gx : nil]
            if let weight { grads.append(ctx.needsGrad[1] ? try Tensor(gw, shape: [c], dtype: weight.dtype) : nil) }
            if let bias { grads.append(ctx.needsGrad[grads.count] ? try Tensor(gb, shape: [c], dtype: bias.dtype) : nil) }
            return grads
        }
        return try composedBatchNormGradients(ctx, weight: weight, hasBias: bias != nil, dims: dims, eps: eps,
                                              channelShape: channelShape)
    }
}

/// The training gradient written with public ops (recorded when createGraph is on).
private func composedBatchNormGradients(_ ctx: Node.Context, weight: Tensor?, hasBias: Bool, dims: [Int], eps: Double,
                                        channelShape: [Int]) throws -> [Tensor?] {
    let g = ctx.gradOutput, xs = ctx.inputs[0]
    let centred = try sub(xs, mean(xs, dims: dims, keepdim: true))
    let variance = try mean(mul(centred, centred), dims: dims, keepdim: true)
    let invStd = try div(Tensor.wrapped(1, dtype: .int64), sqrt(add(variance, .wrapped(eps, dtype: .float64))))
    let xHat = try mul(centred, invStd)
    var grads: [Tensor?] = []
    if ctx.needsGrad[0] {
        let gy = try weight.map { try mul(g, $0.reshaped(channelShape)) } ?? g
        let inner = try sub(sub(gy, mean(gy, dims: dims, keepdim: true)),
                            mul(xHat, mean(mul(gy, xHat), dims: dims, keepdim: true)))
        grads.append(try mul(invStd, inner))
    } else { grads.append(nil) }
    if weight != nil { grads.append(ctx.needsGrad[1] ? try sum(mul(g, xHat), dims: dims) : nil) }
    if hasBias { grads.append(ctx.needsGrad[grads.count] ? try sum(g, dims: dims) : nil) }
    return grads
}

/// Per-channel mean and biased variance of x (no graph).
private func channelMoments(_ x: Tensor, op: String) throws -> (mean: [Double], variance: [Double]) {
    let xc = try x.contiguousData(op: op), l = ChannelLayout(x.shape)
    var mean = [Double](repeating: 0, count: l.c), variance = mean
    func run<T: GemmScalar>(_: T.Type) {
        mean.withUnsafeMutableBufferPointer { m in
            variance.withUnsafeMutableBufferPointer { v in channelMomentsKernel(xc.pointer(T.self), l, mean: m, variance: v) }
        }
    }
    try withFloatType(x.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return (mean, variance)
}

/// y[n, c, ...] = x[n, c, ...]·scale[c] + shift[c] in x's dtype (no graph).
private func channelAffine(_ x: Tensor, scale: [Double], shift: [Double], op: String) throws -> Tensor {
    let xc = try x.contiguousData(op: op)
    let out = try Tensor.empty(x.shape, x.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) {
        channelAffineKernel(xc.pointer(T.self), out.pointer(T.self), ChannelLayout(x.shape), scale: scale, shift: shift)
    }
    try withFloatType(x.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return out
}

/// First-order training gradients: with x̂ = (x - μ)·invStd and gy = g·w,
/// gx = invStd·(gy - mean(gy) - x̂·mean(gy·x̂)), gw = Σ g·x̂, gb = Σ g (per channel).
private func batchNormGradients(_ x: Tensor, _ g: Tensor, mean: [Double], invStd: [Double], weight: [Double],
                                op: String) throws -> (gx: Tensor, gw: [Double], gb: [Double]) {
    let xc = try x.contiguousData(op: op), gc = try g.materialized(g.shape, x.dtype, op: op)
    let l = ChannelLayout(x.shape)
    var sumG = [Double](repeating: 0, count: l.c), sumGXhat = sumG
    func sums<T: GemmScalar>(_: T.Type) {
        sumG.withUnsafeMutableBufferPointer { sg in
            sumGXhat.withUnsafeMutableBufferPointer { sx in
                channelGradientSumsKernel(xc.pointer(T.self), gc.pointer(T.self), l, mean: mean, invStd: invStd,
                                          sumG: sg, sumGXhat: sx)
            }
        }
    }
    try withFloatType(x.dtype, op: op) { T in sums(T) }
    try Cancellation.check(op)
    let m = Double(l.n &* l.s)
    // gx = k1·g + k2·(x - μ) + k3 per channel, from expanding the formula above.
    var k1 = [Double](repeating: 0, count: l.c), k2 = k1, k3 = k1
    for ch in 0..<l.c {
        let w = weight[ch], inv = invStd[ch]
        let meanGy = w * sumG[ch] / m, meanGyXhat = w * sumGXhat[ch] / m
        k1[ch] = inv * w
        k2[ch] = -inv * meanGyXhat * inv
        k3[ch] = -inv * meanGy
    }
    let gx = try Tensor.empty(x.shape, x.dtype, op: op)
    func combine<T: GemmScalar>(_: T.Type) {
        channelGradientCombineKernel(xc.pointer(T.self), gc.pointer(T.self), gx.pointer(T.self), l, mean: mean,
                                     k1: k1, k2: k2, k3: k3)
    }
    try withFloatType(x.dtype, op: op) { T in combine(T) }
    try Cancellation.check(op)
    return (gx, sumGXhat, sumG)
}
