import TenshText

/// `floorDivide` and `remainder` with torch's (and Python's) semantics: the
/// quotient is rounded toward -inf and the remainder takes the divisor's sign.
/// Broadcasting and type promotion as for `div`, except that integers stay
/// integers; integer division by zero is an error, float division stays IEEE.

/// ⌊a / b⌋ elementwise. Not differentiable (torch has no gradient for it either).
public func floorDivide(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try flooredForward(a, b, op: "floor_divide", quotient: true)
}

/// a - b·⌊a / b⌋ elementwise (the result has b's sign). Differentiable: the
/// gradient is g for a and -g·⌊a / b⌋ for b.
public func remainder(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try flooredForward(a, b, op: "remainder", quotient: false).recorded("Remainder", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try sumToShape(c.gradOutput, a.shape, dtype: a.dtype) : nil,
                c.needsGrad[1] ? try sumToShape(neg(mul(c.gradOutput, floorDivide(a, b))), b.shape, dtype: b.dtype) : nil]
    }
}

private func flooredForward(_ a: Tensor, _ b: Tensor, op: String, quotient: Bool) throws -> Tensor {
    let shape = try ShapeMath.broadcast(a.shape, b.shape, op: op)
    let dtype = resultType([a, b])
    guard dtype != .bool else {
        throw EngineError.invalid(op, "x", "\(op) is not defined for bool tensors (shapes \(shapeText(a.shape)) and \(shapeText(b.shape)))")
    }
    let x = try a.detached().materialized(shape, dtype, op: op), y = try b.detached().materialized(shape, dtype, op: op)
    let out = try Tensor.empty(shape, dtype, op: op)
    let n = out.count
    switch dtype {
    case .float32:
        let px = x.pointer(Float.self), py = y.pointer(Float.self), o = out.pointer(Float.self)
        for i in 0..<n { o[i] = quotient ? floorQuotient(px[i], py[i]) : floorRemainder(px[i], py[i]) }
    case .float64:
        let px = x.pointer(Double.self), py = y.pointer(Double.self), o = out.pointer(Double.self)
        for i in 0..<n { o[i] = quotient ? floorQuotient(px[i], py[i]) : floorRemainder(px[i], py[i]) }
    default:
        let px = x.pointer(Int64.self), py = y.pointer(Int64.self), o = out.pointer(Int64.self)
        if (0..<n).contains(where: { py[$0] == 0 }) {
            throw EngineError.invalid(op, "y", "ZeroDivisionError: integer division by zero (shapes \(shapeText(a.shape)) and \(shapeText(b.shape)))")
        }
        for i in 0..<n { o[i] = quotient ? floorQuotient(px[i], py[i]) : floorRemainder(px[i], py[i]) }
    }
    return out
}

/// torch's `div_floor_floating`: the quotient from fmod, so ⌊a / b⌋ is exact where
/// a / b would round across an integer.
@inline(__always)
private func floorQuotient<T: TensorFloat>(_ a: T, _ b: T) -> T {
    if b == 0 { return a / b }
    let mod = a.truncatingRemainder(dividingBy: b)
    var div = (a - mod) / b
    if mod != 0 && (b < 0) != (mod < 0) { div -= 1 }
    guard div != 0 else { return T(signOf: a / b, magnitudeOf: 0) }
    var floored = div.rounded(.down)
    if div - floored > 0.5 { floored += 1 }
    return floored
}

@inline(__always)
private func floorRemainder<T: TensorFloat>(_ a: T, _ b: T) -> T {
    var mod = a.truncatingRemainder(dividingBy: b)
    if mod != 0 && (b < 0) != (mod < 0) { mod += b }
    return mod
}

/// Python's integer floor division (b ≠ 0); Int64.min / -1 wraps as in C.
@inline(__always)
private func floorQuotient(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, _) = a.dividedReportingOverflow(by: b)
    let (r, _) = a.remainderReportingOverflow(dividingBy: b)
    return r != 0 && (r < 0) != (b < 0) ? q &- 1 : q
}

@inline(__always)
private func floorRemainder(_ a: Int64, _ b: Int64) -> Int64 {
    let (r, _) = a.remainderReportingOverflow(dividingBy: b)
    return r != 0 && (r < 0) != (b < 0) ? r &+ b : r
}
