import TenshText

/// Broadcasting binary ops: arithmetic, `maximum`/`minimum`, comparisons.
/// Forward kernels run on contiguous, same-shape operands (broadcast operands
/// are materialised, a scalar is read once); gradient rules are built from the
/// same ops so they can be differentiated again, and are summed back to each
/// input's shape by `sumToShape`.

enum BinaryKind: String {
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", pow = "Pow"
    case maximum = "Maximum", minimum = "Minimum"
    case eq = "Eq", ne = "Ne", lt = "Lt", le = "Le", gt = "Gt", ge = "Ge"
    case logicalAnd = "And", logicalOr = "Or"

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr: return true
        default: return false
        }
    }
    /// The lower-case op name for messages. A literal per case: `lowercased()` ran on every op.
    var name: String {
        switch self {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .pow: return "pow"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .eq: return "eq"
        case .ne: return "ne"
        case .lt: return "lt"
        case .le: return "le"
        case .gt: return "gt"
        case .ge: return "ge"
        case .logicalAnd: return "and"
        case .logicalOr: return "or"
        }
    }
}

/// Computes `kind(a, b)` with broadcasting and type promotion, without recording.
func binaryForward(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let op = kind.name
    let shape = try ShapeMath.broadcast(a.shape, b.shape, op: op)
    // Same dtype, no plain numbers: the promotion is trivial (skips an array allocation).
    let sameType = a.dtype == b.dtype && !a.isWrappedNumber && !b.isWrappedNumber
    var dtype = sameType ? a.dtype : resultType(a, b)
    if kind == .div && !dtype.isFloatingPoint { dtype = .float32 } // true division
    if kind == .logicalAnd || kind == .logicalOr { dtype = .bool }
    let outDType: DType = kind.isComparison ? .bool : dtype
    let out = try Tensor.empty(shape, outDType, op: op, sharingStridesOf: a, b)
    if out.count == 0 { return out }
    let x = try operand(a, shape, dtype, op), y = try operand(b, shape, dtype, op)
    switch dtype {
    case .float32, .float64: try withFloatType(dtype, op: op) { T in binaryFloat(kind, x, y, out, T) }
    case .int64: try binaryInt(kind, x, y, out)
    case .bool: binaryBool(kind, x, y, out)
    }
    try Cancellation.check(op) // `loop` stops early on Ctrl-C
    return out
}

/// A contiguous operand: a 0-d/1-element tensor stays as-is (read once), and so
/// does a contiguous one whose shape is the trailing part of `shape` (a row read
/// again for each leading index: `b + v` copies no broadcast `v`); others are broadcast.
private func operand(_ t: Tensor, _ shape: [Int], _ dtype: DType, _ op: String) throws -> Tensor {
    if t.count == 1 { return try t.materialized(t.shape, dtype, op: op) }
    if t.dtype == dtype, t.rank < shape.count, shape.suffix(t.rank).elementsEqual(t.shape), t.isContiguous { return t }
    return try t.materialized(shape, dtype, op: op)
}

@inline(__always)
private func loop<T, R>(_ x: Tensor, _ y: Tensor, _ out: Tensor, _: T.Type, _: R.Type, _ f: (T, T) -> R) {
    let n = out.count, px = x.pointer(T.self), py = y.pointer(T.self), po = out.pointer(R.self)
    let nx = x.count, ny = y.count
    switch (nx == 1 && n > 1, ny == 1 && n > 1) {
    case (true, false): let s = px[0]; chunkedLoop(n) { r in for i in r { po[i] = f(s, py[i]) } }
    case (false, true): let s = py[0]; chunkedLoop(n) { r in for i in r { po[i] = f(px[i], s) } }
    default:
        if ny < n { // y is a row repeated along the leading dims
            chunkedLoop(n) { r in forEachRowPiece(r, ny) { i, j, k in po[i + k] = f(px[i + k], py[j + k]) } }
        } else if nx < n {
            chunkedLoop(n) { r in forEachRowPiece(r, nx) { i, j, k in po[i + k] = f(px[j + k], py[i + k]) } }
        } else {
            chunkedLoop(n) { r in for i in r { po[i] = f(px[i], py[i]) } }
        }
    }
}

/// Splits `range` of a flat output into pieces that each lie within one row of
/// length `row`, calling `body(i, j, k)` for k in the piece, where `i` is the
/// piece's flat start and `j` its start within the row (a tight inner loop).
@inline(__always)
private func forEachRowPiece(_ range: Range<Int>, _ row: Int, _ body: (Int, Int, Int) -> Void) {
    var i = range.lowerBound
    while i < range.upperBound {
        let j = i % row, length = Swift.min(row - j, range.upperBound - i)
        for k in 0..<length { body(i, j, k) }
        i += length
    }
}

