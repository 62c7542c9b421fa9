/// The public binary ops with their gradient rules (one screen: review them together).

/// Whether an op on `a` and `b` records a node: asked before the input list is
/// built (for a small op without autograd, that list cost more than the arithmetic).
@inline(__always)
func willRecord(_ a: Tensor, _ b: Tensor) -> Bool {
    GradMode.isEnabled && (a.requiresGrad || b.requiresGrad)
}

/// Gradient of one operand of a broadcasting op, reduced to that operand's shape and dtype.
@inline(__always)
private func reduced(_ g: Tensor, to input: Tensor) throws -> Tensor {
    try sumToShape(g, input.shape, dtype: input.dtype)
}

public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.add, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Add", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try reduced(c.gradOutput, to: a) : nil,
                c.needsGrad[1] ? try reduced(c.gradOutput, to: b) : nil]
    }
}

public func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.sub, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Sub", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try reduced(c.gradOutput, to: a) : nil,
                c.needsGrad[1] ? try reduced(neg(c.gradOutput), to: b) : nil]
    }
}

public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.mul, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Mul", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try reduced(mul(c.gradOutput, b), to: a) : nil,
                c.needsGrad[1] ? try reduced(mul(c.gradOutput, a), to: b) : nil]
    }
}

public func div(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.div, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Div", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try reduced(div(c.gradOutput, b), to: a) : nil,
                c.needsGrad[1] ? try reduced(neg(div(mul(c.gradOutput, a), mul(b, b))), to: b) : nil]
    }
}

/// `a ** b`. The exponent's gradient `out * log(a)` is 0 where a == 0 and b >= 0, as in PyTorch.
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.pow, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Pow", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        var ga: Tensor?, gb: Tensor?
        if c.needsGrad[0] {
            let bMinus1 = try sub(b, Tensor.wrapped(1, dtype: .int64))
            ga = try reduced(mul(c.gradOutput, mul(b, pow(a, bMinus1))), to: a)
        }
        if c.needsGrad[1] {
            let zero = Tensor.wrapped(0, dtype: .int64)
            let safe = try mul(c.output, log(a))
            let mask = try logicalAnd(eq(a, zero), ge(b, zero))
            gb = try reduced(mul(c.gradOutput, `where`(mask, zerosLike(safe), safe)), to: b)
        }
        return [ga, gb]
    }
}

/// Elementwise maximum; on ties the gradient is split evenly, as in PyTorch.
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.maximum, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Maximum", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return try tieSplitGradients(c, a, b, aWins: gt(a, b))
    }
}

public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryForward(.minimum, a, b)
    guard willRecord(a, b) else { return out }
    return out.recorded("Minimum", inputs: [a, b]) { c in
        let a = c.inputs[0], b = c.inputs[1]
        return try tieSplitGradients(c, a, b, aWins: lt(a, b))
    }
}

private func tieSplitGradients(_ c: Node.Context, _ a: Tensor, _ b: Tensor, aWins: Tensor) throws -> [Tensor?] {
    let g = c.gradOutput
    let half = try mul(g, Tensor.wrapped(0.5, dtype: .float64))
    let zero = try zerosLike(g)
    let ties = try eq(a, b)
    let gA = try `where`(ties, half, `where`(aWins, g, zero))
    let gB = try `where`(ties, half, `where`(aWins, zero, g))
    return [c.needsGrad[0] ? try reduced(gA, to: a) : nil, c.needsGrad[1] ? try reduced(gB, to: b) : nil]
}

// Comparisons give bool tensors and are not differentiable.
public func eq(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.eq, a, b) }
public func ne(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.ne, a, b) }
public func lt(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.lt, a, b) }
public func le(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.le, a, b) }
public func gt(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.gt, a, b) }
public func ge(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.ge, a, b) }
public func logicalAnd(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.logicalAnd, a, b) }
public func logicalOr(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binaryForward(.logicalOr, a, b) }

extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try add(a, b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try sub(a, b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try mul(a, b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try div(a, b) }
    public static func + (a: Tensor, b: Double) throws -> Tensor { try add(a, .wrapped(b, dtype: .float64)) }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try sub(a, .wrapped(b, dtype: .float64)) }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try mul(a, .wrapped(b, dtype: .float64)) }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try div(a, .wrapped(b, dtype: .float64)) }
    public static prefix func - (a: Tensor) throws -> Tensor { try neg(a) }
}
