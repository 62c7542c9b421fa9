/// Direct depthwise kernels (groups == channels: one input channel per group,
/// m = Cout / C output channels per input channel, weight [C·m, 1, Kh, Kw]).
/// Per plane, each kernel tap is a multiply-add over a contiguous run of
/// output pixels, so pixels fill the SIMD lanes; there is no GEMM and no
/// column buffer. Tasks are planes (or channels), so writes never race.

/// Rows oy whose input row oy·stride − pad + ky·dilation lies in [0, H).
@inline(__always)
private func validRows(_ g: ConvGeometry, ky: Int) -> (Int, Int) {
    validRange(offset: ky &* g.dilationH &- g.padTop, stride: g.strideH, size: g.height, count: g.outHeight)
}

/// out[n, co] = bias[co] + Σ w[co, ky, kx] · x[n, co / m, shifted].
func depthwiseForwardKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                           _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let kk = g.kernelH * g.kernelW, m = g.outChannelsPerGroup
    try runConvTasks(T.self, tasks: g.batch * g.outChannels, workspace: 0, op: op) { t, _, _ in
        let n = t / g.outChannels, co = t % g.outChannels
        let src = x + (n * g.channels + co / m) * g.imagePixels, dst = out + t * g.outPixels, taps = w + co * kk
        if g.strideW == 1 {
            depthwisePlaneUnitStride(src, taps, bias?[co] ?? 0, dst, g)
            return
        }
        dst.update(repeating: bias?[co] ?? 0, count: g.outPixels)
        for ky in 0..<g.kernelH {
            let (oy0, oy1) = validRows(g, ky: ky)
            for kx in 0..<g.kernelW {
                let tap = taps[ky * g.kernelW + kx]
                let (ox0, ox1) = g.validColumns(kx: kx)
                if ox0 >= ox1 { continue }
                let xOff = kx &* g.dilationW &- g.padLeft
                for oy in oy0..<oy1 {
                    let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                    let row = dst + oy &* g.outWidth, input = src + (iy &* g.width &+ xOff)
                    for ox in ox0..<ox1 { row[ox] = row[ox].addingProduct(tap, input[ox &* g.strideW]) }
                }
            }
        }
    }
}

/// image[n, c] = Σ_j Σ w[c·m + j, ky, kx] · y[n, c·m + j] scattered back (input
/// gradient / transpose). Overwrites `image`; a task owns one image plane.
func depthwiseTransposeKernel<T: GemmScalar>(_ y: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                             _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let kk = g.kernelH * g.kernelW, m = g.outChannelsPerGroup
    try runConvTasks(T.self, tasks: g.batch * g.channels, workspace: 0, op: op) { t, _, _ in
        let n = t / g.channels, c = t % g.channels
        let dst = image + t * g.imagePixels
        dst.update(repeating: 0, count: g.imagePixels)
        for j in 0..<m {
            let co = c * m + j
            scatterPlane(y + (n * g.outChannels + co) * g.outPixels, w + co * kk, dst, g)
        }
    }
}

/// dst (an image plane) += every tap times the pixel plane `src`, at the shifted positions.
@inline(__always)
private func scatterPlane<T: GemmScalar>(_ src: UnsafePointer<T>, _ taps: UnsafePointer<T>,
                                         _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
    for ky in 0..<g.kernelH {
        let (oy0, oy1) = validRows(g, ky: ky)
        for kx in 0..<g.kernelW {
            let tap = taps[ky * g.kernelW + kx]
            let (ox0, ox1) = g.validColumns(kx: kx)
            if ox0 >= ox1 { continue }
            let xOff = kx &* g.dilationW &- g.padLeft
            for oy in oy0..<oy1 {
                let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                let row = src + oy &* g.outWidth, target = dst + (iy &* g.width &+ xOff)
                if g.strideW == 1 {
                    for ox in ox0..<ox1 { target[ox] = target[ox].addingProduct(tap, row[ox]) }
                } else {
                    for ox in ox0..<ox1 {
                        let i = ox &* g.strideW
                        target[i] = target[i].addingProduct(tap, row[ox])
                    }
                }
            }
        }
    }
}

