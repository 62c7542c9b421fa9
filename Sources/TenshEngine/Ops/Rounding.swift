import TenshText

/// `floor`, `ceil`, `round` (half to even, optionally to `decimals` places) and
/// `trunc`, as torch: float tensors keep their dtype, int64 tensors are returned
/// as a copy, bool is an error. Their gradient is zero everywhere, as in torch.

public func floor(_ x: Tensor) throws -> Tensor {
    try rounded(x, "floor", "Floor", { $0.rounded(.down) }, { $0.rounded(.down) })
}

public func ceil(_ x: Tensor) throws -> Tensor {
    try rounded(x, "ceil", "Ceil", { $0.rounded(.up) }, { $0.rounded(.up) })
}

public func trunc(_ x: Tensor) throws -> Tensor {
    try rounded(x, "trunc", "Trunc", { $0.rounded(.towardZero) }, { $0.rounded(.towardZero) })
}

/// Rounds half to even (`round(2.5) == 2`); with `decimals` n, to n places after the
/// point (before it when negative), computed as torch does: round(x·10ⁿ)/10ⁿ in x's precision.
public func round(_ x: Tensor, decimals: Int = 0) throws -> Tensor {
    guard decimals != 0 else {
        return try rounded(x, "round", "Round", { $0.rounded(.toNearestOrEven) }, { $0.rounded(.toNearestOrEven) })
    }
    guard Swift.abs(decimals) <= 400 else {
        throw EngineError.invalid("round", "decimals", "decimals must be within ±400, got \(decimals)")
    }
    let scale = Double.pow(10, Double(Swift.abs(decimals)))
    let (s32, s64) = (Float(scale), scale)
    if decimals > 0 {
        return try rounded(x, "round", "Round", { ($0 * s32).rounded(.toNearestOrEven) / s32 },
                           { ($0 * s64).rounded(.toNearestOrEven) / s64 })
    }
    return try rounded(x, "round", "Round", { ($0 / s32).rounded(.toNearestOrEven) * s32 },
                       { ($0 / s64).rounded(.toNearestOrEven) * s64 })
}

private func rounded(_ x: Tensor, _ op: String, _ name: String, _ f32: (Float) -> Float,
                     _ f64: (Double) -> Double) throws -> Tensor {
    switch x.dtype {
    case .bool: throw EngineError.invalid(op, "x", "\(op) is not defined for bool tensors (shape \(shapeText(x.shape)))")
    case .int64: return try x.detached().materialized(x.shape, .int64, op: op).cloned()
    default:
        return try mapFloat(x, op: op, f32, f64).recorded(name, inputs: [x]) { c in [try zerosLike(c.gradOutput)] }
    }
}
