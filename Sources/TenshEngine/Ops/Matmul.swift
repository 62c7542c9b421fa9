import TenshText

/// Matrix products: `matmul` (batched, broadcasting, torch.matmul's 1-d rules),
/// `linear`, `outer`.

/// `torch.matmul`: 1-d·1-d is a dot product; a 1-d operand gets a unit
/// dimension that is removed again; leading (batch) dimensions broadcast.
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank >= 1, b.rank >= 1 else {
        throw EngineError.invalid("matmul", a.rank == 0 ? "x" : "y",
                                  "both arguments need at least 1 dimension, got shapes \(shapeText(a.shape)) and \(shapeText(b.shape))")
    }
    let a2 = a.rank == 1 ? try a.reshaped([1, a.shape[0]]) : a
    let b2 = b.rank == 1 ? try b.reshaped([b.shape[0], 1]) : b
    var out = try batchedMatmul(a2, b2)
    if a.rank == 1 { out = try out.reshaped(Array(out.shape.dropLast(2)) + [out.shape[out.rank - 1]]) }
    if b.rank == 1 { out = try out.reshaped(Array(out.shape.dropLast())) }
    return out
}

/// Matmul of operands with rank ≥ 2, as one `Matmul` graph node.
private func batchedMatmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let n = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
    let k2 = b.shape[b.rank - 2], m = b.shape[b.rank - 1]
    guard k == k2 else {
        throw EngineError.invalid("matmul", "y",
            "shapes \(shapeText(a.shape)) and \(shapeText(b.shape)) cannot be multiplied (\(k) columns vs \(k2) rows)")
    }
    // Like torch, no implicit promotion: both operands must share a float dtype.
    guard a.dtype == b.dtype, a.dtype.isFloatingPoint else {
        throw EngineError.invalid("matmul", "y",
            "expected both operands to have the same floating point dtype, got \(a.dtype) and \(b.dtype) (shapes \(shapeText(a.shape)) and \(shapeText(b.shape)))")
    }
    let dtype = a.dtype
    let batch = try ShapeMath.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
    let batchCount = try ShapeMath.count(batch, op: "matmul")
    let x = try a.materialized(batch + [n, k], dtype, op: "matmul")
    let y = try b.materialized(batch + [k, m], dtype, op: "matmul")
    let out = try Tensor.empty(batch + [n, m], dtype, op: "matmul")
    for i in 0..<batchCount {
        try Cancellation.check("matmul")
        try matrixProduct(x, i * n * k, y, i * k * m, out, i * n * m, n: n, k: k, m: m)
    }
    try Cancellation.check("matmul") // the GEMM stops between tiles on Ctrl-C
    return out.recorded("Matmul", inputs: [a, b]) { c in
        let g = c.gradOutput, a = c.inputs[0], b = c.inputs[1]
        return [c.needsGrad[0] ? try sumToShape(matmul(g, swappedLastTwo(b)), a.shape, dtype: a.dtype) : nil,
                c.needsGrad[1] ? try sumToShape(matmul(swappedLastTwo(a), g), b.shape, dtype: b.dtype) : nil]
    }
}

/// The matrix transpose of the last two dims as a differentiable view.
func swappedLastTwo(_ t: Tensor) throws -> Tensor {
    var shape = t.shape, strides = t.strides
    shape.swapAt(t.rank - 1, t.rank - 2)
    strides.swapAt(t.rank - 1, t.rank - 2)
    return t.aliased(shape: shape, strides: strides, offset: t.offset)
        .recorded("Transpose", inputs: [t], attributes: [("dims", "[-2, -1]")]) { c in
            [try swappedLastTwo(c.gradOutput)]
        }
}

/// out[n×m] = x[n×k] · y[k×m] for contiguous row-major blocks at the given element offsets.
private func matrixProduct(_ x: Tensor, _ xo: Int, _ y: Tensor, _ yo: Int, _ out: Tensor, _ oo: Int, n: Int, k: Int,
                           m: Int) throws {
    func run<T: GemmScalar>(_: T.Type) {
        product(x.pointer(T.self) + xo, y.pointer(T.self) + yo, out.pointer(T.self) + oo, n: n, k: k, m: m)
    }
    try withFloatType(x.dtype, op: "matmul") { T in run(T) }
}

/// Products below this many multiply-adds skip packing: for tiny matrices the
/// plain loop has less overhead than the packed GEMM.
private let packedGemmThreshold = 32 * 32 * 32

private func product<T: GemmScalar>(_ a: UnsafeMutablePointer<T>, _ b: UnsafeMutablePointer<T>,
                                    _ c: UnsafeMutablePointer<T>, n: Int, k: Int, m: Int) {
    if n &* k &* m >= packedGemmThreshold {
        gemm(m: n, n: m, k: k, alpha: 1, MatrixView(a, rs: k, cs: 1), MatrixView(b, rs: m, cs: 1),
             beta: 0, c, rsC: m, csC: 1, threads: threadsWorthUsing(work: n &* k &* m))
        return
    }
    c.update(repeating: 0, count: n &* m)
    for i in 0..<n {
        let row = c + i &* m
        for p in 0..<k {
            let s = a[i &* k &+ p]
            let bRow = b + p &* m
            for j in 0..<m { row[j] = row[j].addingProduct(s, bRow[j]) }
        }
    }
}

/// `x · wᵀ + b` with weight [out_features, in_features], like `torch.nn.functional.linear`.
public func linear(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil) throws -> Tensor {
    guard w.rank == 2 else {
        throw EngineError.invalid("linear", "w", "weight must be 2-d [out_features, in_features], got \(shapeText(w.shape))")
    }
    guard x.rank >= 1, x.shape[x.rank - 1] == w.shape[1] else {
        throw EngineError.invalid("linear", "x",
            "input's last dimension \(x.shape.last ?? 0) does not match in_features \(w.shape[1]) (input \(shapeText(x.shape)), weight \(shapeText(w.shape)))")
    }
    if let bias, bias.shape != [w.shape[0]] && !(bias.rank == 0) {
        throw EngineError.invalid("linear", "b",
            "bias has shape \(shapeText(bias.shape)) but the weight has \(w.shape[0]) output features (weight \(shapeText(w.shape)))")
    }
    let y = try matmul(x, swappedLastTwo(w))
    guard let bias else { return y }
    return try add(y, bias)
}

/// The outer product of two 1-d tensors.
public func outer(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank == 1, b.rank == 1 else {
        throw EngineError.invalid("outer", a.rank == 1 ? "y" : "x",
                                  "outer needs two 1-d tensors, got \(shapeText(a.shape)) and \(shapeText(b.shape))")
    }
    return try mul(a.reshaped([a.shape[0], 1]), b.reshaped([1, b.shape[0]]))
}
