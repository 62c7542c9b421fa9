/// `nllLoss` and `crossEntropy`. Both are built from public ops (a constant
/// per-class coefficient tensor multiplies the log-probabilities), so they are
/// differentiable to any order in their float input.

/// Negative log likelihood, like `F.nll_loss`.
/// - logProbs: [N, C], [N, C, d1, ...] or [C]; target: int64 class indices of shape [N, d1, ...] (or []).
/// - weight: optional [C] per-class weights (not differentiated, as in torch).
/// - ignoreIndex: targets equal to it contribute nothing (and no weight to the mean).
/// `.mean` divides by the total weight of the non-ignored targets (NaN when it is 0, as torch).
public func nllLoss(_ logProbs: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: LossReduction = .mean) throws -> Tensor {
    try classIndexLoss(logProbs, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, op: "nll_loss")
}

/// Cross entropy of unnormalised `logits` ([N, C], [N, C, d...] or [C]), like `F.cross_entropy`:
/// log-softmax over the class dim (shifted by the row max, so large logits do not overflow) then NLL.
/// `target` is either int64 class indices (see `nllLoss`) or, like torch ≥ 1.10, float class
/// probabilities of the logits' shape (then `.mean` divides by the number of rows, and
/// `ignoreIndex` does not apply).
public func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: LossReduction = .mean) throws -> Tensor {
    let op = "cross_entropy"
    guard logits.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "input", "expected float logits, got \(logits.dtype) (shape \(fmt(logits.shape)))")
    }
    guard logits.rank >= 1 else { throw EngineError.invalid(op, "input", "logits must have a class dimension, got a 0-d tensor") }
    let classDim = logits.rank == 1 ? 0 : 1
    let logP = try stableLogSoftmaxClassDim(logits, classDim: classDim, op: op)
    if target.dtype == .int64 {
        return try classIndexLoss(logP, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, op: op)
    }
    guard target.dtype.isFloatingPoint, target.shape == logits.shape else {
        throw EngineError.invalid(op, "target",
            "target must be int64 class indices or float probabilities of the logits' shape \(fmt(logits.shape)), got \(target.dtype) \(fmt(target.shape))")
    }
    var weighted = try mul(logP, target)
    if let weight {
        let w = try classWeights(weight, classes: logits.shape[classDim], dtype: logits.dtype, op: op)
        var wShape = [Int](repeating: 1, count: logits.rank)
        wShape[classDim] = logits.shape[classDim]
        weighted = try mul(weighted, Tensor(w, shape: wShape, dtype: logits.dtype))
    }
    let perRow = try neg(sum(weighted, dims: [classDim]))
    return try reduceLoss(perRow, reduction)
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
    var keptShape = x.shape
    keptShape[classDim] = 1
    return try Tensor(maxima, shape: keptShape, dtype: x.dtype)
}

/// Per-class weights as Doubles, checked to have C entries.
private func classWeights(_ weight: Tensor, classes: Int, dtype: DType, op: String) throws -> [Double] {
    guard weight.rank == 1, weight.shape[0] == classes, weight.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "weight", "weight must be a float tensor of shape [\(classes)] (one per class), got \(weight.dtype) \(fmt(weight.shape))")
    }
    return weight.toDoubles()
}

/// Σ over the class dim of logP · coef where coef[n, t, ...] = -w[t] (0 for ignored targets).
private func classIndexLoss(_ logP: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                            reduction: LossReduction, op: String) throws -> Tensor {
    guard logP.dtype.isFloatingPoint, logP.rank >= 1 else {
        throw EngineError.invalid(op, "input", "expected float log-probabilities with a class dim, got \(logP.dtype) \(fmt(logP.shape))")
    }
    let classDim = logP.rank == 1 ? 0 : 1
    var expected = logP.shape
    expected.remove(at: classDim)
    guard target.dtype == .int64, target.shape == expected else {
        throw EngineError.invalid(op, "target",
            "target must be int64 of shape \(fmt(expected)) for input \(fmt(logP.shape)), got \(target.dtype) \(fmt(target.shape))")
    }
    let classes = logP.shape[classDim]
    let w = try weight.map { try classWeights($0, classes: classes, dtype: logP.dtype, op: op) }
        ?? [Double](repeating: 1, count: classes)
    let inner = logP.shape[(classDim + 1)...].reduce(1, *)
    var coef = [Double](repeating: 0, count: logP.count)
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
    let perElement = try sum(mul(logP, Tensor(coef, shape: logP.shape, dtype: logP.dtype)), dims: [classDim])
    switch reduction {
    case .none: return perElement
    case .sum: return try sum(perElement)
    case .mean: return try div(sum(perElement), .wrapped(totalWeight, dtype: .float64))
    }
}
