import TenshText

/// 2-d max pooling. The forward pass saves, per output, the flat index
/// (h·W + w within its plane) of the winning input, as torch's indices; the
/// gradient is scattered to those positions and the double backward gathers.

/// Max pooling over [N, C, H, W] (or [C, H, W]) like `F.max_pool2d`.
/// Padding counts as -inf; a NaN in a window wins. kernelSize, stride (default: the kernel),
/// padding and dilation are one int or a pair.
public func maxPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                      dilation: [Int] = [1], ceilMode: Bool = false) throws -> Tensor {
    try maxPool2dWithIndices(x, kernelSize: kernelSize, stride: stride, padding: padding,
                             dilation: dilation, ceilMode: ceilMode).output
}

/// `maxPool2d` that also returns the int64 argmax indices (`return_indices=True`).
public func maxPool2dWithIndices(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 dilation: [Int] = [1], ceilMode: Bool = false) throws -> (output: Tensor, indices: Tensor) {
    let op = "max_pool2d"
    let (x4, added) = try batchedImage(x, op: op)
    let g = try PoolGeometry(op: op, input: x.shape, kernelSize: kernelSize, stride: stride, padding: padding,
                             dilation: dilation, ceilMode: ceilMode)
    let (out, indices) = try maxPoolForward(x4, g, op: op)
    let inShape = x4.shape
    let attributes = willRecord(x4) ? g.attributes + [("dilation", shapeText([g.dilation.0, g.dilation.1]))] : []
    let y = out.recorded("MaxPool2d", inputs: [x4], attributes: attributes,
                         saved: ["indices"], saving: [indices]) { ctx in
        [try scatterToIndices(ctx.gradOutput, indices, inputShape: inShape)]
    }
    return (try removingBatchDimension(y, added: added), try removingBatchDimension(indices, added: added))
}

private func maxPoolForward(_ x: Tensor, _ g: PoolGeometry, op: String) throws -> (Tensor, Tensor) {
    let src = try x.contiguousData(op: op)
    let shape = [x.shape[0], x.shape[1], g.outH, g.outW]
    let out = try Tensor.empty(shape, x.dtype, op: op), indices = try Tensor.empty(shape, .int64, op: op)
    func run<T: GemmScalar>(_: T.Type) {
        maxPoolKernel(src.pointer(T.self), out.pointer(T.self), indices: indices.pointer(Int64.self),
                      planes: shape[0] &* shape[1], g)
    }
    try withFloatType(x.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return (out, indices)
}

/// The max-pool gradient: adds each g[n, c, o] into position indices[n, c, o] of a
/// zero [N, C, H, W] tensor. Linear in g; its own gradient is `gatherAtIndices`.
func scatterToIndices(_ g: Tensor, _ indices: Tensor, inputShape: [Int]) throws -> Tensor {
    let op = "max_pool2d_backward"
    let out = try Tensor(zeros: inputShape, dtype: g.dtype, op: op)
    let gc = try g.contiguousData(op: op)
    func run<T: GemmScalar>(_: T.Type) {
        scatterAddAtIndicesKernel(gc.pointer(T.self), indices: indices.pointer(Int64.self), into: out.pointer(T.self),
                                  planes: inputShape[0] &* inputShape[1], inPlane: inputShape[2] &* inputShape[3],
                                  outPlane: g.shape[2] &* g.shape[3])
    }
    try withFloatType(g.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return out.recorded("MaxPool2dBackward", inputs: [g]) { ctx in
        [try gatherAtIndices(ctx.gradOutput, indices)]
    }
}

/// Reads x[n, c, indices[n, c, o]] into an indices-shaped tensor; its gradient is `scatterToIndices`.
func gatherAtIndices(_ x: Tensor, _ indices: Tensor) throws -> Tensor {
    let op = "max_pool2d_double_backward"
    let xc = try x.contiguousData(op: op)
    let out = try Tensor.empty(indices.shape, x.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) {
        gatherAtIndicesKernel(xc.pointer(T.self), indices: indices.pointer(Int64.self), into: out.pointer(T.self),
                              planes: x.shape[0] &* x.shape[1], inPlane: x.shape[2] &* x.shape[3],
                              outPlane: indices.shape[2] &* indices.shape[3])
    }
    try withFloatType(x.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    let inShape = x.shape
    return out.recorded("MaxPool2dGather", inputs: [x]) { ctx in
        [try scatterToIndices(ctx.gradOutput, indices, inputShape: inShape)]
    }
}
