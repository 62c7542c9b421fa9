#if canImport(Glibc)
import Glibc
#endif

/// One optimizer step for one parameter: a single fused pass over the
/// parameter, its gradient and its state, in place, with no graph and no
/// temporary tensors. Each element follows the sequence of tensor ops that
/// PyTorch's single-tensor (`foreach=False`) code runs, rounding to the
/// element type after each op as those ops do; the scalars are computed in
/// double and converted, as PyTorch converts a Python float.
///
/// Returns false (and changes nothing) when the parameter has no gradient.
@discardableResult
public func optimizerStep(_ param: Tensor, state: ParameterState, rule: OptimizerRule,
                          op: String = "step", index: Int = 0) throws -> Bool {
    guard let grad = try steppableGradient(param, op: op, index: index) else { return false }
    // SGD's momentum buffer starts as a copy of the first step's gradient (PyTorch clones it).
    let firstMomentum = state.buffer("momentum_buffer") == nil
    let buffers = try stateBuffers(param, state: state, rule: rule)
    state.step += 1
    let context = StepContext(step: state.step, firstMomentum: firstMomentum)
    if param.dtype == .float64 {
        runStep(Double.self, param, grad, buffers, rule, context)
    } else {
        runStep(Float.self, param, grad, buffers, rule, context)
    }
    param.storage.bumpVersion()
    return true
}

/// The state buffers a rule reads, created on the first step under PyTorch's names.
/// Slot order per rule: SGD [momentum]; Adam [exp_avg, exp_avg_sq, max_exp_avg_sq?];
/// RMSprop [square_avg, momentum_buffer?, grad_avg?]; Adagrad [sum].
private func stateBuffers(_ p: Tensor, state: ParameterState, rule: OptimizerRule) throws -> [Tensor?] {
    switch rule {
    case .sgd(let r):
        guard r.momentum != 0 else { return [nil] }
        return [try state.buffer("momentum_buffer", like: p, fill: 0)]
    case .adam(let r):
        return [try state.buffer("exp_avg", like: p, fill: 0), try state.buffer("exp_avg_sq", like: p, fill: 0),
                r.amsgrad ? try state.buffer("max_exp_avg_sq", like: p, fill: 0) : nil]
    case .rmsprop(let r):
        return [try state.buffer("square_avg", like: p, fill: 0),
                r.momentum > 0 ? try state.buffer("momentum_buffer", like: p, fill: 0) : nil,
                r.centered ? try state.buffer("grad_avg", like: p, fill: 0) : nil]
    case .adagrad(let r):
        return [try state.buffer("sum", like: p, fill: r.initialAccumulatorValue)]
    }
}

struct StepContext {
    /// The step count after this step (1 on the first).
    let step: Double
    /// SGD: the momentum buffer was made by this step.
    let firstMomentum: Bool
}

private func runStep<T: BinaryFloatingPoint>(_: T.Type, _ param: Tensor, _ grad: Tensor, _ buffers: [Tensor?],
                                            _ rule: OptimizerRule, _ context: StepContext) {
    let p = param.pointer(T.self), g = grad.pointer(T.self), n = param.count
    let b = buffers.map { $0?.pointer(T.self) }
    // Each kernel is inlined with its optional state as a literal nil or a
    // known pointer: a loop testing an optional pointer was vectorized with
    // masked loads and stores through the null pointer, all lanes masked off,
    // which AMD's Zen 4 suppresses in microcode (SGD without momentum took
    // 6.8 ns per element instead of 0.3).
    switch rule {
    case .sgd(let r):
        chunked(n) { range in
            if let buf = b[0] {
                sgdKernel(p, g, buf, range, r, first: context.firstMomentum)
            } else {
                sgdKernel(p, g, nil, range, r, first: false)
            }
        }
    case .adam(let r):
        guard let m = b[0], let v = b[1] else { return }
        chunked(n) { range in
            if let vMax = b[2] {
                adamKernel(p, g, m, v, vMax, range, r, step: context.step)
            } else {
                adamKernel(p, g, m, v, nil, range, r, step: context.step)
            }
        }
    case .rmsprop(let r):
        guard let sq = b[0] else { return }
        chunked(n) { range in
            switch (b[1], b[2]) {
            case let (buf?, gAvg?): rmspropKernel(p, g, sq, buf, gAvg, range, r)
            case let (buf?, nil): rmspropKernel(p, g, sq, buf, nil, range, r)
            case let (nil, gAvg?): rmspropKernel(p, g, sq, nil, gAvg, range, r)
            case (nil, nil): rmspropKernel(p, g, sq, nil, nil, range, r)
            }
        }
    case .adagrad(let r):
        guard let sum = b[0] else { return }
        chunked(n) { range in adagradKernel(p, g, sum, range, r, step: context.step) }
    }
}

