/// Elementwise unary ops. Integer inputs are promoted to float32 for the
/// transcendental functions (as torch does); `neg`, `abs`, `relu`, `clamp` keep
/// integer dtypes.

/// The elementwise float functions, each applied by its own loop (as `BinaryKind`).
enum UnaryFunction {
    case neg, exp, log, sqrt, sin, cos, tanh, sigmoid, abs, sign, relu, leakyRelu(slope: Double), gelu, erf
    case floor, ceil, trunc, roundHalfEven
    /// Half to even at `decimals` places (before the point when negative): round(x·10ⁿ)/10ⁿ, as torch.
    case roundDecimals(Int)
}

/// Applies `f` elementwise to a float tensor (integers become float32), giving a new contiguous tensor (no graph).
func mapFloat(_ x: Tensor, _ f: UnaryFunction, op: String) throws -> Tensor {
    let src = try x.materialized(x.shape, x.dtype.isFloatingPoint ? x.dtype : .float32, op: op)
    let out = try Tensor.empty(src.shape, src.dtype, op: op)
    try withFloatType(src.dtype, op: op) { T in apply(f, src, out, T) }
    try Cancellation.check(op)
    return out
}

private func apply<T: GemmScalar>(_ f: UnaryFunction, _ x: Tensor, _ out: Tensor, _: T.Type) {
    let p = x.pointer(T.self), o = out.pointer(T.self)
    func loop(_ g: (T) -> T) { chunkedLoop(out.count) { r in for i in r { o[i] = g(p[i]) } } }
    switch f {
    case .neg: loop { -$0 }
    case .exp: loop(T.exp)
    case .log: loop(T.log)
    case .sqrt: loop(T.sqrt)
    case .sin: loop(T.sin)
    case .cos: loop(T.cos)
    case .tanh: loop(T.tanh)
    case .sigmoid: loop { 1 / (1 + T.exp(-$0)) }
    case .abs: loop { Swift.abs($0) }
    case .sign: loop { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
    case .relu: loop { $0 > 0 || $0.isNaN ? $0 : 0 } // NaN propagates, as in torch.relu
    case .leakyRelu(let slope):
        let s = T(slope)
        loop { $0 > 0 ? $0 : $0 * s }
    case .gelu:
        let r2 = T(geluScale)
        loop { 0.5 * $0 * (1 + T.erf($0 * r2)) }
    case .erf: loop(T.erf)
    case .floor: loop { $0.rounded(.down) }
    case .ceil: loop { $0.rounded(.up) }
    case .trunc: loop { $0.rounded(.towardZero) }
    case .roundHalfEven: loop { $0.rounded(.toNearestOrEven) }
    case .roundDecimals(let decimals):
        let scale = T(Double.pow(10, Double(Swift.abs(decimals))))
        if decimals > 0 { loop { ($0 * scale).rounded(.toNearestOrEven) / scale } }
        else { loop { ($0 / scale).rounded(.toNearestOrEven) * scale } }
    }
}

/// 1/√2, the scale inside GELU's erf.
private let geluScale: Double = 0.70710678118654752440

public func neg(_ x: Tensor) throws -> Tensor {
    let out: Tensor
    if x.dtype == .int64 {
        out = try x.materialized(x.shape, .int64, op: "neg").cloned()
        let p = out.pointer(Int64.self)
        for i in 0..<out.count { p[i] = 0 &- p[i] }
    } else if x.dtype == .bool {
        throw EngineError.invalid("neg", "x", "negation of a bool tensor is not supported; use `not`")
    } else {
        out = try mapFloat(x, .neg, op: "neg")
    }
    return out.recorded("Neg", inputs: [x]) { c in [try neg(c.gradOutput)] }
}

public func exp(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .exp, op: "exp").recorded("Exp", inputs: [x]) { c in
        [try mul(c.gradOutput, c.output)]
    }
}

public func log(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .log, op: "log").recorded("Log", inputs: [x]) { c in
        [try div(c.gradOutput, c.inputs[0])]
    }
}

public func sqrt(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .sqrt, op: "sqrt").recorded("Sqrt", inputs: [x]) { c in
        [try div(c.gradOutput, mul(c.output, Tensor.wrapped(2, dtype: .int64)))]
    }
}

