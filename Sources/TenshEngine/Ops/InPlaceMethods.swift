import TenshText

/// PyTorch's in-place methods (`zero_`, `fill_`, `add_`, `mul_`, `clamp_`, `copy_`),
/// each the out-of-place op written back into the tensor by `modifyInPlace`
/// (InPlace.swift has the rules: leaves, views, versions, history).

/// Sets every element to 0 (`x.zero_()`).
public func zeroInPlace(_ x: Tensor) throws {
    try fillInPlace(x, .wrapped(0, dtype: .int64), op: "zero_")
}

/// Sets every element to `value`, a number or a 0-d tensor (`x.fill_(v)`);
/// differentiable in a 0-d tensor value (its gradient is the sum of x's).
public func fillInPlace(_ x: Tensor, _ value: Tensor) throws {
    try fillInPlace(x, value, op: "fill_")
}

private func fillInPlace(_ x: Tensor, _ value: Tensor, op: String) throws {
    guard value.rank == 0 else {
        throw EngineError.invalid(op, "value", "fill_ only supports a 0-d value tensor, got shape \(shapeText(value.shape))")
    }
    try modifyInPlace(x, op: op, others: [value]) { _ in
        try value.to(x.dtype).expanded(x.shape)
    }
}

/// `x += y` in place, broadcasting y to x's shape (`x.add_(y)`).
public func addInPlace(_ x: Tensor, _ y: Tensor) throws {
    try checkInPlaceOperand(x, y, op: "add_")
    try modifyInPlace(x, op: "add_", others: [y]) { old in try add(old, y) }
}

/// `x *= y` in place, broadcasting y to x's shape (`x.mul_(y)`).
public func mulInPlace(_ x: Tensor, _ y: Tensor) throws {
    try checkInPlaceOperand(x, y, op: "mul_")
    try modifyInPlace(x, op: "mul_", others: [y]) { old in try mul(old, y) }
}

/// Clamps x's elements to [min, max] in place (`x.clamp_(min, max)`); the gradient is `clamp`'s.
public func clampInPlace(_ x: Tensor, min lo: Double? = nil, max hi: Double? = nil) throws {
    let bounds = [lo, hi].compactMap { $0 }.map { Tensor.wrapped($0, dtype: .float64) }
    for b in bounds { try checkInPlaceOperand(x, b, op: "clamp_") }
    try modifyInPlace(x, op: "clamp_") { old in try clamp(old, min: lo, max: hi) }
}

/// Copies `source` into `x`'s elements, broadcast to x's shape and converted to
/// its dtype (`x.copy_(source)`); differentiable in both (x's old values get no gradient).
public func copyInPlace(into x: Tensor, from source: Tensor) throws {
    try copyInPlace(into: x, from: source, op: "copy_")
}

/// `copyInPlace` reporting errors as `op` (index assignment is a copy into a view).
func copyInPlace(into x: Tensor, from source: Tensor, op: String) throws {
    guard (try? ShapeMath.broadcast(x.shape, source.shape, op: op)) == x.shape else {
        throw EngineError.invalid(op, op == "copy_" ? "src" : "value", "shape mismatch: value tensor of shape \(shapeText(source.shape)) cannot be broadcast to indexing result of shape \(shapeText(x.shape))")
    }
    try modifyInPlace(x, op: op, others: [source]) { _ in
        try source.to(x.dtype).expanded(x.shape)
    }
}

/// An operand of an in-place arithmetic op must broadcast to x's shape, and the
/// result type must convert back to x's dtype (no float into an integer tensor), as in torch.
func checkInPlaceOperand(_ x: Tensor, _ y: Tensor, op: String) throws {
    let shape = try ShapeMath.broadcast(x.shape, y.shape, op: op)
    guard shape == x.shape else {
        throw EngineError.invalid(op, "y", "output with shape \(shapeText(x.shape)) doesn't match the broadcast shape \(shapeText(shape))")
    }
    let result = resultType([x, y])
    guard result.category <= x.dtype.category else {
        throw EngineError.invalid(op, "y", "result type \(result) can't be cast to the desired output type \(x.dtype)")
    }
}

/// `x op= y` in place for an elementwise binary op `f` (`sub_`, `div_`,
/// `floor_divide_`, `remainder_`, `pow_`): y broadcasts to x's shape, and the
/// op's result type must convert back to x's dtype (`i /= 2` on an int64
/// tensor is an error, as in torch).
public func binaryInPlace(_ x: Tensor, _ y: Tensor, op: String, _ f: (Tensor, Tensor) throws -> Tensor) throws {
    try checkInPlaceOperand(x, y, op: op)
    try modifyInPlace(x, op: op, others: [y]) { old in
        let result = try f(old, y)
        guard result.dtype.category <= x.dtype.category else {
            throw EngineError.invalid(op, "y", "result type \(result.dtype) can't be cast to the desired output type \(x.dtype)")
        }
        return result
    }
}
