import TenshText

/// Integer results about where and how often values occur: `nonzero`, `oneHot`,
/// `bincount` (torch.nonzero, F.one_hot, torch.bincount). Not differentiable.

/// The coordinates of the non-zero (true, NaN) elements, one row each in
/// row-major order: an int64 tensor of shape [count, rank].
public func nonzero(_ x: Tensor) throws -> Tensor {
    if x.rank == 0 {
        let hit = try x.detached().to(.bool).toDoubles()[0] != 0
        return try Tensor(zeros: [hit ? 1 : 0, 0], dtype: .int64, op: "nonzero")
    }
    let coordinates = try nonzeroCoordinates(x)
    let n = coordinates.first?.count ?? 0
    let out = try Tensor.empty([n, x.rank], .int64, op: "nonzero")
    let p = out.pointer(Int64.self)
    for (d, column) in coordinates.enumerated() {
        for (i, c) in column.enumerated() { p[i * x.rank + d] = Int64(c) }
    }
    return out
}

/// Each int64 class index as a row of `numClasses` zeros with a 1 at the index
/// (shape x.shape + [numClasses]); `numClasses` -1 means max(x) + 1.
public func oneHot(_ x: Tensor, numClasses: Int = -1) throws -> Tensor {
    let op = "one_hot"
    guard x.dtype == .int64 else {
        throw EngineError.invalid(op, "x", "one_hot is only applicable to int64 index tensors, got \(x.dtype) (shape \(shapeText(x.shape)))")
    }
    let values = x.toInt64s()
    if let low = values.min(), low < 0 { throw EngineError.invalid(op, "x", "class values must be non-negative (found \(low))") }
    var classes = numClasses
    if classes == -1 {
        guard let high = values.max() else {
            throw EngineError.invalid(op, "num_classes", "cannot infer the number of classes from an empty tensor; pass num_classes")
        }
        guard high < Int64.max else { throw EngineError(.resourceLimit, op: op, argument: "x", "class value \(high) is too large") }
        classes = Int(high) + 1
    }
    guard classes >= 0 else { throw EngineError.invalid(op, "num_classes", "num_classes must be -1 or non-negative, got \(numClasses)") }
    if let high = values.max(), high >= classes {
        throw EngineError.invalid(op, "x", "class values must be smaller than num_classes (\(classes)), found \(high)")
    }
    let out = try Tensor(zeros: x.shape + [classes], dtype: .int64, op: op)
    let p = out.pointer(Int64.self)
    for (i, v) in values.enumerated() { p[i * classes + Int(v)] = 1 }
    return out
}

/// How often each value 0, 1, ... occurs in the 1-d non-negative int64 `x`
/// (length max(x) + 1, at least `minlength`); with `weights`, the sum of the
/// weights of each value's occurrences instead (in the weights' float dtype, float64 for int weights).
public func bincount(_ x: Tensor, weights: Tensor? = nil, minlength: Int = 0) throws -> Tensor {
    let op = "bincount"
    let values = x.toInt64s()
    guard x.dtype == .int64, x.rank == 1, !values.contains(where: { $0 < 0 }) else {
        throw EngineError.invalid(op, "x", "bincount only supports 1-d non-negative int64 inputs, got \(x.dtype) of shape \(shapeText(x.shape))")
    }
    guard minlength >= 0 else { throw EngineError.invalid(op, "minlength", "minlength should be >= 0, got \(minlength)") }
    if let w = weights, w.rank != 1 || w.count != x.count {
        throw EngineError.invalid(op, "weights", "weights should be 1-d and have the same length as input (\(x.count)), got shape \(shapeText(w.shape))")
    }
    if let high = values.max(), high == Int64.max {
        throw EngineError(.resourceLimit, op: op, argument: "x", "value \(high) is too large to count")
    }
    let length = Swift.max(values.max().map { Int($0) + 1 } ?? 0, minlength)
    guard let weights else {
        let out = try Tensor(zeros: [length], dtype: .int64, op: op)
        let p = out.pointer(Int64.self)
        for v in values { p[Int(v)] += 1 }
        return out
    }
    let dtype: DType = weights.dtype == .float32 ? .float32 : .float64
    let out = try Tensor(zeros: [length], dtype: .float64, op: op)
    let p = out.pointer(Double.self)
    for (v, w) in zip(values, weights.toDoubles()) { p[Int(v)] += w }
    return try out.to(dtype)
}