public func sin(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .sin, op: "sin").recorded("Sin", inputs: [x]) { c in
        [try mul(c.gradOutput, cos(c.inputs[0]))]
    }
}

public func cos(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .cos, op: "cos").recorded("Cos", inputs: [x]) { c in
        [try neg(mul(c.gradOutput, sin(c.inputs[0])))]
    }
}

public func tanh(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .tanh, op: "tanh").recorded("Tanh", inputs: [x]) { c in
        // d tanh = 1 - tanh²
        let one = Tensor.wrapped(1, dtype: .int64)
        return [try mul(c.gradOutput, sub(one, mul(c.output, c.output)))]
    }
}

public func sigmoid(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .sigmoid, op: "sigmoid").recorded("Sigmoid", inputs: [x]) { c in
        let one = Tensor.wrapped(1, dtype: .int64)
        return [try mul(c.gradOutput, mul(c.output, sub(one, c.output)))]
    }
}

public func abs(_ x: Tensor) throws -> Tensor {
    let out: Tensor
    if x.dtype == .int64 || x.dtype == .bool {
        out = try x.contiguousData(op: "abs").cloned()
        if x.dtype == .int64 {
            let p = out.pointer(Int64.self)
            for i in 0..<out.count where p[i] < 0 { p[i] = 0 &- p[i] }
        }
    } else {
        out = try mapFloat(x, .abs, op: "abs")
    }
    return out.recorded("Abs", inputs: [x]) { c in [try mul(c.gradOutput, sign(c.inputs[0]))] }
}

/// -1, 0 or 1 (not differentiable: its gradient is zero almost everywhere).
public func sign(_ x: Tensor) throws -> Tensor {
    try mapFloat(x.detached(), .sign, op: "sign")
}

public func relu(_ x: Tensor) throws -> Tensor {
    let out = try mapFloat(x, .relu, op: "relu")
    return out.recorded("Relu", inputs: [x]) { c in [try reluGradient(c.gradOutput, output: c.output)] }
}

/// torch's threshold_backward: 0 where the output is <= 0, else the gradient (so a NaN
/// output passes it, an infinite gradient at x <= 0 gives 0). One pass (the incoming
/// gradient is often a broadcast of a sum's: made contiguous first); under
/// create_graph it is built from `where`, which is differentiable.
private func reluGradient(_ gradient: Tensor, output y: Tensor) throws -> Tensor {
    let zero = Tensor.wrapped(0, dtype: .int64)
    guard !GradMode.isEnabled, gradient.dtype == y.dtype, gradient.shape == y.shape, y.isContiguous else {
        return try `where`(le(y, zero), zerosLike(gradient), gradient)
    }
    let g = try gradient.contiguousData(op: "relu")
    let out = try Tensor.empty(g.shape, g.dtype, op: "relu")
    func run<T: GemmScalar>(_: T.Type) {
        let pg = g.pointer(T.self), py = y.pointer(T.self), po = out.pointer(T.self)
        chunkedLoop(out.count) { r in for i in r { po[i] = py[i] <= 0 ? 0 : pg[i] } }
    }
    try withFloatType(g.dtype, op: "relu") { T in run(T) }
    try Cancellation.check("relu")
    return out
}

public func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
    let out = try mapFloat(x, .leakyRelu(slope: negativeSlope), op: "leaky_relu")
    return out.recorded("LeakyRelu", inputs: [x], attributes: [("negative_slope", "\(negativeSlope)")]) { c in
        let positive = try gt(c.inputs[0], Tensor.wrapped(0, dtype: .int64))
        let slope = try `where`(positive, onesLike(c.gradOutput), full(c.gradOutput.shape, negativeSlope, dtype: c.gradOutput.dtype))
        return [try mul(c.gradOutput, slope)]
    }
}

