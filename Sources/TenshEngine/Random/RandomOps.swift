/// Random tensors: `rand`, `randn`, `randint`, `randLike`, `randnLike`.
/// With `seed:` a call uses a fresh generator (same numbers on every machine);
/// without, it draws from the process-wide `RandomGenerator.shared`.
///
/// Stream layout (what random.py mirrors): element i of
/// - `rand` f32 is word i (block i/4, lane i%4) → top 24 bits / 2^24;
/// - `rand` f64 is words 2i, 2i+1 → 53 bits / 2^53;
/// - `randn` elements 2j, 2j+1 are the Box–Muller pair of block j;
/// - `randint` is words 2i, 2i+1 as a 64-bit value mod (high - low), plus low.

private func requireFloatDType(_ dtype: DType, _ op: String) throws {
    guard dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "dtype", "\(op) needs a floating point dtype (f32 or f64), got \(dtype)")
    }
}

/// Runs `write(k, words)` for the `blocks` blocks reserved from `generator`, over threads.
/// `write` must only touch the elements of block k. Stops early on Ctrl-C (the caller
/// then checks `Cancellation`); the blocks stay reserved, so the stream does not repeat.
func generateBlocks(_ blocks: Int, _ generator: RandomGenerator,
                    _ write: (Int, (UInt32, UInt32, UInt32, UInt32)) -> Void) {
    let (philox, first) = generator.reserve(blocks)
    let chunk = 1 << 14
    let chunks = (blocks + chunk - 1) / chunk
    parallelFor(chunks) { c in
        if Cancellation.isRequested { return }
        let end = Swift.min(blocks, (c + 1) * chunk)
        for k in (c * chunk)..<end { write(k, philox.block(first &+ UInt64(k))) }
    }
}

/// Uniform values in [0, 1), like `torch.rand`.
public func rand(_ shape: [Int], dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    try requireFloatDType(dtype, "rand")
    let out = try Tensor.empty(shape, dtype, op: "rand")
    let n = out.count, gen = RandomGenerator.forCall(seed: seed)
    // The stream layout differs by dtype (see the top of this file): a float per word, a double per word pair.
    switch dtype {
    case .float32:
        let p = out.pointer(Float.self)
        generateBlocks((n + 3) / 4, gen) { k, w in
            let i = k * 4
            p[i] = RandomBits.unitFloat(w.0)
            if i + 1 < n { p[i + 1] = RandomBits.unitFloat(w.1) }
            if i + 2 < n { p[i + 2] = RandomBits.unitFloat(w.2) }
            if i + 3 < n { p[i + 3] = RandomBits.unitFloat(w.3) }
        }
    case .float64:
        let p = out.pointer(Double.self)
        generateBlocks((n + 1) / 2, gen) { k, w in
            p[2 * k] = RandomBits.unitDouble(w.0, w.1)
            if 2 * k + 1 < n { p[2 * k + 1] = RandomBits.unitDouble(w.2, w.3) }
        }
    case .int64, .bool: break // refused above
    }
    try Cancellation.check("rand")
    return out
}

/// Standard normal values (mean 0, variance 1), like `torch.randn`.
public func randn(_ shape: [Int], dtype: DType = .float32, seed: UInt64? = nil) throws -> Tensor {
    try requireFloatDType(dtype, "randn")
    let out = try Tensor.empty(shape, dtype, op: "randn")
    let n = out.count, gen = RandomGenerator.forCall(seed: seed)
    func fill<T: GemmScalar>(_: T.Type) {
        let p = out.pointer(T.self)
        generateBlocks((n + 1) / 2, gen) { k, w in
            let (z0, z1) = RandomBits.normalPair(w)
            p[2 * k] = T(z0)
            if 2 * k + 1 < n { p[2 * k + 1] = T(z1) }
        }
    }
    try withFloatType(dtype, op: "randn") { T in fill(T) }
    try Cancellation.check("randn")
    return out
}

/// Integers uniform in [low, high), like `torch.randint` (int64 unless `dtype` says otherwise).
public func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64, seed: UInt64? = nil) throws -> Tensor {
    guard high > low else {
        throw EngineError.invalid("randint", "high", "high (\(high)) must be greater than low (\(low))")
    }
    guard dtype != .bool else {
        throw EngineError.invalid("randint", "dtype", "randint cannot make bool tensors; use rand(...) < p")
    }
    let (width, overflow) = high.subtractingReportingOverflow(low)
    guard !overflow else {
        throw EngineError.invalid("randint", "high", "the range [\(low), \(high)) is too wide")
    }
    let values = try Tensor.empty(shape, .int64, op: "randint")
    let n = values.count, range = UInt64(width)
    let p = values.pointer(Int64.self), base = Int64(low)
    generateBlocks((n + 1) / 2, RandomGenerator.forCall(seed: seed)) { k, w in
        // The modulo bias is at most range / 2^64: negligible for any tensor size.
        p[2 * k] = base &+ Int64(RandomBits.word64(w.0, w.1) % range)
        if 2 * k + 1 < n { p[2 * k + 1] = base &+ Int64(RandomBits.word64(w.2, w.3) % range) }
    }
    try Cancellation.check("randint")
    return try values.to(dtype)
}

/// `rand` with the shape (and by default the dtype) of `x`.
public func randLike(_ x: Tensor, dtype: DType? = nil, seed: UInt64? = nil) throws -> Tensor {
    try rand(x.shape, dtype: dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .float32), seed: seed)
}

/// `randn` with the shape (and by default the dtype) of `x`.
public func randnLike(_ x: Tensor, dtype: DType? = nil, seed: UInt64? = nil) throws -> Tensor {
    try randn(x.shape, dtype: dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .float32), seed: seed)
}
