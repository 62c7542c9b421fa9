/// `torch.nn.utils.clip_grad_norm_`: the norm of all gradients taken as one
/// vector (the norm of the per-tensor norms, in their dtype), then every
/// gradient scaled in place by min(1, max_norm / (total + 1e-6)). Parameters
/// without a gradient are skipped. Returns the total norm (0-d, the dtype of
/// the first gradient; a float32 zero when there is none).
public func clipGradNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2) throws -> Tensor {
    guard normType > 0 else {
        throw EngineError.invalid("clip_grad_norm_", "norm_type", "norm_type must be positive or inf, got \(normType)")
    }
    let grads = params.compactMap(\.grad)
    guard let first = grads.first else { return Tensor(scalar: 0) }
    let dtype = first.dtype
    var norms: [Double] = []
    for g in grads {
        guard g.dtype.isFloatingPoint else {
            throw EngineError.invalid("clip_grad_norm_", "parameters", "a gradient has dtype \(g.dtype)")
        }
        norms.append(try GradMode.noGrad { try norm(g, p: normType).item() })
    }
    let total = try GradMode.noGrad { try norm(Tensor(norms, shape: [norms.count], dtype: dtype), p: normType) }
    // clip_coef = max_norm / (total + 1e-6), clamped to 1, each op rounded to the dtype as torch's are.
    let round: (Double) -> Double = { dtype == .float32 ? Double(Float($0)) : $0 }
    let coefficient = round(round(maxNorm) / round(try total.item() + round(1e-6)))
    let clamped = Swift.min(coefficient, 1.0)
    for g in grads { scaleInPlace(g, by: clamped) }
    return total
}

/// `g *= factor` without recording, in g's dtype and layout.
private func scaleInPlace(_ g: Tensor, by factor: Double) {
    if g.dtype == .float64 {
        let p = g.pointer(Double.self)
        forEachOffset(g.shape, g.strides) { p[$0] = p[$0] * factor }
    } else {
        let p = g.pointer(Float.self), f = Float(factor)
        forEachOffset(g.shape, g.strides) { p[$0] = p[$0] * f }
    }
    g.storage.bumpVersion()
}
