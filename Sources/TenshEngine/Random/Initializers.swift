import TenshText

/// Weight initialisers with PyTorch's fan computation: for a weight of shape
/// `[fanOutDim, fanInDim, k...]` (linear `[out, in]`, conv `[Cout, Cin/groups, kh, kw]`)
/// fan_in = shape[1] · Π k and fan_out = shape[0] · Π k.

/// (fan_in, fan_out) of a weight shape, like `torch.nn.init._calculate_fan_in_and_fan_out`.
func fans(_ shape: [Int], op: String) throws -> (fanIn: Int, fanOut: Int) {
    guard shape.count >= 2 else {
        throw EngineError.invalid(op, "size", "fan in and fan out cannot be computed for a shape with fewer than 2 dimensions, got \(shapeText(shape))")
    }
    let count = try ShapeMath.count(shape, op: op) // rejects negative sizes and overflow, so the products below fit
    // Checked here so that a too-large weight is reported by the initialiser, not by the rand it calls.
    guard count <= EngineConfig.maxTensorBytes / 8 else {
        throw EngineError(.resourceLimit, op: op, argument: "size",
            "a weight of shape \(shapeText(shape)) (\(count) elements) exceeds the allocation limit of \(EngineConfig.maxTensorBytes) bytes")
    }
    let receptive = try ShapeMath.count(Array(shape[2...]), op: op)
    return (shape[1] * receptive, shape[0] * receptive)
}

/// Kaiming/He normal (fan_in mode, gain √2 for ReLU): N(0, 2 / fan_in), like
/// `torch.nn.init.kaiming_normal_(w, nonlinearity="relu")`.
public func heNormal(_ shape: [Int], dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    let (fanIn, _) = try fans(shape, op: "he_normal")
    guard fanIn > 0 else {
        throw EngineError.invalid("he_normal", "size", "fan_in is 0 for shape \(shapeText(shape))")
    }
    let std = (2.0 / Double(fanIn)).squareRoot()
    return try GradMode.noGrad { try mul(randn(shape, dtype: dtype, seed: seed), .wrapped(std, dtype: .float64)) }
}

/// Xavier/Glorot uniform (gain 1): U(-a, a) with a = √(6 / (fan_in + fan_out)), like
/// `torch.nn.init.xavier_uniform_`.
public func xavierUniform(_ shape: [Int], dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    let (fanIn, fanOut) = try fans(shape, op: "xavier_uniform")
    guard fanIn > 0 || fanOut > 0 else {
        throw EngineError.invalid("xavier_uniform", "size", "fan_in + fan_out is 0 for shape \(shapeText(shape))")
    }
    let a = (6.0 / (Double(fanIn) + Double(fanOut))).squareRoot() // Int sum could overflow
    return try GradMode.noGrad {
        let u = try rand(shape, dtype: dtype, seed: seed)
        return try sub(mul(u, .wrapped(2 * a, dtype: .float64)), .wrapped(a, dtype: .float64))
    }
}