/// GELU with the exact erf form (PyTorch's default, approximate='none').
public func gelu(_ x: Tensor) throws -> Tensor {
    let out = try mapFloat(x, .gelu, op: "gelu")
    return out.recorded("Gelu", inputs: [x]) { c in
        let x = c.inputs[0]
        // d/dx = Φ(x) + x φ(x), with Φ(x) = (1 + erf(x/√2))/2 and φ(x) = exp(-x²/2)/√(2π)
        let cdf = try mul(add(erf(mul(x, Tensor.wrapped(geluScale, dtype: .float64))), Tensor.wrapped(1, dtype: .int64)),
                          Tensor.wrapped(0.5, dtype: .float64))
        let pdf = try mul(exp(mul(mul(x, x), Tensor.wrapped(-0.5, dtype: .float64))),
                          Tensor.wrapped(0.39894228040143267794, dtype: .float64))
        return [try mul(c.gradOutput, add(cdf, mul(x, pdf)))]
    }
}

/// The error function (used by GELU's gradient).
public func erf(_ x: Tensor) throws -> Tensor {
    try mapFloat(x, .erf, op: "erf").recorded("Erf", inputs: [x]) { c in
        // d erf = 2/√π exp(-x²)
        let x = c.inputs[0]
        let e = try exp(neg(mul(x, x)))
        return [try mul(c.gradOutput, mul(e, Tensor.wrapped(1.12837916709551257390, dtype: .float64)))]
    }
}

/// Clamps to [min, max] (either may be nil). The gradient passes strictly inside the bounds
/// (min < x < max) and is 0 at a bound, as in PyTorch 2.15: `clamp(x, 0.5, 1)` at x = 0.5 or 1
/// has gradient 0, and so does every x when min >= max.
public func clamp(_ x: Tensor, min lo: Double? = nil, max hi: Double? = nil) throws -> Tensor {
    guard lo != nil || hi != nil else {
        throw EngineError.invalid("clamp", "min", "at least one of min and max must be given")
    }
    var out = x.detached()
    if let lo { out = try binaryForward(.maximum, out, .wrapped(lo, dtype: .float64)) }
    if let hi { out = try binaryForward(.minimum, out, .wrapped(hi, dtype: .float64)) }
    var attributes: [(String, String)] = []
    if let lo { attributes.append(("min", "\(lo)")) }
    if let hi { attributes.append(("max", "\(hi)")) }
    return out.recorded("Clamp", inputs: [x], attributes: attributes) { c in
        let x = c.inputs[0]
        var inside = try onesLike(x, dtype: .bool)
        if let lo { inside = try logicalAnd(inside, gt(x, .wrapped(lo, dtype: .float64))) }
        if let hi { inside = try logicalAnd(inside, lt(x, .wrapped(hi, dtype: .float64))) }
        return [try `where`(inside, c.gradOutput, zerosLike(c.gradOutput))]
    }
}

/// Elementwise select: `cond ? a : b`, broadcasting all three. Differentiable in a and b.
public func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try ShapeMath.broadcast(try ShapeMath.broadcast(cond.shape, a.shape, op: "where"), b.shape, op: "where")
    let dtype = resultType([a, b])
    let c = try cond.materialized(shape, .bool, op: "where")
    let x = try a.materialized(shape, dtype, op: "where"), y = try b.materialized(shape, dtype, op: "where")
    let out = try Tensor.empty(shape, dtype, op: "where")
    let pc = c.pointer(Bool.self), n = out.count
    switch dtype.itemSize {
    case 8:
        let px = x.pointer(UInt64.self), py = y.pointer(UInt64.self), po = out.pointer(UInt64.self)
        for i in 0..<n { po[i] = pc[i] ? px[i] : py[i] }
    case 4:
        let px = x.pointer(UInt32.self), py = y.pointer(UInt32.self), po = out.pointer(UInt32.self)
        for i in 0..<n { po[i] = pc[i] ? px[i] : py[i] }
    default:
        let px = x.pointer(UInt8.self), py = y.pointer(UInt8.self), po = out.pointer(UInt8.self)
        for i in 0..<n { po[i] = pc[i] ? px[i] : py[i] }
    }
    return out.recorded("Where", inputs: [a, b], saving: [cond]) { ctx in
        let zero = try zerosLike(ctx.gradOutput)
        let a = ctx.inputs[0], b = ctx.inputs[1]
        return [ctx.needsGrad[0] ? try sumToShape(`where`(c, ctx.gradOutput, zero), a.shape, dtype: a.dtype) : nil,
                ctx.needsGrad[1] ? try sumToShape(`where`(c, zero, ctx.gradOutput), b.shape, dtype: b.dtype) : nil]
    }
}
