/// Typed kernels of `batchNorm`: per-channel moments, the per-channel affine map,
/// and the first-order training gradient (used when the backward pass is not
/// itself recorded). x is viewed as contiguous [N, C, S] with S = H·W (or 1).

/// A contiguous [N, C, S] view of x's data in its own dtype.
struct ChannelLayout {
    let n: Int, c: Int, s: Int
    init(_ x: Tensor) {
        n = x.shape[0]
        c = x.shape[1]
        s = x.shape.dropFirst(2).reduce(1, *)
    }
    /// Threads worth using: one for small tensors, where waking threads costs more than the loop.
    var threads: Int { n &* c &* s < 1 << 16 ? 1 : EngineConfig.threads }
}

/// Per-channel mean and biased variance, two passes in Double, one task per channel.
func channelMoments(_ x: Tensor, op: String) throws -> (mean: [Double], variance: [Double]) {
    let xc = try x.materialized(x.shape, x.dtype, op: op)
    return xc.dtype == .float32 ? moments(xc, Float.self) : moments(xc, Double.self)
}

private func moments<T: TensorFloat>(_ x: Tensor, _: T.Type) -> (mean: [Double], variance: [Double]) {
    let l = ChannelLayout(x), p = x.pointer(T.self)
    var means = [Double](repeating: 0, count: l.c), vars = [Double](repeating: 0, count: l.c)
    let m = Double(l.n &* l.s)
    means.withUnsafeMutableBufferPointer { mp in vars.withUnsafeMutableBufferPointer { vp in
        parallelFor(l.c, threads: l.threads) { ch in
            var sum = 0.0
            for b in 0..<l.n {
                let row = p + (b &* l.c &+ ch) &* l.s
                for i in 0..<l.s { sum += Double(row[i]) }
            }
            let mu = sum / m
            var sq = 0.0
            for b in 0..<l.n {
                let row = p + (b &* l.c &+ ch) &* l.s
                for i in 0..<l.s { let d = Double(row[i]) - mu; sq += d * d }
            }
            mp[ch] = mu
            vp[ch] = sq / m
        }
    } }
    return (means, vars)
}

/// y[n, c, s] = x[n, c, s]·scale[c] + shift[c] in x's dtype (no graph).
func channelAffine(_ x: Tensor, scale: [Double], shift: [Double], op: String) throws -> Tensor {
    let xc = try x.materialized(x.shape, x.dtype, op: op)
    let out = try Tensor.empty(x.shape, x.dtype, op: op)
    if x.dtype == .float32 { affine(xc, out, scale, shift, Float.self) } else { affine(xc, out, scale, shift, Double.self) }
    return out
}

private func affine<T: TensorFloat>(_ x: Tensor, _ out: Tensor, _ scale: [Double], _ shift: [Double], _: T.Type) {
    let l = ChannelLayout(x), px = x.pointer(T.self), po = out.pointer(T.self)
    parallelFor(l.n &* l.c, threads: l.threads) { row in
        let ch = row % l.c, a = T(scale[ch]), b = T(shift[ch])
        let base = row &* l.s
        for i in 0..<l.s { po[base &+ i] = px[base &+ i] * a + b }
    }
}

/// First-order training gradients: with x̂ = (x - μ)·invStd and gy = g·w,
/// gx = invStd·(gy - mean(gy) - x̂·mean(gy·x̂)), gw = Σ g·x̂, gb = Σ g (per channel).
func batchNormGradients(_ x: Tensor, _ g: Tensor, mean: [Double], invStd: [Double], weight: [Double],
                        op: String) throws -> (gx: Tensor, gw: [Double], gb: [Double]) {
    let xc = try x.materialized(x.shape, x.dtype, op: op), gc = try g.materialized(g.shape, x.dtype, op: op)
    let l = ChannelLayout(x)
    var sumG = [Double](repeating: 0, count: l.c), sumGX = [Double](repeating: 0, count: l.c)
    func reduce<T: TensorFloat>(_: T.Type) {
        let px = xc.pointer(T.self), pg = gc.pointer(T.self)
        sumG.withUnsafeMutableBufferPointer { sg in sumGX.withUnsafeMutableBufferPointer { sx in
            parallelFor(l.c, threads: l.threads) { ch in
                var a = 0.0, b = 0.0
                for n in 0..<l.n {
                    let base = (n &* l.c &+ ch) &* l.s
                    for i in 0..<l.s {
                        let gv = Double(pg[base &+ i])
                        a += gv
                        b += gv * (Double(px[base &+ i]) - mean[ch]) * invStd[ch]
                    }
                }
                sg[ch] = a
                sx[ch] = b
            }
        } }
    }
    if x.dtype == .float32 { reduce(Float.self) } else { reduce(Double.self) }
    let m = Double(l.n &* l.s)
    // gx = k1·g + k2·(x - μ) + k3 per channel, from expanding the formula above.
    var k1 = [Double](repeating: 0, count: l.c), k2 = k1, k3 = k1
    for ch in 0..<l.c {
        let w = weight[ch], inv = invStd[ch]
        let meanGy = w * sumG[ch] / m, meanGyXhat = w * sumGX[ch] / m
        k1[ch] = inv * w
        k2[ch] = -inv * meanGyXhat * inv
        k3[ch] = -inv * meanGy
    }
    let gx = try Tensor.empty(x.shape, x.dtype, op: op)
    func combine<T: TensorFloat>(_: T.Type) {
        let px = xc.pointer(T.self), pg = gc.pointer(T.self), po = gx.pointer(T.self)
        parallelFor(l.n &* l.c, threads: l.threads) { row in
            let ch = row % l.c, a = T(k1[ch]), b = T(k2[ch]), c = T(k3[ch]), mu = T(mean[ch])
            let base = row &* l.s
            for i in 0..<l.s { po[base &+ i] = a * pg[base &+ i] + b * (px[base &+ i] - mu) + c }
        }
    }
    if x.dtype == .float32 { combine(Float.self) } else { combine(Double.self) }
    return (gx, sumGX, sumG)
}
