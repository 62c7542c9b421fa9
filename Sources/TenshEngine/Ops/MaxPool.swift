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
    let (x4, squeeze) = try batchedImage(x, op: op)
    let g = try PoolGeometry(op: op, input: x.shape, kernelSize: kernelSize, stride: stride, padding: padding,
                             dilation: dilation, ceilMode: ceilMode)
    let (out, indices) = try x4.dtype == .float32 ? maxPoolForward(x4, g, Float.self) : maxPoolForward(x4, g, Double.self)
    let inShape = x4.shape
    let attributes = willRecord(x4) ? g.attributes + [("dilation", shapeText([g.dilation.0, g.dilation.1]))] : []
    let y = out.recorded("MaxPool2d", inputs: [x4], attributes: attributes,
                         saved: ["indices"], saving: [indices]) { ctx in
        [try scatterToIndices(ctx.gradOutput, indices, inputShape: inShape)]
    }
    return (try unbatched(y, squeeze), try unbatched(indices, squeeze))
}

private func maxPoolForward<T: TensorFloat>(_ x: Tensor, _ g: PoolGeometry, _: T.Type) throws -> (Tensor, Tensor) {
    let op = "max_pool2d"
    let src = try x.materialized(x.shape, T.dtype, op: op)
    let shape = [x.shape[0], x.shape[1], g.outH, g.outW]
    let out = try Tensor.empty(shape, T.dtype, op: op), idx = try Tensor.empty(shape, .int64, op: op)
    let planes = shape[0] &* shape[1]
    let ps = src.pointer(T.self), po = out.pointer(T.self), pi = idx.pointer(Int64.self)
    let (inH, inW, outH, outW) = (g.inH, g.inW, g.outH, g.outW)
    // Geometry as plain locals: the closure must not reload struct fields in the inner loop.
    let (kH, kW, sH, sW) = (g.kernel.0, g.kernel.1, g.stride.0, g.stride.1)
    let (pH, pW, dH, dW) = (g.padding.0, g.padding.1, g.dilation.0, g.dilation.1)
    let chunks = taskCount(work: planes &* inH &* inW, items: planes)
    parallelFor(chunks) { chunk in
        if Cancellation.isRequested { return } // reported below
        for plane in planes * chunk / chunks ..< planes * (chunk + 1) / chunks {
            let xin = ps + plane &* inH &* inW, base = plane &* outH &* outW
            for oh in 0..<outH {
                var h0 = oh &* sH &- pH
                let h1 = min(h0 &+ (kH &- 1) &* dH &+ 1, inH)
                while h0 < 0 { h0 &+= dH }
                for ow in 0..<outW {
                    var w0 = ow &* sW &- pW
                    let w1 = min(w0 &+ (kW &- 1) &* dW &+ 1, inW)
                    while w0 < 0 { w0 &+= dW }
                    var best = -T.infinity, bestIndex = h0 &* inW &+ w0
                    var h = h0
                    while h < h1 {
                        let row = h &* inW
                        var w = w0
                        while w < w1 {
                            let v = xin[row &+ w]
                            // torch's rule: a larger value or any NaN takes the slot.
                            // Written as selects (no branch) since random data mispredicts half the time.
                            let take = v > best || v != v
                            best = take ? v : best
                            bestIndex = take ? row &+ w : bestIndex
                            w &+= dW
                        }
                        h &+= dH
                    }
                    // A window over padding only (possible with dilation) must still index inside the plane.
                    if h0 >= h1 || w0 >= w1 { bestIndex = 0 }
                    po[base &+ oh &* outW &+ ow] = best
                    pi[base &+ oh &* outW &+ ow] = Int64(bestIndex)
                }
            }
        }
    }
    try Cancellation.check(op)
    return (out, idx)
}

/// The max-pool gradient: adds each g[n, c, o] into position indices[n, c, o] of a
/// zero [N, C, H, W] tensor. Linear in g; its own gradient is `gatherAtIndices`.
func scatterToIndices(_ g: Tensor, _ indices: Tensor, inputShape: [Int]) throws -> Tensor {
    let op = "max_pool2d_backward"
    let out = try Tensor(zeros: inputShape, dtype: g.dtype, op: op)
    let gc = try g.materialized(g.shape, g.dtype, op: op)
    let planes = inputShape[0] &* inputShape[1], inPlane = inputShape[2] &* inputShape[3]
    let outPlane = g.shape[2] &* g.shape[3], pi = indices.pointer(Int64.self)
    let chunks = taskCount(work: planes &* inPlane, items: planes)
    func run<T: TensorFloat>(_: T.Type) {
        let pg = gc.pointer(T.self), po = out.pointer(T.self)
        parallelFor(chunks) { chunk in
            for plane in planes * chunk / chunks ..< planes * (chunk + 1) / chunks {
                for o in 0..<outPlane {
                    let k = plane &* outPlane &+ o
                    po[plane &* inPlane &+ Int(pi[k])] += pg[k]
                }
            }
        }
    }
    if g.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    return out.recorded("MaxPool2dBackward", inputs: [g]) { ctx in
        [try gatherAtIndices(ctx.gradOutput, indices)]
    }
}

/// Reads x[n, c, indices[n, c, o]] into an indices-shaped tensor; its gradient is `scatterToIndices`.
func gatherAtIndices(_ x: Tensor, _ indices: Tensor) throws -> Tensor {
    let op = "max_pool2d_double_backward"
    let xc = try x.materialized(x.shape, x.dtype, op: op)
    let out = try Tensor.empty(indices.shape, x.dtype, op: op)
    let planes = x.shape[0] &* x.shape[1], inPlane = x.shape[2] &* x.shape[3]
    let outPlane = indices.shape[2] &* indices.shape[3], pi = indices.pointer(Int64.self)
    func run<T: TensorFloat>(_: T.Type) {
        let px = xc.pointer(T.self), po = out.pointer(T.self)
        for plane in 0..<planes {
            for o in 0..<outPlane {
                let k = plane &* outPlane &+ o
                po[k] = px[plane &* inPlane &+ Int(pi[k])]
            }
        }
    }
    if x.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    let inShape = x.shape
    return out.recorded("MaxPool2dGather", inputs: [x]) { ctx in
        [try scatterToIndices(ctx.gradOutput, indices, inputShape: inShape)]
    }
}
