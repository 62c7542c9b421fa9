/// The loops of batch normalisation over a contiguous [N, C, S] buffer (S = H·W,
/// or 1): per-channel moments, the per-channel affine map, and the two passes of
/// the first-order training gradient. Statistics accumulate in Double. Each
/// stops between channels (or rows) on Ctrl-C; the caller then checks `Cancellation`.

/// [N, C, S] sizes of a batch-norm input of shape [N, C, ...].
struct ChannelLayout {
    let n: Int, c: Int, s: Int
    init(_ shape: [Int]) {
        n = shape[0]
        c = shape[1]
        s = shape.dropFirst(2).reduce(1, *)
    }
    /// Threads worth using: one for small tensors, where waking threads costs more than the loop.
    var threads: Int { n &* c &* s < 1 << 16 ? 1 : EngineConfig.threads }
}

/// mean[c] and the biased variance[c] of x, two passes per channel, one task per channel.
func channelMomentsKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ l: ChannelLayout, mean: UnsafeMutableBufferPointer<Double>,
                                         variance: UnsafeMutableBufferPointer<Double>) {
    let m = Double(l.n &* l.s)
    parallelFor(l.c, threads: l.threads) { ch in
        if Cancellation.isRequested { return }
        var sum = 0.0
        for b in 0..<l.n {
            let row = x + (b &* l.c &+ ch) &* l.s
            for i in 0..<l.s { sum += Double(row[i]) }
        }
        let mu = sum / m
        var sq = 0.0
        for b in 0..<l.n {
            let row = x + (b &* l.c &+ ch) &* l.s
            for i in 0..<l.s { let d = Double(row[i]) - mu; sq += d * d }
        }
        mean[ch] = mu
        variance[ch] = sq / m
    }
}

/// out[n, c, s] = x[n, c, s]·scale[c] + shift[c].
func channelAffineKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ l: ChannelLayout,
                                        scale: [Double], shift: [Double]) {
    parallelFor(l.n &* l.c, threads: l.threads) { row in
        if Cancellation.isRequested { return }
        let ch = row % l.c, a = T(scale[ch]), b = T(shift[ch])
        let base = row &* l.s
        for i in 0..<l.s { out[base &+ i] = x[base &+ i] * a + b }
    }
}

/// sumG[c] = Σ g and sumGXhat[c] = Σ g·x̂ over channel c, with x̂ = (x − mean)·invStd.
func channelGradientSumsKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ g: UnsafePointer<T>, _ l: ChannelLayout,
                                              mean: [Double], invStd: [Double], sumG: UnsafeMutableBufferPointer<Double>,
                                              sumGXhat: UnsafeMutableBufferPointer<Double>) {
    parallelFor(l.c, threads: l.threads) { ch in
        if Cancellation.isRequested { return }
        var a = 0.0, b = 0.0
        for n in 0..<l.n {
            let base = (n &* l.c &+ ch) &* l.s
            for i in 0..<l.s {
                let gv = Double(g[base &+ i])
                a += gv
                b += gv * (Double(x[base &+ i]) - mean[ch]) * invStd[ch]
            }
        }
        sumG[ch] = a
        sumGXhat[ch] = b
    }
}

/// gx[n, c, s] = k1[c]·g + k2[c]·(x − mean[c]) + k3[c].
func channelGradientCombineKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ g: UnsafePointer<T>,
                                                 _ gx: UnsafeMutablePointer<T>, _ l: ChannelLayout, mean: [Double],
                                                 k1: [Double], k2: [Double], k3: [Double]) {
    parallelFor(l.n &* l.c, threads: l.threads) { row in
        if Cancellation.isRequested { return }
        let ch = row % l.c, a = T(k1[ch]), b = T(k2[ch]), c = T(k3[ch]), mu = T(mean[ch])
        let base = row &* l.s
        for i in 0..<l.s { gx[base &+ i] = a * g[base &+ i] + b * (x[base &+ i] - mu) + c }
    }
}
