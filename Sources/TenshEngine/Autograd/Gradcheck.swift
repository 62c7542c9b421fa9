/// Finite-difference checks of analytic gradients, in float64 (PyTorch's
/// `torch.autograd.gradcheck` / `gradgradcheck`).

/// The result of a gradient check: `passed`, and where it failed the worst element.
public struct GradcheckResult: CustomStringConvertible {
    public let passed: Bool
    /// Index of the input and the flat element index with the largest error.
    public let worstInput: Int
    public let worstElement: Int
    public let analytic: Double
    public let numeric: Double

    public var description: String {
        passed ? "gradcheck passed"
            : "gradcheck failed: input \(worstInput), element \(worstElement): analytic \(analytic) vs numeric \(numeric)"
    }
}

/// Compares the analytic gradient of `<f(inputs), v>` (v a fixed random
/// projection of the output) with central differences, element by element.
/// Inputs are converted to float64 leaves that require grad.
public func gradcheck(_ f: @escaping ([Tensor]) throws -> Tensor, _ inputs: [Tensor],
                      eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3) throws -> GradcheckResult {
    // Float inputs become float64 leaves; integer inputs (class indices) pass through unchanged.
    let xs = try inputs.map { $0.dtype.isFloatingPoint ? try $0.detached().to(.float64).cloned().setRequiresGrad() : $0 }
    let probe = try GradMode.noGrad { try f(xs) }
    let v = try projection(like: probe)
    let objective: ([Tensor]) throws -> Tensor = { try sum(mul(f($0), v)) }

    let differentiable = xs.filter { $0.requiresGrad }
    let out = try objective(xs)
    let analytic = out.requiresGrad
        ? try grad([out], differentiable, allowUnused: true) : differentiable.map { _ in nil }

    var worst = GradcheckResult(passed: true, worstInput: 0, worstElement: 0, analytic: 0, numeric: 0)
    var worstExcess = -Double.infinity
    for (k, x) in differentiable.enumerated() {
        let a = analytic[k]?.toDoubles() ?? [Double](repeating: 0, count: x.count)
        let p = x.pointer(Double.self)
        for i in 0..<x.count {
            try Cancellation.check("gradcheck")
            let saved = p[i]
            p[i] = saved + eps
            let plus = try GradMode.noGrad { try objective(xs).item() }
            p[i] = saved - eps
            let minus = try GradMode.noGrad { try objective(xs).item() }
            p[i] = saved
            let numeric = (plus - minus) / (2 * eps)
            let excess = Swift.abs(a[i] - numeric) - (atol + rtol * Swift.abs(numeric))
            if excess > worstExcess || excess.isNaN {
                worstExcess = excess.isNaN ? .infinity : excess
                let index = xs.firstIndex { $0 === x } ?? k
                worst = GradcheckResult(passed: !(excess > 0) && !excess.isNaN, worstInput: index,
                                        worstElement: i, analytic: a[i], numeric: numeric)
            }
        }
    }
    return GradcheckResult(passed: worstExcess <= 0, worstInput: worst.worstInput, worstElement: worst.worstElement,
                           analytic: worst.analytic, numeric: worst.numeric)
}

/// Second-order check: gradcheck of `inputs ↦ Σ_i <∂<f, v>/∂input_i, u_i>` with
/// fixed random u, whose gradient needs `createGraph` through every rule of f.
public func gradgradcheck(_ f: @escaping ([Tensor]) throws -> Tensor, _ inputs: [Tensor],
                          eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3) throws -> GradcheckResult {
    let probeInputs = try inputs.map { $0.dtype.isFloatingPoint ? try $0.detached().to(.float64) : $0 }
    let probe = try GradMode.noGrad { try f(probeInputs) }
    let v = try projection(like: probe)
    let us = try probeInputs.enumerated().map { i, x in try projection(like: x, seed: UInt64(100 + i)) }
    // gradcheck evaluates this under no_grad for its finite differences; the
    // inner gradient still needs a graph, so recording is forced on here.
    let firstOrder: ([Tensor]) throws -> Tensor = { xs in try GradMode.with(enabled: true) {
        let y = try sum(mul(f(xs), v))
        let wrt = xs.indices.filter { xs[$0].requiresGrad }
        let gs = try grad([y], wrt.map { xs[$0] }, createGraph: true, allowUnused: true)
        var total = try zeros([], dtype: .float64)
        for (g, i) in zip(gs, wrt) { if let g { total = try add(total, sum(mul(g, us[i]))) } }
        return total
    } }
    return try gradcheck(firstOrder, inputs, eps: eps, atol: atol, rtol: rtol)
}

/// A deterministic tensor of values in [-1, 1) shaped like `t`, in float64.
private func projection(like t: Tensor, seed: UInt64 = 7) throws -> Tensor {
    var state = seed &* 0x9E3779B97F4A7C15 | 1
    let values = (0..<t.count).map { _ -> Double in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    return try Tensor(values, shape: t.shape, dtype: .float64)
}