/// Runs `body` over 0..<n, split across the cores when n is large.
private func chunked(_ n: Int, _ body: (Range<Int>) -> Void) {
    let chunk = 1 << 15
    guard n > chunk else { body(0..<n); return }
    parallelFor((n + chunk - 1) / chunk) { c in body(c * chunk..<Swift.min(n, (c + 1) * chunk)) }
}

/// `torch.lerp(start, end, w)` for one element, with torch's two forms.
@inline(__always)
private func lerp<T: BinaryFloatingPoint>(_ start: T, _ end: T, _ w: T) -> T {
    abs(w) < 0.5 ? start + w * (end - start) : end - (end - start) * (1 - w)
}

@inline(__always)
private func sgdKernel<T: BinaryFloatingPoint>(_ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                              _ buf: UnsafeMutablePointer<T>?, _ range: Range<Int>,
                                              _ r: SGDRule, first: Bool) {
    let wd = T(r.weightDecay), momentum = T(r.momentum), keep = T(1 - r.dampening), negLR = T(-r.lr)
    for i in range {
        var d = r.maximize ? -g[i] : g[i]
        if r.weightDecay != 0 { d = d + wd * p[i] }
        if let buf {
            buf[i] = first ? d : buf[i] * momentum + keep * d
            d = r.nesterov ? d + momentum * buf[i] : buf[i]
        }
        p[i] = p[i] + negLR * d
    }
}

@inline(__always)
private func adamKernel<T: BinaryFloatingPoint>(_ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                               _ m: UnsafeMutablePointer<T>, _ v: UnsafeMutablePointer<T>,
                                               _ vMax: UnsafeMutablePointer<T>?, _ range: Range<Int>,
                                               _ r: AdamRule, step: Double) {
    let wd = T(r.weightDecay), decay = T(1 - r.lr * r.weightDecay)
    let w1 = T(1 - r.beta1), beta2 = T(r.beta2), w2 = T(1 - r.beta2)
    let correction1 = 1 - pow(r.beta1, step), correction2 = 1 - pow(r.beta2, step)
    let negStepSize = T(-(r.lr / correction1)), correction2Sqrt = T(correction2.squareRoot()), eps = T(r.eps)
    for i in range {
        var d = r.maximize ? -g[i] : g[i]
        if r.weightDecay != 0 {
            if r.decoupledWeightDecay { p[i] = p[i] * decay } else { d = d + wd * p[i] }
        }
        m[i] = lerp(m[i], d, w1)
        v[i] = v[i] * beta2 + w2 * d * d
        var second = v[i]
        if let vMax {
            vMax[i] = Swift.max(vMax[i], v[i])
            second = vMax[i]
        }
        let denom = second.squareRoot() / correction2Sqrt + eps
        p[i] = p[i] + negStepSize * (m[i] / denom)
    }
}

@inline(__always)
private func rmspropKernel<T: BinaryFloatingPoint>(_ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                                  _ sq: UnsafeMutablePointer<T>, _ buf: UnsafeMutablePointer<T>?,
                                                  _ gAvg: UnsafeMutablePointer<T>?, _ range: Range<Int>, _ r: RMSpropRule) {
    let wd = T(r.weightDecay), alpha = T(r.alpha), w = T(1 - r.alpha), eps = T(r.eps)
    let momentum = T(r.momentum), negLR = T(-r.lr)
    for i in range {
        var d = r.maximize ? -g[i] : g[i]
        if r.weightDecay != 0 { d = d + wd * p[i] }
        sq[i] = sq[i] * alpha + w * d * d
        var avg: T
        if let gAvg {
            gAvg[i] = lerp(gAvg[i], d, w)
            avg = (sq[i] + (-1) * gAvg[i] * gAvg[i]).squareRoot()
        } else {
            avg = sq[i].squareRoot()
        }
        avg = avg + eps
        if let buf {
            buf[i] = buf[i] * momentum + d / avg
            p[i] = p[i] + negLR * buf[i]
        } else {
            p[i] = p[i] + negLR * (d / avg)
        }
    }
}

private func adagradKernel<T: BinaryFloatingPoint>(_ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                                  _ sum: UnsafeMutablePointer<T>, _ range: Range<Int>,
                                                  _ r: AdagradRule, step: Double) {
    let wd = T(r.weightDecay), eps = T(r.eps)
    let negCLR = T(-(r.lr / (1 + (step - 1) * r.lrDecay)))
    for i in range {
        var d = r.maximize ? -g[i] : g[i]
        if r.weightDecay != 0 { d = d + wd * p[i] }
        sum[i] = sum[i] + 1 * d * d
        let std = sum[i].squareRoot() + eps
        p[i] = p[i] + negCLR * (d / std)
    }
}
