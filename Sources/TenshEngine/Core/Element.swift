import TenshText

/// The four element types, with conversions through Double for the slow paths
/// (dtype casts, printing, tests). Hot kernels use concrete types instead.
protocol Element {
    static var dtype: DType { get }
    init(fromDouble v: Double)
    var asDouble: Double { get }
}

extension Float: Element {
    @inline(__always) init(fromDouble v: Double) { self = Float(v) }
    @inline(__always) var asDouble: Double { Double(self) }
}
extension Double: Element {
    @inline(__always) init(fromDouble v: Double) { self = v }
    @inline(__always) var asDouble: Double { self }
}
extension Int64: Element {
    static var dtype: DType { .int64 }
    /// Truncates toward zero like a C cast; NaN and out-of-range values saturate instead of trapping.
    @inline(__always) init(fromDouble v: Double) {
        if v.isNaN { self = 0 } else if v >= 9.2233720368547758e18 { self = .max } else if v <= -9.2233720368547758e18 { self = .min } else { self = Int64(v) }
    }
    @inline(__always) var asDouble: Double { Double(self) }
}
extension Bool: Element {
    static var dtype: DType { .bool }
    @inline(__always) init(fromDouble v: Double) { self = v != 0 }
    @inline(__always) var asDouble: Double { self ? 1 : 0 }
}

/// The one way the engine goes from a dtype to a Swift element type: call
/// `body` with the type, and let `body` pass it to a function generic over the
/// element (`withFloatType(x.dtype, op: op) { T in try kernel(x, out, T) }`).
/// Inlined, each case becomes a call with a concrete type, so the generic
/// kernel is specialised for Float and Double as if written twice.
@inline(__always)
func withElementType<R>(_ dtype: DType, _ body: (any Element.Type) throws -> R) rethrows -> R {
    switch dtype {
    case .float32: return try body(Float.self)
    case .float64: return try body(Double.self)
    case .int64: return try body(Int64.self)
    case .bool: return try body(Bool.self)
    }
}

/// `withElementType` for the float kernels (float32 and float64, with their
/// SIMD vectors); other dtypes are an error. Ops check dtypes with a message
/// naming the argument first, so the error here is a last resort.
@inline(__always)
func withFloatType<R>(_ dtype: DType, op: String, _ body: (any GemmScalar.Type) throws -> R) throws -> R {
    switch dtype {
    case .float32: return try body(Float.self)
    case .float64: return try body(Double.self)
    case .int64, .bool: throw EngineError.invalid(op, nil, "expected a float32 or float64 tensor, got \(dtype)")
    }
}

/// `forEachOffset2` for one stride set. Both are always inlined, so the unused
/// second offset is dead arithmetic the optimiser removes.
@inline(__always)
func forEachOffset(_ shape: [Int], _ strides: [Int], cancellable: Bool = false, _ body: (Int) -> Void) {
    forEachOffset2(shape, strides, strides, cancellable: cancellable) { a, _ in body(a) }
}