private func binaryFloat<T: GemmScalar>(_ kind: BinaryKind, _ x: Tensor, _ y: Tensor, _ out: Tensor, _ t: T.Type) {
    switch kind {
    case .add: loop(x, y, out, t, t) { $0 + $1 }
    case .sub: loop(x, y, out, t, t) { $0 - $1 }
    case .mul: loop(x, y, out, t, t) { $0 * $1 }
    case .div: loop(x, y, out, t, t) { $0 / $1 }
    case .pow: loop(x, y, out, t, t) { T.pow($0, $1) }
    // NaN propagates, as in torch.maximum.
    case .maximum: loop(x, y, out, t, t) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
    case .minimum: loop(x, y, out, t, t) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
    case .eq, .ne, .lt, .le, .gt, .ge: compare(kind, x, y, out, t)
    case .logicalAnd, .logicalOr: break // computed in bool
    }
}

private func binaryInt(_ kind: BinaryKind, _ x: Tensor, _ y: Tensor, _ out: Tensor) throws {
    let t = Int64.self
    switch kind {
    case .add: loop(x, y, out, t, t) { $0 &+ $1 }
    case .sub: loop(x, y, out, t, t) { $0 &- $1 }
    case .mul: loop(x, y, out, t, t) { $0 &* $1 }
    case .div: break // promoted to float
    case .pow:
        let py = y.pointer(Int64.self) // contiguous operand; scanned without a copy
        if (0..<y.count).contains(where: { py[$0] < 0 }) {
            throw EngineError.invalid("pow", "y", "the exponent has negative values: integers to negative integer powers are not allowed (shapes \(shapeText(x.shape)) and \(shapeText(y.shape)))")
        }
        loop(x, y, out, t, t) { intPow($0, $1) }
    case .maximum: loop(x, y, out, t, t) { Swift.max($0, $1) }
    case .minimum: loop(x, y, out, t, t) { Swift.min($0, $1) }
    case .eq, .ne, .lt, .le, .gt, .ge: compare(kind, x, y, out, t)
    case .logicalAnd, .logicalOr: break
    }
}

/// The six comparisons, for float and integer elements alike (bool has its own table).
@inline(__always)
private func compare<T: Comparable>(_ kind: BinaryKind, _ x: Tensor, _ y: Tensor, _ out: Tensor, _ t: T.Type) {
    switch kind {
    case .eq: loop(x, y, out, t, Bool.self) { $0 == $1 }
    case .ne: loop(x, y, out, t, Bool.self) { $0 != $1 }
    case .lt: loop(x, y, out, t, Bool.self) { $0 < $1 }
    case .le: loop(x, y, out, t, Bool.self) { $0 <= $1 }
    case .gt: loop(x, y, out, t, Bool.self) { $0 > $1 }
    case .ge: loop(x, y, out, t, Bool.self) { $0 >= $1 }
    default: break
    }
}

/// Integer power with wrapping multiplication, as C/PyTorch integer pow.
private func intPow(_ base: Int64, _ exp: Int64) -> Int64 {
    var result: Int64 = 1, b = base, e = exp
    while e > 0 {
        if e & 1 == 1 { result = result &* b }
        b = b &* b
        e >>= 1
    }
    return result
}

private func binaryBool(_ kind: BinaryKind, _ x: Tensor, _ y: Tensor, _ out: Tensor) {
    let t = Bool.self
    switch kind {
    case .add, .logicalOr, .maximum: loop(x, y, out, t, t) { $0 || $1 }
    case .mul, .logicalAnd, .minimum: loop(x, y, out, t, t) { $0 && $1 }
    case .sub, .ne: loop(x, y, out, t, t) { $0 != $1 }
    case .pow: loop(x, y, out, t, t) { $0 || !$1 }
    case .div: break
    case .eq: loop(x, y, out, t, t) { $0 == $1 }
    case .lt: loop(x, y, out, t, t) { !$0 && $1 }
    case .le: loop(x, y, out, t, t) { !$0 || $1 }
    case .gt: loop(x, y, out, t, t) { $0 && !$1 }
    case .ge: loop(x, y, out, t, t) { $0 || !$1 }
    }
}

/// Reduces a broadcast gradient back to `shape` (summing broadcast dimensions)
/// and casts it to `dtype`. Every broadcasting op's rule ends here.
public func sumToShape(_ g: Tensor, _ shape: [Int], dtype: DType? = nil) throws -> Tensor {
    var result = g
    if g.shape != shape {
        let lead = g.rank - shape.count
        guard lead >= 0, (try? ShapeMath.broadcast(g.shape, shape, op: "sum_to_shape")) == g.shape else {
            throw EngineError.invalid("sum_to_shape", "shape", "a gradient of shape \(shapeText(g.shape)) cannot be summed to shape \(shapeText(shape))")
        }
        var dims: [Int] = Array(0..<max(lead, 0))
        for i in 0..<shape.count where shape[i] == 1 && g.shape[i + lead] != 1 { dims.append(i + lead) }
        result = try sum(g, dims: dims, keepdim: true)
        if result.shape != shape { result = try result.reshaped(shape) }
    }
    if let dtype, dtype != result.dtype, dtype.isFloatingPoint { result = try result.to(dtype) }
    return result
}
