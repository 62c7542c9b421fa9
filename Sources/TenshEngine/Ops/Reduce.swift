import TenshText

/// Reductions over dimensions: `sum`, `mean`. Float sums accumulate in Double
/// so float32 results stay within a few ulps of PyTorch's pairwise sums.

/// Normalised, sorted, de-duplicated reduction dims (all dims when `dims` is nil or empty).
func reductionDims(_ dims: [Int]?, rank: Int, op: String) throws -> [Int] {
    guard let dims, !dims.isEmpty else { return rank < everyDim.count ? everyDim[rank] : Array(0..<rank) }
    let normalised = try dims.map { try ShapeMath.dim($0, rank: rank, op: op) }
    if rank == 0 { return [] } // dim 0 / -1 of a 0-d tensor: nothing to reduce, as in torch
    let unique = Array(Set(normalised)).sorted()
    guard unique.count == normalised.count else {
        throw EngineError.invalid(op, "dim", "dimension \(dims) appears more than once")
    }
    return unique
}

/// `Array(0..<rank)` for the small ranks, made once: a reduction of every
/// element (`x.sum()`) shares it instead of allocating its list.
private let everyDim: [[Int]] = (0...8).map { Array(0..<$0) }

/// Shape after reducing `dims` (kept as size 1 when `keepdim`).
func reducedShape(_ shape: [Int], _ dims: [Int], keepdim: Bool) -> [Int] {
    var out: [Int] = []
    for (i, d) in shape.enumerated() {
        if dims.contains(i) { if keepdim { out.append(1) } } else { out.append(d) }
    }
    return out
}

/// Sums `x` over `dims` into a new tensor (no graph). Integer and bool sums give int64.
func sumForward(_ x: Tensor, _ dims: [Int], keepdim: Bool, op: String) throws -> Tensor {
    if dims.count == x.rank && x.dtype.isFloatingPoint {
        // Every element into one: no kept shape, output strides or alias to build.
        let out = try Tensor(zeros: keepdim ? [Int](repeating: 1, count: x.rank) : [], dtype: x.dtype, op: op)
        try withFloatType(x.dtype, op: op) { T in accumulate(x, out, [], T) }
        try Cancellation.check(op)
        return out
    }
    let outDType: DType = x.dtype.isFloatingPoint ? x.dtype : .int64
    let keptShape = reducedShape(x.shape, dims, keepdim: true)
    let out = try Tensor(zeros: keptShape, dtype: outDType, op: op)
    // Walk x with the output's strides set to 0 along reduced dims.
    var outStrides = out.strides
    for d in dims { outStrides[d] = 0 }
    switch x.dtype {
    case .float32, .float64: try withFloatType(x.dtype, op: op) { T in accumulate(x, out, outStrides, T) }
    case .int64: accumulateInt(x, Int64.self, out, outStrides) { $0 }
    case .bool: accumulateInt(x, Bool.self, out, outStrides) { $0 ? 1 : 0 }
    }
    try Cancellation.check(op) // the walks stop early on Ctrl-C
    return out.aliased(shape: reducedShape(x.shape, dims, keepdim: keepdim),
                       strides: ShapeMath.contiguousStrides(reducedShape(x.shape, dims, keepdim: keepdim)), offset: 0)
}

private func accumulate<T: GemmScalar>(_ x: Tensor, _ out: Tensor, _ outStrides: [Int], _: T.Type) {
    let px = x.pointer(T.self), po = out.pointer(T.self)
    if out.count == 1 && x.isContiguous {
        var s = 0.0
        chunkedLoop(x.count) { r in s += contiguousSum(px + r.lowerBound, r.count) }
        po[0] = T(s)
        return
    }
    if out.count == 1 {
        var s = 0.0
        forEachOffset(x.shape, x.strides, cancellable: true) { s += Double(px[$0]) }
        po[0] = T(s)
        return
    }
    var acc = [Double](repeating: 0, count: out.count)
    acc.withUnsafeMutableBufferPointer { a in
        guard let base = a.baseAddress else { return }
        if x.isContiguous {
            accumulateRuns(px, x.shape, outStrides, into: base)
        } else {
            forEachOffset2(x.shape, x.strides, outStrides, cancellable: true) { xo, oo in a[oo] += Double(px[xo]) }
        }
    }
    for i in 0..<out.count { po[i] = T(acc[i]) }
}

