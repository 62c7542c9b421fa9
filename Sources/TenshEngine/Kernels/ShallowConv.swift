/// The forward of a shallow convolution with horizontal stride 1 (a first
/// layer: K = C/groups·Kh·Kw below 16, e.g. c8's one channel, 3x3, K = 9):
///
///     out[n, co, oy, ox] = bias[co] + Σ_p W[co, p] · window[offset(p) + oy·strideH·wp + ox]
///
/// where `window` is a zero-padded copy of the input rows one task needs
/// (wp columns each), so every tap p = (ci, ky, kx) is one contiguous run per
/// output row, read in place: no column matrix. Per output row, two SIMD
/// vectors of pixels times eight output channels (16 accumulators) take every
/// tap in registers, and the sums go straight to the output, written once.
/// The im2col GEMM it replaces fits K = 9 badly: each 8 x 32 micro-tile did
/// 9 FMA steps, then stored 16 vectors, on top of the im2col pass and the B packing (`perf`, c8: 74% in the GEMM, 13%
/// im2col and copies).

/// out[N, Cout, Ho, Wo] = conv(x, w) + bias, for geometries with `fitsShallowForward`.
func convForwardShallowKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                             _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    if g.outPixels == 0 || g.batch == 0 || g.outChannels == 0 { return }
    let k = g.columnRows, og = g.outChannelsPerGroup, cg = g.channelsPerGroup, panelRows = roundUp(og, GemmShape.mr)
    // The weights of every group as MR-row panels: [group][panel][p][MR], zero rows past og.
    let packed = UnsafeMutablePointer<T>.allocate(capacity: max(1, g.groups * panelRows * k))
    defer { packed.deallocate() }
    for gi in 0..<g.groups {
        gemmPackA(MatrixView(w + gi * og * k, rs: k, cs: 1), m: og, kc: k, into: packed + gi * panelRows * k)
    }
    // Bands of output rows: a band's window stays near 256 KiB of float32 (in L2), and a
    // single image still gives every thread work.
    let units = g.batch * g.groups, threads = EngineConfig.threads
    let wp = ShallowWindow.width(g, lanes: T.Vector.scalarCount)
    var bandRows = min(g.outHeight, max(1, (1 << 16) / max(1, cg * wp)))
    if units * ((g.outHeight + bandRows - 1) / bandRows) < 2 * threads {
        let wanted = (2 * threads + units - 1) / units
        bandRows = min(bandRows, max(1, (g.outHeight + wanted - 1) / wanted))
    }
    let bands = (g.outHeight + bandRows - 1) / bandRows
    let window = ShallowWindow(g, bandRows: bandRows, lanes: T.Vector.scalarCount)
    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: max(1, k))
    defer { offsets.deallocate() }
    var p = 0
    for ci in 0..<cg {
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                offsets[p] = ci * window.channelElements + ky * g.dilationH * window.wp + kx * g.dilationW
                p += 1
            }
        }
    }
    try runConvTasks(T.self, tasks: units * bands, workspace: cg * window.channelElements, op: op) { t, _, ws in
        let n = t / (g.groups * bands), gi = (t / bands) % g.groups, oy0 = (t % bands) * bandRows
        let oy1 = min(g.outHeight, oy0 + bandRows)
        guard oy0 < oy1 else { return }
        let image = x + (n * g.channels + gi * cg) * g.imagePixels
        for c in 0..<cg {
            window.fill(from: image + c * g.imagePixels, g, firstRow: oy0, into: ws + c * window.channelElements)
        }
        // Channel panels outside, rows inside: eight sequential output streams at a time.
        let channel0 = gi * og
        var co = 0
        while co < og {
            let dst = out + (n * g.outChannels + channel0 + co) * g.outPixels
            for oy in oy0..<oy1 {
                shallowRowPanel(UnsafePointer(ws) + (oy - oy0) * g.strideH * window.wp, offsets, k: k,
                                panel: packed + (gi * panelRows + co) * k, bias: bias.map { $0 + channel0 + co },
                                rows: min(GemmShape.mr, og - co), into: dst + oy * g.outWidth, rowStride: g.outPixels,
                                width: g.outWidth)
            }
            co += GemmShape.mr
        }
    }
}

/// The padded input rows of one band of output rows, per channel: row i is
/// input row oy0·strideH − padTop + i, column j is input column j − padLeft
/// (zero outside the image).
struct ShallowWindow {
    let rows: Int, wp: Int
    var channelElements: Int { rows * wp }

    init(_ g: ConvGeometry, bandRows: Int, lanes: Int) {
        rows = (bandRows - 1) * g.strideH + (g.kernelH - 1) * g.dilationH + 1
        wp = ShallowWindow.width(g, lanes: lanes)
    }

    /// Wide enough for a full vector at every tap, even when Wo < one vector.
    static func width(_ g: ConvGeometry, lanes: Int) -> Int {
        max(g.outWidth, lanes) + (g.kernelW - 1) * g.dilationW
    }

