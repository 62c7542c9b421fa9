import TenshText

/// `nllLoss` and `crossEntropy`, each one graph node (`NllLoss`, `CrossEntropyLoss`).
/// Both reduce to a per-position sum Σ_c coef[c]·logp[c]: for class-index targets
/// coef is -w[t] at the target class (0 elsewhere and for ignored targets); for
/// probability targets it is -w[c]·t[c]. The gradient rules are written with
/// public ops, so they can be differentiated again.

/// Negative log likelihood, like `F.nll_loss`.
/// - logProbs: [N, C], [N, C, d1, ...] or [C]; target: int64 class indices of shape [N, d1, ...] (or []).
/// - weight: optional [C] per-class weights (not differentiated, as in torch).
/// - ignoreIndex: targets equal to it contribute nothing (and no weight to the mean).
/// `.mean` divides by the total weight of the non-ignored targets (NaN when it is 0, as torch).
public func nllLoss(_ logProbs: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: LossReduction = .mean) throws -> Tensor {
    let op = "nll_loss"
    let classDim = try classDimension(logProbs, op: op)
    let (coef, divisor) = try indexCoefficients(logProbs, target, weight: weight, ignoreIndex: ignoreIndex, classDim: classDim, op: op)
    let loss = try GradMode.noGrad { try reduceClassLoss(sum(mul(logProbs, coef), dims: [classDim]), reduction, divisor) }
    let keptShape = keptClassShape(logProbs.shape, classDim)
    return loss.recorded("NllLoss", inputs: [logProbs], attributes: [("reduction", reduction.rawValue), ("ignore_index", "\(ignoreIndex)")]) { ctx in
        [try mul(coef, scaledGradient(ctx.gradOutput, reduction, divisor, keptShape))]
    }
}

/// Cross entropy of unnormalised `logits` ([N, C], [N, C, d...] or [C]), like `F.cross_entropy`:
/// log-softmax over the class dim (shifted by the row max, so large logits do not overflow) then NLL.
/// `target` is either int64 class indices (see `nllLoss`) or, like torch ≥ 1.10, float class
/// probabilities of the logits' shape (then `.mean` divides by the number of positions, the
/// target is differentiated too, and `ignoreIndex` does not apply).
public func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: LossReduction = .mean) throws -> Tensor {
    let op = "cross_entropy"
    let classDim = try classDimension(logits, op: op)
    let keptShape = keptClassShape(logits.shape, classDim)
    if target.dtype == .int64 {
        let (coef, divisor) = try indexCoefficients(logits, target, weight: weight, ignoreIndex: ignoreIndex, classDim: classDim, op: op)
        let loss = try GradMode.noGrad {
            try reduceClassLoss(sum(mul(stableLogSoftmaxClassDim(logits, classDim: classDim, op: op), coef), dims: [classDim]), reduction, divisor)
        }
        return loss.recorded("CrossEntropyLoss", inputs: [logits], attributes: [("reduction", reduction.rawValue), ("ignore_index", "\(ignoreIndex)")]) { ctx in
            [try softmaxCrossEntropyGradient(ctx.inputs[0], coef, classDim: classDim, op: op,
                                             scale: scaledGradient(ctx.gradOutput, reduction, divisor, keptShape))]
        }
    }
    guard target.dtype.isFloatingPoint, target.shape == logits.shape else {
        throw EngineError.invalid(op, "target",
            "target must be int64 class indices or float probabilities of the logits' shape \(shapeText(logits.shape)), got \(target.dtype) \(shapeText(target.shape))")
    }
    var wShape = [Int](repeating: 1, count: logits.rank)
    wShape[classDim] = logits.shape[classDim]
    let w = try weight.map { try Tensor(classWeights($0, classes: logits.shape[classDim], op: op), shape: wShape, dtype: logits.dtype) }
    // coef = -w·t, recomputed from the target inside the rule so the target's gradient can be differentiated.
    let coefficients: (Tensor) throws -> Tensor = { t in try neg(w.map { try mul(t, $0) } ?? t) }
    let divisor = Double(logits.count / max(logits.shape[classDim], 1))
    let loss = try GradMode.noGrad {
        try reduceClassLoss(sum(mul(stableLogSoftmaxClassDim(logits, classDim: classDim, op: op), coefficients(target)), dims: [classDim]),
                            reduction, divisor)
    }
    return loss.recorded("CrossEntropyLoss", inputs: [logits, target], attributes: [("reduction", reduction.rawValue), ("target", "probabilities")]) { ctx in
        let x = ctx.inputs[0], t = ctx.inputs[1]
        let scale = try scaledGradient(ctx.gradOutput, reduction, divisor, keptShape)
        let gx = ctx.needsGrad[0] ? try softmaxCrossEntropyGradient(x, coefficients(t), classDim: classDim, op: op, scale: scale) : nil
        // d/dt[c] of Σ_c -w[c]·t[c]·logp[c] is -w[c]·logp[c].
        let gt = ctx.needsGrad[1]
            ? try mul(coefficients(stableLogSoftmaxClassDim(x, classDim: classDim, op: op)), scale) : nil
        return [gx, gt]
    }
}

