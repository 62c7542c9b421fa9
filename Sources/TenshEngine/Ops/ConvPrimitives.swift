/// The three differentiable primitives behind every convolution op, each ONE
/// graph node, closed under differentiation (so createGraph works to any order):
///
///   Conv2d(x, w, b)               pixels = conv(image x, w) + b
///   ConvTranspose2d(y, w, b)      image  = convᵀ(pixels y, w) + b
///   Conv2dBackwardWeight(x, gy)   w-shaped Σ gy · im2col(x)ᵀ
///
/// Each rule is written with these same primitives; with grad mode off they run
/// the fast kernels directly and record nothing.

/// Multiply-adds of each of the three primitives (forward, transpose, weight
/// gradient): every output pixel of every image and output channel meets one
/// column of K = C/groups·Kh·Kw. Small convolutions run on one thread.
private func multiplyAdds(_ g: ConvGeometry) -> Int {
    let outputs = g.batch.multipliedReportingOverflow(by: g.outChannels &* g.outPixels)
    let total = outputs.partialValue.multipliedReportingOverflow(by: g.columnRows)
    return outputs.overflow || total.overflow ? .max : total.partialValue
}

/// Adds bias[c] to every pixel of channel c of a contiguous [N, C, H, W] tensor.
private func addChannelBias(_ out: Tensor, _ bias: Tensor, op: String) throws {
    let b = try bias.contiguousData(op: op)
    let n = out.shape[0], c = out.shape[1], plane = out.shape[2] * out.shape[3]
    func run<T: GemmScalar>(_: T.Type) {
        let o = out.pointer(T.self), bp = b.pointer(T.self)
        for i in 0..<n * c {
            let v = bp[i % c], row = o + i * plane
            for j in 0..<plane { row[j] += v }
        }
    }
    try withFloatType(out.dtype, op: op) { T in run(T) }
}

/// Conv2d node: [N, C, H, W] x [Cout, C/groups, Kh, Kw] (+ [Cout]) → [N, Cout, Ho, Wo].
func convPrimitive(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, op: String) throws -> Tensor {
    let xc = try x.contiguousData(op: op), wc = try w.contiguousData(op: op), bc = try bias.map { try $0.contiguousData(op: op) }
    let out = try Tensor.empty(g.outShape, x.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) throws {
        let b: UnsafePointer<T>? = bc.map { UnsafePointer($0.pointer(T.self)) }
        try withThreads(forWork: multiplyAdds(g)) {
            try convForward(xc.pointer(T.self), wc.pointer(T.self), b, out.pointer(T.self), g, op: op)
        }
    }
    try withFloatType(x.dtype, op: op) { T in try run(T) }
    let inputs = bias.map { [x, w, $0] } ?? [x, w]
    return out.recorded("Conv2d", inputs: inputs, attributes: g.attributes, saved: ["input", "weight"]) { ctx in
        let gy = ctx.gradOutput, x = ctx.inputs[0], w = ctx.inputs[1]
        var grads: [Tensor?] = [
            ctx.needsGrad[0] ? try convTransposePrimitive(gy, w, nil, g, op: op) : nil,
            ctx.needsGrad[1] ? try convWeightGradPrimitive(x, gy, g, op: op) : nil,
        ]
        if ctx.inputs.count == 3 { grads.append(ctx.needsGrad[2] ? try sum(gy, dims: [0, 2, 3]) : nil) }
        return grads
    }
}

/// ConvTranspose2d node: pixels [N, Cout, Ho, Wo] x [Cout, C/groups, Kh, Kw] (+ [C]) → image [N, C, H, W].
func convTransposePrimitive(_ y: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, op: String) throws -> Tensor {
    let yc = try y.contiguousData(op: op), wc = try w.contiguousData(op: op)
    let out = try Tensor.empty(g.imageShape, y.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) throws {
        try withThreads(forWork: multiplyAdds(g)) {
            try convTranspose(yc.pointer(T.self), wc.pointer(T.self), out.pointer(T.self), g, op: op)
        }
    }
    try withFloatType(y.dtype, op: op) { T in try run(T) }
    if let bias { try addChannelBias(out, bias, op: op) }
    let inputs = bias.map { [y, w, $0] } ?? [y, w]
    return out.recorded("ConvTranspose2d", inputs: inputs, attributes: g.attributes, saved: ["input", "weight"]) { ctx in
        let gOut = ctx.gradOutput, y = ctx.inputs[0], w = ctx.inputs[1]
        var grads: [Tensor?] = [
            ctx.needsGrad[0] ? try convPrimitive(gOut, w, nil, g, op: op) : nil,
            ctx.needsGrad[1] ? try convWeightGradPrimitive(gOut, y, g, op: op) : nil,
        ]
        if ctx.inputs.count == 3 { grads.append(ctx.needsGrad[2] ? try sum(gOut, dims: [0, 2, 3]) : nil) }
        return grads
    }
}

/// Conv2dBackwardWeight node: image [N, C, H, W] and pixels [N, Cout, Ho, Wo] → [Cout, C/groups, Kh, Kw].
func convWeightGradPrimitive(_ x: Tensor, _ gy: Tensor, _ g: ConvGeometry, op: String) throws -> Tensor {
    let xc = try x.contiguousData(op: op), gc = try gy.contiguousData(op: op)
    let out = try Tensor.empty(g.weightShape, x.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) throws {
        try withThreads(forWork: multiplyAdds(g)) {
            try convWeightGrad(xc.pointer(T.self), gc.pointer(T.self), out.pointer(T.self), g, op: op)
        }
    }
    try withFloatType(x.dtype, op: op) { T in try run(T) }
    return out.recorded("Conv2dBackwardWeight", inputs: [x, gy], attributes: g.attributes) { ctx in
        let gW = ctx.gradOutput, x = ctx.inputs[0], gy = ctx.inputs[1]
        return [
            ctx.needsGrad[0] ? try convTransposePrimitive(gy, gW, nil, g, op: op) : nil,
            ctx.needsGrad[1] ? try convPrimitive(x, gW, nil, g, op: op) : nil,
        ]
    }
}
