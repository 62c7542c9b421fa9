/// The weight gradient of a shallow stride-1 convolution (a first layer: one
/// to a few input channels, so K = C·Kh·Kw is below a micro-tile's worth):
///
///     gw[co, (ci, ky, kx)] = Σ_n Σ_q pixels[n, co, q] · shifted[n, ci, kx][ky·dilation·Wo + q]
///
/// over the output pixels q = oy·Wo + ox. `shifted[ci, kx]` is the padded image
/// of channel ci moved left by kx·dilation columns and cut to Wo columns, so
/// each row (ci, ky, kx) of the column matrix is one contiguous run of it, as
/// long as the output gradient itself: the gradient is read in place, once,
/// and only these Kw small copies of the image are made (for a band of output
/// rows at a time, so they stay in L2). A GEMM would leave most of a
/// micro-tile empty (K = 9 fills 9 of 32 columns); here every FMA is useful,
/// and each block of four gradient channels and three rows shares its loads
/// (7 loads for 12 FMAs).

/// gw[Cout, C/groups, Kh, Kw] = Σ_n pixels[n] ⋆ image[n] (stride 1); overwrites `gw`.
func convWeightGradShallowKernel<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>,
                                                _ gw: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let k = g.columnRows, og = g.outChannelsPerGroup, cg = g.channelsPerGroup
    let wCount = g.outChannels * k, threads = max(1, EngineConfig.threads)
    gw.update(repeating: 0, count: wCount)
    if g.batch == 0 || g.outPixels == 0 || k == 0 { return }
    // Bands of output rows keep the copies near 256 KiB of float32 (in L2) whatever the image size.
    let reach = (g.kernelH - 1) * g.dilationH
    let bandRows = max(1, min(g.outHeight, (1 << 16) / max(1, cg * g.kernelW * g.outWidth)))
    let copySize = (bandRows + reach) * g.outWidth
    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: k)
    defer { offsets.deallocate() }
    var r = 0
    for ci in 0..<cg {
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                offsets[r] = (ci * g.kernelW + kx) * copySize + ky * g.dilationH * g.outWidth
                r += 1
            }
        }
    }
    let partials = UnsafeMutablePointer<T>.allocate(capacity: threads * wCount)
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: threads * wCount)
    try runConvTasks(T.self, tasks: g.batch * g.groups, workspace: cg * g.kernelW * copySize, op: op) { t, chunk, ws in
        let n = t / g.groups, gi = t % g.groups
        let acc = partials + chunk * wCount + gi * og * k
        var oy0 = 0
        while oy0 < g.outHeight {
            let rows = min(bandRows, g.outHeight - oy0), count = rows * g.outWidth
            shiftColumns(image + (n * g.channels + gi * cg) * g.imagePixels, channels: cg, y0: oy0, rows: rows + reach,
                         copySize: copySize, g, into: ws)
            let d = pixels + (n * g.outChannels + gi * og) * g.outPixels + oy0 * g.outWidth
            var co = 0
            while co < og {
                var r = 0
                while r < k {
                    dotBlock(d + co * g.outPixels, stride: g.outPixels, channels: min(4, og - co), ws, offsets + r,
                             rows: min(3, k - r), count: count, into: acc + co * k + r, rs: k)
                    r += 3
                }
                co += 4
            }
            oy0 += rows
        }
    }
    for c in 0..<threads {
        let part = partials + c * wCount
        for i in 0..<wCount { gw[i] += part[i] }
    }
}

/// dst[ci, kx][y, ox] = image[ci, y0 + y − padTop, ox + kx·dilation − padLeft] (zero outside the
/// image) for y < rows, ox < Wo: Kw column-shifted copies of each channel, Wo wide, `copySize` apart.
private func shiftColumns<T: GemmScalar>(_ image: UnsafePointer<T>, channels: Int, y0: Int, rows: Int, copySize: Int,
                                         _ g: ConvGeometry, into dst: UnsafeMutablePointer<T>) {
    let wo = g.outWidth
    for ci in 0..<channels {
        for kx in 0..<g.kernelW {
            let copy = dst + (ci * g.kernelW + kx) * copySize
            let (c0, c1) = g.validColumns(kx: kx)
            let sourceColumn = kx * g.dilationW - g.padLeft
            for y in 0..<rows {
                let row = copy + y * wo, iy = y0 + y - g.padTop
                guard iy >= 0, iy < g.height, c1 > c0 else {
                    fillZero(row, count: wo)
                    continue
                }
                fillZero(row, count: c0)
                copyElements(image + (ci * g.height + iy) * g.width + sourceColumn + c0, to: row + c0, count: c1 - c0)
                fillZero(row + c1, count: wo - c1)
            }
        }
    }
}

/// out[c·rs + i] += Σ_q d[c·stride + q] · base[offsets[i] + q] for c < channels (≤ 4), i < rows (≤ 3).
@inline(__always)
private func dotBlock<T: GemmScalar>(_ d: UnsafePointer<T>, stride: Int, channels: Int, _ base: UnsafePointer<T>,
                                     _ offsets: UnsafePointer<Int>, rows: Int, count: Int,
                                     into out: UnsafeMutablePointer<T>, rs: Int) {
    typealias V = T.Vector
    // Missing channels and rows repeat the first one (in bounds); their sums are dropped.
    let d0 = d, d1 = d + (channels > 1 ? stride : 0), d2 = d + (channels > 2 ? 2 &* stride : 0)
    let d3 = d + (channels > 3 ? 3 &* stride : 0)
    let x0 = base + offsets[0], x1 = base + offsets[rows > 1 ? 1 : 0], x2 = base + offsets[rows > 2 ? 2 : 0]
    var a00 = V(), a01 = V(), a02 = V(), a10 = V(), a11 = V(), a12 = V()
    var a20 = V(), a21 = V(), a22 = V(), a30 = V(), a31 = V(), a32 = V()
    let w = V.scalarCount, vectorEnd = count - count % w
    var q = 0
    while q < vectorEnd {
        let u0 = load(x0 + q, as: V.self), u1 = load(x1 + q, as: V.self), u2 = load(x2 + q, as: V.self)
        var v = load(d0 + q, as: V.self)
        a00.addProduct(v, u0); a01.addProduct(v, u1); a02.addProduct(v, u2)
        v = load(d1 + q, as: V.self)
        a10.addProduct(v, u0); a11.addProduct(v, u1); a12.addProduct(v, u2)
        v = load(d2 + q, as: V.self)
        a20.addProduct(v, u0); a21.addProduct(v, u1); a22.addProduct(v, u2)
        v = load(d3 + q, as: V.self)
        a30.addProduct(v, u0); a31.addProduct(v, u1); a32.addProduct(v, u2)
        q &+= w
    }
    withUnsafeTemporaryAllocation(of: T.self, capacity: 12) { sums in
        (sums[0], sums[1], sums[2], sums[3]) = (a00.sum(), a01.sum(), a02.sum(), a10.sum())
        (sums[4], sums[5], sums[6], sums[7]) = (a11.sum(), a12.sum(), a20.sum(), a21.sum())
        (sums[8], sums[9], sums[10], sums[11]) = (a22.sum(), a30.sum(), a31.sum(), a32.sum())
        for c in 0..<channels {
            let channelRow = d + c &* stride
            for i in 0..<rows {
                let imageRow = base + offsets[i]
                var s = sums[c &* 3 &+ i]
                for t in vectorEnd..<count { s.addProduct(channelRow[t], imageRow[t]) }
                out[c &* rs &+ i] += s
            }
        }
    }
}

@inline(__always)
private func load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}
