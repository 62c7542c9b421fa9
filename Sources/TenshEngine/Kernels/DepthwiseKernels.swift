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

/// image[n, c] = the input gradient of a depthwise convolution with m = 1, as the
/// forward plane kernel on `plane` (stride 1, from `transposeAsForward`) with the
/// kernel flipped: a gather, no scatter-add. Overwrites `image`.
func depthwiseTransposeFlippedKernel<T: GemmScalar>(_ y: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                                    _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                                    plane: ConvGeometry, op: String) throws {
    let kk = g.kernelH * g.kernelW
    try runConvTasks(T.self, tasks: g.batch * g.channels, workspace: kk, op: op) { p, _, flipped in
        let taps = w + (p % g.channels) * kk
        for i in 0..<kk { flipped[i] = taps[kk - 1 - i] }
        depthwisePlaneUnitStride(y + p * g.outPixels, flipped, 0, image + p * g.imagePixels, plane)
    }
}

/// image[n, c] = Σ_j Σ w[c·m + j, ky, kx] · y[n, c·m + j] scattered back (input
/// gradient / transpose). Overwrites `image`; a task owns one image plane.
func depthwiseTransposeScatterKernel<T: GemmScalar>(_ y: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                                    _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                                    op: String) throws {
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
                var sums = DotSums<T>(count: ox1 &- ox0)
                for n in 0..<g.batch where ox0 < ox1 {
                    let src = x + (n * g.channels + co / m) * g.imagePixels
                    let grad = gy + (n * g.outChannels + co) * g.outPixels
                    for oy in oy0..<oy1 {
                        let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                        let row = grad + oy &* g.outWidth, input = src + (iy &* g.width &+ xOff)
                        if g.strideW == 1 {
                            sums.add(row + ox0, input + ox0)
                        } else {
                            total += stridedDot(row + ox0, input + ox0 &* g.strideW, ox1 &- ox0, g.strideW)
                        }
                    }
                }
                total += sums.total
                gw[co * kk + ky * g.kernelW + kx] = total
            }
        }
    }
}

/// Σ a[i]·b[i] over many rows of one length, kept in four SIMD partial sums
/// (independent FMA chains) and reduced once at the end. A row's last partial
/// vector is loaded ending at the row's end and masked to the lanes not yet
/// counted, so no row has a scalar tail (rows shorter than a vector are scalar).
private struct DotSums<T: GemmScalar> {
    typealias V = T.Vector
    let count: Int
    let tailMask: V
    var s0 = V(), s1 = V(), s2 = V(), s3 = V()
    var scalar: T = 0

    init(count: Int) {
        self.count = count
        var mask = V()
        let tail = count % V.scalarCount
        for lane in 0..<V.scalarCount where lane >= V.scalarCount - tail { mask[lane] = 1 }
        tailMask = mask
    }

    @inline(__always) mutating func add(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>) {
        let w = V.scalarCount
        if count < w {
            for i in 0..<count { scalar = scalar.addingProduct(a[i], b[i]) }
            return
        }
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), size = MemoryLayout<T>.stride
        var i = 0
        while i &+ 2 &* w <= count {
            s0.addProduct(ra.loadUnaligned(fromByteOffset: i &* size, as: V.self),
                          rb.loadUnaligned(fromByteOffset: i &* size, as: V.self))
            s1.addProduct(ra.loadUnaligned(fromByteOffset: (i &+ w) &* size, as: V.self),
                          rb.loadUnaligned(fromByteOffset: (i &+ w) &* size, as: V.self))
            i &+= 2 &* w
        }
        if i &+ w <= count {
            s2.addProduct(ra.loadUnaligned(fromByteOffset: i &* size, as: V.self),
                          rb.loadUnaligned(fromByteOffset: i &* size, as: V.self))
            i &+= w
        }
        if i < count {
            let end = (count &- w) &* size
            s3.addProduct(tailMask * ra.loadUnaligned(fromByteOffset: end, as: V.self),
                          rb.loadUnaligned(fromByteOffset: end, as: V.self))
        }
    }

    var total: T { ((s0 + s1) + (s2 + s3)).sum() + scalar }
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
        // SIMD runs over the interior, four at a time (four independent FMA
        // chains; one chain would wait out the FMA latency at every tap). Runs
        // past the end are shifted back to end at interiorHi, recomputing a few
        // pixels instead of a scalar tail.
        var start = interiorLo
        while start < interiorHi {
            let last = interiorHi &- lanes
            let o0 = min(start, last), o1 = min(start &+ lanes, last)
            let o2 = min(start &+ 2 &* lanes, last), o3 = min(start &+ 3 &* lanes, last)
            var a0 = V(repeating: bias), a1 = a0, a2 = a0, a3 = a0
            for ky in 0..<g.kernelH {
                let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                if iy < 0 || iy >= g.height { continue }
                let base = UnsafeRawPointer(src + (iy &* g.width &- g.padLeft))
                for kx in 0..<g.kernelW {
                    let tap = V(repeating: taps[ky &* g.kernelW &+ kx])
                    let shifted = base + kx &* g.dilationW &* MemoryLayout<T>.stride
                    a0.addProduct(tap, shifted.loadUnaligned(fromByteOffset: o0 &* MemoryLayout<T>.stride, as: V.self))
                    a1.addProduct(tap, shifted.loadUnaligned(fromByteOffset: o1 &* MemoryLayout<T>.stride, as: V.self))
                    a2.addProduct(tap, shifted.loadUnaligned(fromByteOffset: o2 &* MemoryLayout<T>.stride, as: V.self))
                    a3.addProduct(tap, shifted.loadUnaligned(fromByteOffset: o3 &* MemoryLayout<T>.stride, as: V.self))
                }
            }
            UnsafeMutableRawPointer(row + o0).storeBytes(of: a0, as: V.self)
            UnsafeMutableRawPointer(row + o1).storeBytes(of: a1, as: V.self)
            UnsafeMutableRawPointer(row + o2).storeBytes(of: a2, as: V.self)
            UnsafeMutableRawPointer(row + o3).storeBytes(of: a3, as: V.self)
            start &+= 4 &* lanes
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
