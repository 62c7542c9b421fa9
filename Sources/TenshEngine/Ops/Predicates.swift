import TenshText

/// Tests on values: `isnan`, `isinf` (elementwise, bool), and `allclose`,
/// `equal` (one answer for whole tensors), as in torch.

/// True where x is NaN (never for integer and bool tensors).
public func isnan(_ x: Tensor) throws -> Tensor {
    try classified(x, "isnan") { $0.isNaN }
}

/// True where x is +inf or -inf (never for integer and bool tensors).
public func isinf(_ x: Tensor) throws -> Tensor {
    try classified(x, "isinf") { $0.isInfinite }
}

private func classified(_ x: Tensor, _ op: String, _ test: (Double) -> Bool) throws -> Tensor {
    guard x.dtype.isFloatingPoint else { return try Tensor(zeros: x.shape, dtype: .bool, op: op) }
    let src = try x.detached().materialized(x.shape, x.dtype, op: op)
    let out = try Tensor.empty(x.shape, .bool, op: op)
    try withFloatType(x.dtype, op: op) { T in classify(src, into: out, T, test) }
    return out
}

/// Widening to Double keeps NaN and the infinities, so one test serves both float types.
private func classify<T: TensorFloat>(_ src: Tensor, into out: Tensor, _: T.Type, _ test: (Double) -> Bool) {
    let p = src.pointer(T.self), o = out.pointer(Bool.self)
    for i in 0..<out.count { o[i] = test(Double(p[i])) }
}

/// Whether |a - b| <= atol + rtol·|b| for every pair of elements (broadcasting),
/// infinities equal only to themselves, NaN equal to NaN only with `equalNaN`.
/// Unlike torch, a and b may have different dtypes (compared as float64).
public func allclose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) throws -> Bool {
    let shape = try ShapeMath.broadcast(a.shape, b.shape, op: "allclose")
    let x = try a.detached().materialized(shape, .float64, op: "allclose").toDoubles()
    let y = try b.detached().materialized(shape, .float64, op: "allclose").toDoubles()
    return zip(x, y).allSatisfy { u, v in
        if u == v { return true }
        if u.isNaN || v.isNaN { return equalNaN && u.isNaN && v.isNaN }
        if !u.isFinite || !v.isFinite { return false }
        return Swift.abs(u - v) <= atol + rtol * Swift.abs(v)
    }
}

/// Whether a and b have the same shape and equal elements (NaN is never equal).
public func equal(_ a: Tensor, _ b: Tensor) throws -> Bool {
    guard a.shape == b.shape else { return false }
    if a.dtype == .int64 && b.dtype == .int64 { // exact: float64 would merge values above 2^53
        let x = try a.detached().materialized(a.shape, .int64, op: "equal")
        let y = try b.detached().materialized(b.shape, .int64, op: "equal")
        let px = x.pointer(Int64.self), py = y.pointer(Int64.self)
        return (0..<x.count).allSatisfy { px[$0] == py[$0] }
    }
    return zip(a.toDoubles(), b.toDoubles()).allSatisfy { $0 == $1 }
}