/// gw[co, ky, kx] = Σ_n Σ_pixels gy[n, co] · x[n, co / m, shifted]. Tasks are
/// output channels, so no partial sums are needed.
func depthwiseWeightGradKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ gy: UnsafePointer<T>,
                                              _ gw: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let kk = g.kernelH * g.kernelW, m = g.outChannelsPerGroup
    try runConvTasks(T.self, tasks: g.outChannels, workspace: 0, op: op) { co, _, _ in
        for ky in 0..<g.kernelH {
            let (oy0, oy1) = validRows(g, ky: ky)
            for kx in 0..<g.kernelW {
                let (ox0, ox1) = g.validColumns(kx: kx)
                let xOff = kx &* g.dilationW &- g.padLeft
                var total: T = 0
                for n in 0..<g.batch where ox0 < ox1 {
                    let src = x + (n * g.channels + co / m) * g.imagePixels
                    let grad = gy + (n * g.outChannels + co) * g.outPixels
                    for oy in oy0..<oy1 {
                        let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                        let row = grad + oy &* g.outWidth, input = src + (iy &* g.width &+ xOff)
                        total += g.strideW == 1 ? dot(row + ox0, input + ox0, ox1 &- ox0)
                            : stridedDot(row + ox0, input + ox0 &* g.strideW, ox1 &- ox0, g.strideW)
                    }
                }
                gw[co * kk + ky * g.kernelW + kx] = total
            }
        }
    }
}

/// Σ a[i]·b[i], vectorised with independent SIMD partial sums.
@inline(__always)
private func dot<T: GemmScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
    typealias V = T.Vector
    let w = V.scalarCount
    var acc = V()
    var i = 0
    while i &+ w <= n {
        acc.addProduct(UnsafeRawPointer(a + i).loadUnaligned(as: V.self), UnsafeRawPointer(b + i).loadUnaligned(as: V.self))
        i &+= w
    }
    var s = acc.sum()
    while i < n { s = s.addingProduct(a[i], b[i]); i &+= 1 }
    return s
}

@inline(__always)
private func stridedDot<T: GemmScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int, _ stride: Int) -> T {
    var s: T = 0
    for i in 0..<n { s = s.addingProduct(a[i], b[i &* stride]) }
    return s
}

/// One output plane for horizontal stride 1: every output row is computed in
/// SIMD-wide runs that keep the sum in a register across all taps; the few
/// columns whose taps touch the left/right padding are done one by one.
private func depthwisePlaneUnitStride<T: GemmScalar>(_ src: UnsafePointer<T>, _ taps: UnsafePointer<T>, _ bias: T,
                                                     _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
    typealias V = T.Vector
    let lanes = V.scalarCount
    var interiorLo = 0, interiorHi = g.outWidth // columns where every tap is inside the image
    for kx in 0..<g.kernelW {
        let (lo, hi) = g.validColumns(kx: kx)
        interiorLo = max(interiorLo, lo); interiorHi = min(interiorHi, hi)
    }
    let vectorised = interiorHi &- interiorLo >= lanes
    for oy in 0..<g.outHeight {
        let row = dst + oy &* g.outWidth
        if !vectorised {
            for ox in 0..<g.outWidth { row[ox] = depthwisePixel(src, taps, bias, g, oy: oy, ox: ox) }
            continue
        }
        for ox in 0..<interiorLo { row[ox] = depthwisePixel(src, taps, bias, g, oy: oy, ox: ox) }
        // SIMD runs over the interior; the last run is shifted back to end at
        // interiorHi (recomputing a few pixels) instead of a scalar tail.
        var start = interiorLo
        while start < interiorHi {
            let ox = min(start, interiorHi &- lanes)
            var acc = V(repeating: bias)
            for ky in 0..<g.kernelH {
                let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                if iy < 0 || iy >= g.height { continue }
                let base = UnsafeRawPointer(src + (iy &* g.width &+ ox &- g.padLeft))
                for kx in 0..<g.kernelW {
                    let v = base.loadUnaligned(fromByteOffset: kx &* g.dilationW &* MemoryLayout<T>.stride, as: V.self)
                    acc.addProduct(V(repeating: taps[ky &* g.kernelW &+ kx]), v)
                }
            }
            UnsafeMutableRawPointer(row + ox).storeBytes(of: acc, as: V.self)
            start &+= lanes
        }
        for ox in interiorHi..<g.outWidth { row[ox] = depthwisePixel(src, taps, bias, g, oy: oy, ox: ox) }
    }
}

/// One output pixel of a depthwise plane (horizontal stride 1), with bounds checks.
@inline(__always)
private func depthwisePixel<T: GemmScalar>(_ src: UnsafePointer<T>, _ taps: UnsafePointer<T>, _ bias: T,
                                           _ g: ConvGeometry, oy: Int, ox: Int) -> T {
    var sum = bias
    for ky in 0..<g.kernelH {
        let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
        if iy < 0 || iy >= g.height { continue }
        for kx in 0..<g.kernelW {
            let ix = ox &- g.padLeft &+ kx &* g.dilationW
            if ix >= 0 && ix < g.width { sum = sum.addingProduct(taps[ky &* g.kernelW &+ kx], src[iy &* g.width &+ ix]) }
        }
    }
    return sum
}
