import TenshText

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
        throw EngineError.invalid(op, "target", "target shape \(shapeText(target.shape)) differs from input shape \(shapeText(input.shape))")
    }
}

/// Records a loss as one graph node over (input, target). `elementGradients` gives the
/// per-element derivatives (d/dinput, d/dtarget) from the inputs with public ops, so
/// the node can be differentiated again; the reduction's scale is applied here.
private func lossNode(_ loss: Tensor, _ name: String, _ input: Tensor, _ target: Tensor, _ reduction: LossReduction,
                      elementGradients: @escaping (Tensor, Tensor) throws -> (Tensor, Tensor)) -> Tensor {
    let count = input.count
    return loss.recorded(name, inputs: [input, target], attributes: [("reduction", reduction.rawValue)]) { ctx in
        let scale = reduction == .mean ? try div(ctx.gradOutput, .wrapped(Double(count), dtype: .float64)) : ctx.gradOutput
        let (dx, dt) = try elementGradients(ctx.inputs[0], ctx.inputs[1])
        // sumToShape also casts back when input and target dtypes differ.
        return [ctx.needsGrad[0] ? try sumToShape(mul(dx, scale), ctx.inputs[0].shape, dtype: ctx.inputs[0].dtype) : nil,
                ctx.needsGrad[1] ? try sumToShape(mul(dt, scale), ctx.inputs[1].shape, dtype: ctx.inputs[1].dtype) : nil]
    }
}

/// Mean squared error `(input - target)²`, like `F.mse_loss`. One `MseLoss` graph node.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    try checkPair(input, target, op: "mse_loss")
    let loss = try GradMode.noGrad { let d = try sub(input, target); return try reduceLoss(mul(d, d), reduction) }
    return lossNode(loss, "MseLoss", input, target, reduction) { x, t in
        let twice = try mul(sub(x, t), Tensor.wrapped(2, dtype: .int64))
        return (twice, try neg(twice))
    }
}

/// Absolute error `|input - target|`, like `F.l1_loss` (gradient 0 where they are equal).
/// One `L1Loss` graph node.
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    try checkPair(input, target, op: "l1_loss")
    let loss = try GradMode.noGrad { try reduceLoss(abs(sub(input, target)), reduction) }
    return lossNode(loss, "L1Loss", input, target, reduction) { x, t in
        let s = try sign(sub(x, t))
        return (s, try neg(s))
    }
}

/// Binary cross entropy on probabilities, like `F.binary_cross_entropy`:
/// `-w·(t·log p + (1-t)·log(1-p))` with each log clamped to ≥ -100 as torch does, so
/// p = 0 or 1 gives a finite loss. `weight` broadcasts to the input's shape and is not
/// differentiated. Every element of p must lie in [0, 1]. One `BinaryCrossEntropy` node whose
/// rule is torch's: d/dp = w·(p - t)/max(p(1-p), 1e-12), d/dt = w·(log(1-p) - log p) (logs clamped).
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                               reduction: LossReduction = .mean) throws -> Tensor {
    let op = "binary_cross_entropy"
    try checkPair(input, target, op: op)
    if let bad = input.toDoubles().first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw EngineError.invalid(op, "input", "all elements of input should be between 0 and 1, found \(bad) (input shape \(shapeText(input.shape)))")
    }
    if let weight, (try? ShapeMath.broadcast(weight.shape, input.shape, op: op)) != input.shape {
        throw EngineError.invalid(op, "weight", "weight shape \(shapeText(weight.shape)) does not broadcast to input shape \(shapeText(input.shape))")
    }
    let w = weight?.detached()
    let one = Tensor.wrapped(1, dtype: .int64)
    let clampedLogs: (Tensor) throws -> (Tensor, Tensor) = { p in
        (try clamp(log(p), min: -100), try clamp(log(sub(one, p)), min: -100))
    }
    let loss = try GradMode.noGrad {
        let (logP, logQ) = try clampedLogs(input)
        let perElement = try neg(add(mul(target, logP), mul(sub(one, target), logQ)))
        return try reduceLoss(w.map { try mul(perElement, $0) } ?? perElement, reduction)
    }
    return lossNode(loss, "BinaryCrossEntropy", input, target, reduction) { p, t in
        let denominator = try clamp(mul(p, sub(one, p)), min: 1e-12)
        var dp = try div(sub(p, t), denominator)
        let (logP, logQ) = try clampedLogs(p)
        var dt = try sub(logQ, logP)
        if let w { dp = try mul(dp, w); dt = try mul(dt, w) }
        return (dp, dt)
    }
}
