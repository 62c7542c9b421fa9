import TenshText

/// The initialisation PyTorch's layers give themselves in `reset_parameters`
/// (nn.Linear, nn.ConvNd): weights by `kaiming_uniform_(w, a=√5)`, biases from
/// U(-1/√fan_in, 1/√fan_in). The values come from tensh's generator (seeded by
/// `manual_seed`), not torch's.

/// `torch.nn.init.kaiming_uniform_(w, a=a)` (fan_in mode, leaky_relu gain):
/// U(-b, b) with b = gain · √(3 / fan_in), gain = √(2 / (1 + a²)).
public func kaimingUniform(_ shape: [Int], a: Double = 5.0.squareRoot(), dtype: DType = .float32,
                           seed: UInt64? = nil) throws -> Tensor {
    let (fanIn, _) = try fans(shape, op: "kaiming_uniform")
    guard fanIn > 0 else {
        throw EngineError.invalid("kaiming_uniform", "shape", "fan_in is 0 for shape \(shapeText(shape))")
    }
    let gain = (2.0 / (1 + a * a)).squareRoot()
    let bound = gain * (3.0 / Double(fanIn)).squareRoot()
    return try uniform(shape, low: -bound, high: bound, dtype: dtype, seed: seed)
}

/// The bias of a layer whose weight has shape `weightShape`: U(-1/√fan_in, 1/√fan_in)
/// (zeros when fan_in is 0, where PyTorch leaves the bound at 0).
public func layerBias(_ count: Int, weightShape: [Int], dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    let (fanIn, _) = try fans(weightShape, op: "bias")
    let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
    return try uniform([count], low: -bound, high: bound, dtype: dtype, seed: seed)
}

/// U(low, high) as `torch.Tensor.uniform_`: low + (high - low) · u with u from `rand`.
public func uniform(_ shape: [Int], low: Double, high: Double, dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    try GradMode.noGrad {
        let u = try rand(shape, dtype: dtype, seed: seed)
        return try add(mul(u, .wrapped(high - low, dtype: .float64)), .wrapped(low, dtype: .float64))
    }
}