/// ∂/∂x of Σ_c coef[c]·log_softmax(x)[c] is coef - softmax(x)·Σ_c coef[c], times the upstream scale.
private func softmaxCrossEntropyGradient(_ x: Tensor, _ coef: Tensor, classDim: Int, op: String, scale: Tensor) throws -> Tensor {
    let p = try exp(stableLogSoftmaxClassDim(x, classDim: classDim, op: op))
    return try mul(sub(coef, mul(p, sum(coef, dims: [classDim], keepdim: true))), scale)
}

/// The upstream gradient shaped to broadcast over the class dim and divided for `.mean`.
private func scaledGradient(_ g: Tensor, _ reduction: LossReduction, _ divisor: Double, _ keptShape: [Int]) throws -> Tensor {
    switch reduction {
    case .none: return try g.reshaped(keptShape)
    case .sum: return g
    case .mean: return try div(g, .wrapped(divisor, dtype: .float64))
    }
}

private func reduceClassLoss(_ perPosition: Tensor, _ reduction: LossReduction, _ divisor: Double) throws -> Tensor {
    switch reduction {
    case .none: return perPosition
    case .sum: return try sum(perPosition)
    case .mean: return try div(sum(perPosition), .wrapped(divisor, dtype: .float64))
    }
}

/// The class dim (1, or 0 for a single [C] row) after checking the input is float with one.
private func classDimension(_ x: Tensor, op: String) throws -> Int {
    guard x.dtype.isFloatingPoint, x.rank >= 1 else {
        throw EngineError.invalid(op, "input", "expected a float input with a class dimension ([N, C], [N, C, d...] or [C]), got \(x.dtype) \(shapeText(x.shape))")
    }
    return x.rank == 1 ? 0 : 1
}

/// `shape` with the class dim kept as size 1.
private func keptClassShape(_ shape: [Int], _ classDim: Int) -> [Int] {
    var kept = shape
    kept[classDim] = 1
    return kept
}

/// log_softmax along `classDim`, computed as (x - m) - log Σ exp(x - m) with m the
/// (constant, detached) maximum along the dim: shift invariance keeps the result and
/// every derivative exact, and exp never overflows. (A private helper: the ops
/// family owns the public softmax.)
func stableLogSoftmaxClassDim(_ x: Tensor, classDim: Int, op: String) throws -> Tensor {
    let rowMax = try classDimMax(x.detached(), classDim: classDim, op: op)
    let shifted = try sub(x, rowMax)
    return try sub(shifted, log(sum(exp(shifted), dims: [classDim], keepdim: true)))
}

/// Maximum along `classDim` (kept as size 1); infinite or NaN maxima become 0 so
/// that the shift never turns finite values into NaN.
private func classDimMax(_ x: Tensor, classDim: Int, op: String) throws -> Tensor {
    let values = try x.materialized(x.shape, .float64, op: op).toDoubles()
    let classes = x.shape[classDim]
    let inner = x.shape[(classDim + 1)...].reduce(1, *), outer = x.shape[..<classDim].reduce(1, *)
    var maxima = [Double](repeating: 0, count: outer * inner)
    for o in 0..<outer {
        for i in 0..<inner {
            var m = -Double.infinity
            for c in 0..<classes { m = Swift.max(m, values[(o * classes + c) * inner + i]) }
            maxima[o * inner + i] = m.isFinite ? m : 0
        }
    }
    return try Tensor(maxima, shape: keptClassShape(x.shape, classDim), dtype: x.dtype)
}

/// Per-class weights as Doubles, checked to have C entries.
private func classWeights(_ weight: Tensor, classes: Int, op: String) throws -> [Double] {
    guard weight.rank == 1, weight.shape[0] == classes, weight.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "weight", "weight must be a float tensor of shape [\(classes)] (one per class), got \(weight.dtype) \(shapeText(weight.shape))")
    }
    return weight.toDoubles()
}

/// coef[n, t, ...] = -w[t] for each non-ignored target (a constant tensor shaped like `input`),
/// and the `.mean` divisor Σ w[t] over those targets.
private func indexCoefficients(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int, classDim: Int,
                               op: String) throws -> (Tensor, Double) {
    var expected = input.shape
    expected.remove(at: classDim)
    guard target.dtype == .int64, target.shape == expected else {
        throw EngineError.invalid(op, "target",
            "target must be int64 of shape \(shapeText(expected)) for input \(shapeText(input.shape)), got \(target.dtype) \(shapeText(target.shape))")
    }
    let classes = input.shape[classDim]
    let w = try weight.map { try classWeights($0, classes: classes, op: op) } ?? [Double](repeating: 1, count: classes)
    let inner = input.shape[(classDim + 1)...].reduce(1, *)
    var coef = [Double](repeating: 0, count: input.count)
    var totalWeight = 0.0
    for (k, t) in target.toInt64s().enumerated() {
        if t == Int64(ignoreIndex) { continue }
        guard t >= 0 && t < Int64(classes) else {
            throw EngineError.invalid(op, "target", "target \(t) (at flat position \(k)) is out of bounds for \(classes) classes")
        }
        let (o, i) = (k / inner, k % inner)
        coef[(o * classes + Int(t)) * inner + i] = -w[Int(t)]
        totalWeight += w[Int(t)]
    }
    return (try Tensor(coef, shape: input.shape, dtype: input.dtype), totalWeight)
}