/// Visits every index of `shape` in row-major order, calling `body` with the
/// element offset for each of the given stride sets. The innermost dimension is
/// a tight loop so contiguous and simple strided tensors stay fast. When
/// `cancellable`, the walk stops early on Ctrl-C (about every `cancellationChunk`
/// elements) and the caller must `try Cancellation.check(op)` afterwards.
@inline(__always)
func forEachOffset2(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int], cancellable: Bool = false, _ body: (Int, Int) -> Void) {
    let rank = shape.count
    if rank == 0 { body(0, 0); return }
    if shape.contains(0) { return }
    let inner = shape[rank - 1], sa = stridesA[rank - 1], sb = stridesB[rank - 1]
    // Positions in the outer dimensions only: a vector walks without allocating.
    var index = [Int](repeating: 0, count: rank - 1)
    var baseA = 0, baseB = 0, sinceCheck = 0
    let longRows = cancellable && inner > cancellationChunk
    while true {
        var oa = baseA, ob = baseB
        if longRows {
            // One row can be the whole tensor: check between chunks of it.
            var done = 0
            while done < inner {
                if Cancellation.isRequested { return }
                let end = Swift.min(inner, done &+ cancellationChunk)
                for _ in done..<end { body(oa, ob); oa &+= sa; ob &+= sb }
                done = end
            }
        } else {
            for _ in 0..<inner { body(oa, ob); oa &+= sa; ob &+= sb }
        }
        if cancellable {
            sinceCheck &+= inner
            if sinceCheck >= cancellationChunk {
                if Cancellation.isRequested { return }
                sinceCheck = 0
            }
        }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            baseA &+= stridesA[d]; baseB &+= stridesB[d]
            if index[d] < shape[d] { break }
            baseA &-= stridesA[d] &* shape[d]; baseB &-= stridesB[d] &* shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

extension Tensor {
    /// Elements in row-major order, converted to Double (tests, printing).
    public func toDoubles() -> [Double] {
        withElementType(dtype) { T in readAll(T) }
    }

    private func readAll<T: Element>(_: T.Type) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(count)
        let p = pointer(T.self)
        forEachOffset(shape, strides) { out.append(p[$0].asDouble) }
        return out
    }

    /// Row-major float32 values (converting other dtypes).
    public func toFloats() -> [Float] { toDoubles().map { Float($0) } }

    /// Row-major int64 values (converting other dtypes, truncating floats).
    public func toInt64s() -> [Int64] { toDoubles().map(Int64.init(fromDouble:)) }

    /// The single element of a tensor with one element.
    public func item() throws -> Double {
        guard count == 1 else {
            throw EngineError.invalid("item", nil, "a tensor with \(count) elements (shape \(shapeText(shape))) cannot be converted to a number")
        }
        return toDoubles()[0]
    }

    /// Overwrites the elements (row-major order) from Doubles. `values.count == count`.
    func storeDoubles(_ values: [Double]) {
        withElementType(dtype) { T in storeAll(T, values) }
    }

    private func storeAll<T: Element>(_: T.Type, _ values: [Double]) {
        let p = pointer(T.self)
        var i = 0
        forEachOffset(shape, strides) { p[$0] = T(fromDouble: values[i]); i += 1 }
    }
}

/// Copies `src` (any layout, any dtype) into the contiguous `dst` of the same
/// shape, converting the element type. Throws only when Ctrl-C interrupts a long copy.
func copyConverting(_ src: Tensor, into dst: Tensor, op: String) throws {
    if src.dtype == dst.dtype {
        switch src.dtype.itemSize {
        case 8: copyBits(src, dst, UInt64.self)
        case 4: copyBits(src, dst, UInt32.self)
        default: copyBits(src, dst, UInt8.self)
        }
    } else {
        withElementType(src.dtype) { S in
            withElementType(dst.dtype) { D in convertTyped(src, S, dst, D) }
        }
    }
    try Cancellation.check(op) // the copies stop early on Ctrl-C
}

/// Same-dtype copy: moves the bits, specialised on the element width.
@inline(__always)
private func copyBits<W: FixedWidthInteger>(_ src: Tensor, _ dst: Tensor, _: W.Type) {
    let sp = src.pointer(W.self), dp = dst.pointer(W.self)
    if src.isContiguous {
        chunkedLoop(src.count) { r in (dp + r.lowerBound).update(from: sp + r.lowerBound, count: r.count) }
        return
    }
    var i = 0
    forEachOffset(src.shape, src.strides, cancellable: true) { dp[i] = sp[$0]; i &+= 1 }
}

private func convertTyped<S: Element, D: Element>(_ src: Tensor, _: S.Type, _ dst: Tensor, _: D.Type) {
    let sp = src.pointer(S.self), dp = dst.pointer(D.self)
    var i = 0
    forEachOffset(src.shape, src.strides, cancellable: true) { dp[i] = D(fromDouble: sp[$0].asDouble); i &+= 1 }
}
