import TenshText

/// `floor`, `ceil`, `round` (half to even, optionally to `decimals` places) and
/// `trunc`, as torch: float tensors keep their dtype, int64 tensors are returned
/// as a copy, bool is an error. Their gradient is zero everywhere, as in torch.

public func floor(_ x: Tensor) throws -> Tensor { try rounded(x, "floor", "Floor", .floor) }

public func ceil(_ x: Tensor) throws -> Tensor { try rounded(x, "ceil", "Ceil", .ceil) }

public func trunc(_ x: Tensor) throws -> Tensor { try rounded(x, "trunc", "Trunc", .trunc) }

/// Rounds half to even (`round(2.5) == 2`); with `decimals` n, to n places after the
/// point (before it when negative), computed as torch does: round(x·10ⁿ)/10ⁿ in x's precision.
public func round(_ x: Tensor, decimals: Int = 0) throws -> Tensor {
    guard decimals != 0 else { return try rounded(x, "round", "Round", .roundHalfEven) }
    guard Swift.abs(decimals) <= 400 else {
        throw EngineError.invalid("round", "decimals", "decimals must be within ±400, got \(decimals)")
    }
    return try rounded(x, "round", "Round", .roundDecimals(decimals))
}

private func rounded(_ x: Tensor, _ op: String, _ name: String, _ f: UnaryFunction) throws -> Tensor {
    switch x.dtype {
    case .bool: throw EngineError.invalid(op, "x", "\(op) is not defined for bool tensors (shape \(shapeText(x.shape)))")
    case .int64: return try x.detached().materialized(x.shape, .int64, op: op).cloned()
    default:
        return try mapFloat(x, f, op: op).recorded(name, inputs: [x]) { c in [try zerosLike(c.gradOutput)] }
    }
}
