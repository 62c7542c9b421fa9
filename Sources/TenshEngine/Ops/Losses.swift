/// Regression and binary losses, composed from public differentiable ops so
/// that gradients of any order come from the ops' own rules.

/// How a loss combines its per-element values (torch's `reduction=`).
public enum LossReduction: String, Sendable {
    case mean, sum, none
}

/// Applies `reduction` to per-element losses.
func reduceLoss(_ perElement: Tensor, _ reduction: LossReduction) throws -> Tensor {
    switch reduction {
    case .none: return perElement
    case .sum: return try sum(perElement)
    case .mean: return try mean(perElement)
    }
}

/// Input and target must be float tensors of one shape (tensh does not broadcast losses:
/// a mismatch is almost always a bug, which torch only warns about).
private func checkPair(_ input: Tensor, _ target: Tensor, op: String) throws {
    guard input.dtype.isFloatingPoint, target.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "input", "expected float input and target, got \(input.dtype) and \(target.dtype)")
    }
    guard input.shape == target.shape else {
        throw EngineError.invalid(op, "target", "target shape \(fmt(target.shape)) differs from input shape \(fmt(input.shape))")
    }
}

/// Mean squared error `(input - target)²`, like `F.mse_loss`.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    try checkPair(input, target, op: "mse_loss")
    let d = try sub(input, target)
    return try reduceLoss(mul(d, d), reduction)
}

/// Absolute error `|input - target|`, like `F.l1_loss` (gradient 0 where they are equal).
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    try checkPair(input, target, op: "l1_loss")
    return try reduceLoss(abs(sub(input, target)), reduction)
}

/// Binary cross entropy on probabilities, like `F.binary_cross_entropy`:
/// `-w·(t·log p + (1-t)·log(1-p))` with each log clamped to ≥ -100 as torch does, so
/// p = 0 or 1 gives a finite loss. `weight` broadcasts to the input's shape.
/// Every element of p must lie in [0, 1].
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                               reduction: LossReduction = .mean) throws -> Tensor {
    let op = "binary_cross_entropy"
    try checkPair(input, target, op: op)
    if let bad = input.toDoubles().first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw EngineError.invalid(op, "input", "all elements of input should be between 0 and 1, found \(bad) (input shape \(fmt(input.shape)))")
    }
    let one = Tensor.wrapped(1, dtype: .int64)
    let logP = try clamp(log(input), min: -100)
    let logQ = try clamp(log(sub(one, input)), min: -100)
    var loss = try neg(add(mul(target, logP), mul(sub(one, target), logQ)))
    if let weight {
        guard (try? ShapeMath.broadcast(weight.shape, input.shape, op: op)) == input.shape else {
            throw EngineError.invalid(op, "weight", "weight shape \(fmt(weight.shape)) does not broadcast to input shape \(fmt(input.shape))")
        }
        loss = try mul(loss, weight.detached())
    }
    return try reduceLoss(loss, reduction)
}
