/// Tensor creation: `zeros`, `ones`, `full`, `arange`, `linspace`, `eye`, `*_like`.

/// A tensor of `shape` filled with `value`.
public func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws -> Tensor {
    let t = try Tensor.empty(shape, dtype, op: "full")
    fill(t, value)
    return t
}

public func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
    try Tensor(zeros: shape, dtype: dtype)
}

public func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
    try full(shape, 1, dtype: dtype)
}

public func zerosLike(_ x: Tensor, dtype: DType? = nil) throws -> Tensor {
    try Tensor(zeros: x.shape, dtype: dtype ?? x.dtype)
}

public func onesLike(_ x: Tensor, dtype: DType? = nil) throws -> Tensor {
    try full(x.shape, 1, dtype: dtype ?? x.dtype)
}

/// Values from `start` up to (not including) `end` in steps of `step`, like `torch.arange`.
public func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32) throws -> Tensor {
    guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
        throw EngineError.invalid("arange", "step", "step must be finite and non-zero (start=\(start), end=\(end), step=\(step))")
    }
    guard (end - start) / step >= 0 else {
        throw EngineError.invalid("arange", "step", "step \(step) moves away from end (start=\(start), end=\(end))")
    }
    let n = ((end - start) / step).rounded(.up)
    guard n < Double(Int.max / 16) else {
        throw EngineError(.resourceLimit, op: "arange", argument: "end", "\(n) elements is too many")
    }
    let count = Int(n)
    return try generated(count, dtype, op: "arange") { start + Double($0) * step }
}

/// `steps` evenly spaced values from `start` to `end` inclusive, like `torch.linspace`.
public func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) throws -> Tensor {
    guard steps >= 0 else { throw EngineError.invalid("linspace", "steps", "steps must be non-negative, got \(steps)") }
    if steps == 1 { return try Tensor([start], shape: [1], dtype: dtype) }
    let step = steps > 1 ? (end - start) / Double(steps - 1) : 0
    // torch fills the first half from start and the second half from end, for symmetry.
    let half = steps / 2
    return try generated(steps, dtype, op: "linspace") { i in
        i < half ? start + step * Double(i) : end - step * Double(steps - 1 - i)
    }
}

/// A 1-d tensor with element i = `value(i)`. The tensor is allocated first, so a
/// huge count is an allocation-limit error rather than a huge temporary array.
private func generated(_ count: Int, _ dtype: DType, op: String, _ value: (Int) -> Double) throws -> Tensor {
    let t = try Tensor.empty([count], dtype, op: op)
    withElementType(dtype) { T in writeEach(t, T, value) }
    return t
}

/// Writes element i of the 1-d `t` (any stride) as `value(i)`.
private func writeEach<T: Element>(_ t: Tensor, _: T.Type, _ value: (Int) -> Double) {
    let p = t.pointer(T.self), step = t.strides[0]
    for i in 0..<t.count { p[i &* step] = T(fromDouble: value(i)) }
}

/// The n×m identity matrix.
public func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
    let m = m ?? n
    let t = try Tensor(zeros: [n, m], dtype: dtype, op: "eye")
    // Only the diagonal is written: no temporary array as large as the matrix.
    let diagonal = t.aliased(shape: [min(n, m)], strides: [m &+ 1], offset: 0) // unused when empty (m may be Int.max)
    withElementType(dtype) { T in writeEach(diagonal, T) { _ in 1 } }
    return t
}

/// Writes `value` into every element of the contiguous `t`.
func fill(_ t: Tensor, _ value: Double) {
    func run<T: Element>(_: T.Type) { t.pointer(T.self).update(repeating: T(fromDouble: value), count: t.count) }
    withElementType(t.dtype) { T in run(T) }
}