/// acc[o] += x for contiguous x, with `outStrides` 0 along the reduced dims. The
/// dims merge into alternating runs of reduced and kept dims; x is walked in
/// blocks of the innermost run: a reduced run is one vectorised sum (the bias
/// gradient's H·W plane), a kept run adds a whole row into acc. An element-by-element
/// walk would add every element into the same accumulator in memory, one at a time.
private func accumulateRuns<T: GemmScalar>(_ px: UnsafeMutablePointer<T>, _ shape: [Int], _ outStrides: [Int],
                                           into acc: UnsafeMutablePointer<Double>) {
    var sizes: [Int] = [], strides: [Int] = []
    for (d, n) in shape.enumerated() where n != 1 {
        if let last = strides.last, (last == 0) == (outStrides[d] == 0) {
            sizes[sizes.count - 1] &*= n
            strides[strides.count - 1] = outStrides[d]
        } else {
            sizes.append(n)
            strides.append(outStrides[d])
        }
    }
    let inner = sizes.popLast() ?? 1, innerReduced = (strides.popLast() ?? 0) == 0
    let total = shape.reduce(1, &*)
    var index = [Int](repeating: 0, count: sizes.count)
    var xo = 0, oo = 0, sinceCheck = 0
    while xo < total {
        if innerReduced {
            var s = 0.0
            chunkedLoop(inner) { r in s += contiguousSum(px + (xo &+ r.lowerBound), r.count) }
            acc[oo] += s
        } else {
            for j in 0..<inner { acc[oo &+ j] += Double(px[xo &+ j]) }
        }
        xo &+= inner
        sinceCheck &+= inner
        if sinceCheck >= cancellationChunk {
            if Cancellation.isRequested { return }
            sinceCheck = 0
        }
        // Next block: advance the odometer over the outer runs.
        var d = sizes.count - 1
        while d >= 0 {
            index[d] &+= 1
            oo &+= strides[d]
            if index[d] < sizes[d] { break }
            oo &-= sizes[d] &* strides[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// Exact wrapping int64 sums, as torch (a detour through Double would round above 2^53
/// and trap converting 2^63 back).
/// Σ p[0..<n] in Double with four independent SIMD accumulators: one serial
/// chain of scalar adds is latency-bound (~1 ns per element); this is ~10x faster.
@inline(__always)
private func contiguousSum<T: TensorFloat>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> Double {
    var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>(), a3 = SIMD8<Double>()
    var i = 0
    while i &+ 32 <= n {
        a0 += widened(p + i); a1 += widened(p + (i &+ 8)); a2 += widened(p + (i &+ 16)); a3 += widened(p + (i &+ 24))
        i &+= 32
    }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < n { s += Double(p[i]); i &+= 1 }
    return s
}

/// Eight elements at `p` as Doubles.
@inline(__always)
private func widened<T: TensorFloat>(_ p: UnsafeMutablePointer<T>) -> SIMD8<Double> {
    if T.self == Float.self {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        return SIMD8<Double>(v)
    }
    return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
}

private func accumulateInt<T>(_ x: Tensor, _: T.Type, _ out: Tensor, _ outStrides: [Int], _ value: (T) -> Int64) {
    let px = x.pointer(T.self), po = out.pointer(Int64.self)
    forEachOffset2(x.shape, x.strides, outStrides, cancellable: true) { xo, oo in po[oo] &+= value(px[xo]) }
}

/// Sum over `dims` (all when empty), like `torch.sum(x, dim, keepdim)`.
public func sum(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    let ds = try reductionDims(dims, rank: x.rank, op: "sum")
    let out = try sumForward(x, ds, keepdim: keepdim, op: "sum")
    guard willRecord(x) else { return out }
    let inShape = x.shape
    return out
        .recorded("Sum", inputs: [x], attributes: dims.isEmpty ? [] : [("dim", shapeText(ds)), ("keepdim", "\(keepdim)")]) { c in
            [try expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim)]
        }
}

/// Mean over `dims` (all when empty). Float inputs only, as in PyTorch.
public func mean(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) throws -> Tensor {
    guard x.dtype.isFloatingPoint else {
        throw EngineError.invalid("mean", "x", "mean needs a floating point tensor, got \(x.dtype); convert with dtype=\"f32\"")
    }
    let ds = try reductionDims(dims, rank: x.rank, op: "mean")
    let n = ds.reduce(1) { $0 * x.shape[$1] }
    let count = Tensor.wrapped(Double(n), dtype: .int64)
    let inShape = x.shape
    let out = try binaryForward(.div, sumForward(x, ds, keepdim: keepdim, op: "mean"), count)
    return out.recorded("Mean", inputs: [x], attributes: dims.isEmpty ? [] : [("dim", shapeText(ds)), ("keepdim", "\(keepdim)")]) { c in
        [try div(expandReduced(c.gradOutput, to: inShape, dims: ds, keepdim: keepdim), count)]
    }
}

/// Broadcasts a gradient of a reduction back over the reduced dims of `shape`.
func expandReduced(_ g: Tensor, to shape: [Int], dims: [Int], keepdim: Bool) throws -> Tensor {
    let kept = keepdim ? g : try g.reshaped(reducedShape(shape, dims, keepdim: true))
    return try kept.expanded(shape)
}