    func fill<T: GemmScalar>(from plane: UnsafePointer<T>, _ g: ConvGeometry, firstRow oy0: Int,
                             into dst: UnsafeMutablePointer<T>) {
        let top = oy0 * g.strideH - g.padTop
        let (r0, r1) = validRange(offset: top, stride: 1, size: g.height, count: rows)
        let (c0, c1) = validRange(offset: -g.padLeft, stride: 1, size: g.width, count: wp)
        fillZero(dst, count: r0 * wp)
        for i in r0..<r1 {
            let row = dst + i * wp
            fillZero(row, count: c0)
            copyElements(plane + (top + i) * g.width + (c0 - g.padLeft), to: row + c0, count: c1 - c0)
            fillZero(row + c1, count: wp - c1)
        }
        fillZero(dst + r1 * wp, count: (rows - r1) * wp)
    }
}

/// Output rows `rows` (≤ MR) channels apart by `rowStride`, `width` pixels each,
/// from one packed weight panel: every tap is one shifted vector load shared by
/// the panel's eight channels. Pixel runs past the end are shifted back to end
/// at `width` (recomputing a few pixels instead of a scalar tail).
@inline(__always)
private func shallowRowPanel<T: GemmScalar>(_ source: UnsafePointer<T>, _ offsets: UnsafePointer<Int>, k: Int,
                                            panel: UnsafePointer<T>, bias: UnsafePointer<T>?, rows: Int,
                                            into dst: UnsafeMutablePointer<T>, rowStride: Int, width: Int) {
    typealias V = T.Vector
    let lanes = V.scalarCount, last = max(width, lanes) - lanes
    var initial = (V(), V(), V(), V(), V(), V(), V(), V())
    if let bias {
        initial.0 = V(repeating: bias[0])
        if rows > 1 { initial.1 = V(repeating: bias[1]) }
        if rows > 2 { initial.2 = V(repeating: bias[2]) }
        if rows > 3 { initial.3 = V(repeating: bias[3]) }
        if rows > 4 { initial.4 = V(repeating: bias[4]) }
        if rows > 5 { initial.5 = V(repeating: bias[5]) }
        if rows > 6 { initial.6 = V(repeating: bias[6]) }
        if rows > 7 { initial.7 = V(repeating: bias[7]) }
    }
    var start = 0
    while start < width {
        let o0 = min(start, last), o1 = min(start &+ lanes, last)
        var (a0, a1, a2, a3, a4, a5, a6, a7) = initial
        var (c0, c1, c2, c3, c4, c5, c6, c7) = initial
        var p = 0
        while p < k {
            let s = UnsafeRawPointer(source + offsets[p])
            let lo = s.loadUnaligned(fromByteOffset: o0 &* MemoryLayout<T>.stride, as: V.self)
            let hi = s.loadUnaligned(fromByteOffset: o1 &* MemoryLayout<T>.stride, as: V.self)
            let wr = panel + p &* GemmShape.mr
            var t = V(repeating: wr[0]); a0.addProduct(t, lo); c0.addProduct(t, hi)
            t = V(repeating: wr[1]); a1.addProduct(t, lo); c1.addProduct(t, hi)
            t = V(repeating: wr[2]); a2.addProduct(t, lo); c2.addProduct(t, hi)
            t = V(repeating: wr[3]); a3.addProduct(t, lo); c3.addProduct(t, hi)
            t = V(repeating: wr[4]); a4.addProduct(t, lo); c4.addProduct(t, hi)
            t = V(repeating: wr[5]); a5.addProduct(t, lo); c5.addProduct(t, hi)
            t = V(repeating: wr[6]); a6.addProduct(t, lo); c6.addProduct(t, hi)
            t = V(repeating: wr[7]); a7.addProduct(t, lo); c7.addProduct(t, hi)
            p &+= 1
        }
        let out = (dst + o0, dst + o1)
        storePixels(a0, c0, out, width: width)
        if rows > 1 { storePixels(a1, c1, (out.0 + rowStride, out.1 + rowStride), width: width) }
        if rows > 2 { storePixels(a2, c2, (out.0 + 2 &* rowStride, out.1 + 2 &* rowStride), width: width) }
        if rows > 3 { storePixels(a3, c3, (out.0 + 3 &* rowStride, out.1 + 3 &* rowStride), width: width) }
        if rows > 4 { storePixels(a4, c4, (out.0 + 4 &* rowStride, out.1 + 4 &* rowStride), width: width) }
        if rows > 5 { storePixels(a5, c5, (out.0 + 5 &* rowStride, out.1 + 5 &* rowStride), width: width) }
        if rows > 6 { storePixels(a6, c6, (out.0 + 6 &* rowStride, out.1 + 6 &* rowStride), width: width) }
        if rows > 7 { storePixels(a7, c7, (out.0 + 7 &* rowStride, out.1 + 7 &* rowStride), width: width) }
        start &+= 2 &* lanes
    }
}

/// Stores two pixel vectors of one output row; a row narrower than a vector
/// (both at its start) keeps only its `width` pixels.
@inline(__always)
private func storePixels<V: SIMD>(_ lo: V, _ hi: V, _ at: (UnsafeMutablePointer<V.Scalar>, UnsafeMutablePointer<V.Scalar>),
                                  width: Int) {
    if width >= V.scalarCount {
        UnsafeMutableRawPointer(at.0).storeBytes(of: lo, as: V.self)
        UnsafeMutableRawPointer(at.1).storeBytes(of: hi, as: V.self)
    } else {
        for i in 0..<width { at.0[i] = lo[i] }
    }
}
