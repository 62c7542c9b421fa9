/// The weight gradient of a convolution on the implicit-GEMM layout of
/// ShiftedConv.swift, with no column matrix:
///
///     gw[co, r] = Σ_n Σ_q pixels[n, co, q] · padded[n, offset(r) + q]
///
/// over grid pixels q (the output placed on the Ho x wp grid, zero in the
/// discarded columns) and column-matrix rows r = (ci, ky, kx). As a GEMM it is
/// Gᵀ[K x og] = A[K x Q] · B[Q x og]: A's rows are shifted windows of the
/// padded image read in place (`ShiftedRowsA`), B is the output gradient
/// transposed onto the grid, packed once per image.

/// gw[Cout, C/groups, Kh, Kw] = Σ_n pixels[n] ⋆ image[n]; overwrites `gw`.
func convWeightGradShiftedKernel<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>,
                                                _ gw: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let nr = GemmShape.nr(T.self), mr = GemmShape.mr
    let layout = ShiftedLayout(g, nr: nr)
    let k = g.columnRows, og = g.outChannelsPerGroup, cg = g.channelsPerGroup
    let kRows = roundUp(k, mr), ogCols = roundUp(og, nr)
    let partialSize = g.groups * kRows * ogCols
    gw.update(repeating: 0, count: g.outChannels * k)
    if g.batch == 0 || g.outPixels == 0 || k == 0 { return }
    let offsets = shiftOffsets(g, layout, elementSize: 1)
    defer { offsets.deallocate() }
    let units = g.batch * g.groups, threads = EngineConfig.threads
    let chunks = max(1, threads) // runConvTasks runs at least `threads` tasks on both paths below
    let partials = UnsafeMutablePointer<T>.allocate(capacity: chunks * partialSize)
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: chunks * partialSize)
    let imageElements = cg * layout.channelElements + layout.slack, gradElements = ogCols * layout.gridPixels
    // The sum stops at the last real output pixel: the rest of the grid (its
    // last row's discarded columns, the round-up to NR) is zero in the packed
    // gradient (c6: 271 of 288 steps per image).
    let usedPixels = (g.outHeight - 1) * layout.wp + g.outWidth
    let allPixels = 0..<usedPixels
    if units >= threads {
        // One task per image and group, padded and packed in the task's own buffer (stays in L2).
        try runConvTasks(T.self, tasks: units, workspace: imageElements + gradElements, op: op) { t, chunk, ws in
            let n = t / g.groups, gi = t % g.groups
            prepareImage(image, pixels, n: n, group: gi, g, layout, into: ws, gradient: ws + imageElements)
            accumulateWeightGrad(ws, offsets: offsets, k: k, packedB: ws + imageElements, columns: ogCols,
                                 gridPixels: layout.gridPixels, steps: allPixels,
                                 into: partials + chunk * partialSize + gi * kRows * ogCols)
        }
    } else {
        // Few images: prepare them all, then split the grid pixels over the threads.
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: units * (imageElements + gradElements))
        defer { buffer.deallocate() }
        parallelFor(units * threads) { i in
            let t = i / threads, ws = buffer + t * (imageElements + gradElements)
            prepareImage(image, pixels, n: t / g.groups, group: t % g.groups, g, layout, into: ws,
                         gradient: ws + imageElements, part: i % threads, parts: threads)
        }
        let splits = (threads + units - 1) / units, span = roundUp((usedPixels + splits - 1) / splits, 8)
        try runConvTasks(T.self, tasks: units * splits, workspace: 0, op: op) { task, chunk, _ in
            let t = task / splits, q0 = (task % splits) * span, gi = t % g.groups
            guard q0 < usedPixels else { return }
            let ws = buffer + t * (imageElements + gradElements)
            accumulateWeightGrad(ws, offsets: offsets, k: k, packedB: ws + imageElements, columns: ogCols,
                                 gridPixels: layout.gridPixels, steps: q0..<min(usedPixels, q0 + span),
                                 into: partials + chunk * partialSize + gi * kRows * ogCols)
        }
    }
    // gw[gi·og + co, r] = Σ_chunks Gᵀ[gi, r, co]
    for gi in 0..<g.groups {
        for co in 0..<og {
            let dst = gw + (gi * og + co) * k
            for c in 0..<chunks {
                let src = partials + c * partialSize + gi * kRows * ogCols + co
                for r in 0..<k { dst[r] += src[r * ogCols] }
            }
        }
    }
}

/// The padded phase planes of image n, group gi, and its output gradient packed
/// onto the grid; `part` of `parts` does every parts-th channel and panel.
private func prepareImage<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>, n: Int, group gi: Int,
                                         _ g: ConvGeometry, _ layout: ShiftedLayout, into padded: UnsafeMutablePointer<T>,
                                         gradient: UnsafeMutablePointer<T>, part: Int = 0, parts: Int = 1) {
    let cg = g.channelsPerGroup, og = g.outChannelsPerGroup, nr = GemmShape.nr(T.self)
    let source = image + (n * g.channels + gi * cg) * g.imagePixels
    for c in stride(from: part, to: cg, by: parts) {
        padPlanes(source + c * g.imagePixels, count: 1, g, layout, into: padded + c * layout.channelElements)
    }
    if part == 0 { fillZero(padded + cg * layout.channelElements, count: layout.slack) }
    let outputs = pixels + (n * g.outChannels + gi * og) * g.outPixels
    for panel in stride(from: part, to: (og + nr - 1) / nr, by: parts) {
        packGridPanel(outputs + panel * nr * g.outPixels, channels: min(nr, og - panel * nr), g, layout,
                      into: gradient + panel * nr * layout.gridPixels)
    }
}

/// Gᵀ[r, co] += Σ_q padded[offset(r) + q] · packedB[co / NR][q][co % NR] for q in `steps`, all r < k.
private func accumulateWeightGrad<T: GemmScalar>(_ padded: UnsafePointer<T>, offsets: UnsafePointer<Int>, k: Int,
                                                 packedB: UnsafePointer<T>, columns: Int, gridPixels: Int,
                                                 steps: Range<Int>, into gT: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self), mr = GemmShape.mr
    // 128 steps: the B panels of a 64-channel output (2 x 16 KiB) stay in L1.
    let qBlock = 128
    var q0 = steps.lowerBound
    while q0 < steps.upperBound && !Cancellation.isRequested { // the caller rethrows Ctrl-C
        let kc = min(qBlock, steps.upperBound - q0)
        var r = 0
        while r < k {
            let a = ShiftedRowsA(base: padded + q0, offsets: offsets + r, count: min(mr, k - r))
            var j = 0
            while j < columns {
                let panel = PackedPanelB(base: packedB + (j / nr) * gridPixels * nr + q0 * nr)
                gemmMicroKernel(kc, a, panel, into: gT + r * columns + j, rs: columns, alpha: 1, beta: 1)
                j += nr
            }
            r += mr
        }
        q0 += kc
    }
}

/// panel[q][c] = pixels[c, oy, ox] at grid pixel q = oy·wp + ox for c < channels
/// (zero where ox ≥ Wo, past the grid, and for c ≥ channels). One grid row at a
/// time (wp·NR values, in L1), filled channel by channel from sequential reads.
private func packGridPanel<T: GemmScalar>(_ pixels: UnsafePointer<T>, channels: Int, _ g: ConvGeometry,
                                          _ layout: ShiftedLayout, into panel: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self)
    // Float panels of all 32 channels move 16x16 blocks through registers; the rest element by element.
    let blocked = T.self == Float.self && channels == nr ? g.outWidth / 16 * 16 : 0
    for oy in 0..<g.outHeight {
        let row = panel + oy * layout.wp * nr, src = pixels + oy * g.outWidth
        if channels < nr { fillZero(row, count: g.outWidth * nr) }
        for c0 in stride(from: 0, to: blocked > 0 ? nr : 0, by: 16) {
            for ox in stride(from: 0, to: blocked, by: 16) {
                transposeBlock16(UnsafeRawPointer(src + c0 * g.outPixels + ox), rowStride: 4 * g.outPixels,
                                 into: UnsafeMutableRawPointer(row + ox * nr + c0), outStride: 4 * nr)
            }
        }
        for c in 0..<channels {
            let line = src + c * g.outPixels
            var dst = row + blocked * nr + c
            for ox in blocked..<g.outWidth {
                dst.pointee = line[ox]
                dst += nr
            }
        }
        fillZero(row + g.outWidth * nr, count: (layout.wp - g.outWidth) * nr)
    }
    let used = g.outHeight * layout.wp
    fillZero(panel + used * nr, count: (layout.gridPixels - used) * nr)
}

/// out row i = (in row 0 [i], ..., in row 15 [i]) for a 16x16 float32 block (strides in bytes): four
/// rounds of perfect shuffles (rows i and i + 8 interleaved into rows 2i, 2i + 1) transpose it, each
/// shuffle one two-source permute, in registers (a tuple, not memory), instead of 256 scalar stores.
@inline(__always)
private func transposeBlock16(_ src: UnsafeRawPointer, rowStride: Int, into dst: UnsafeMutableRawPointer,
                              outStride: Int) {
    typealias V = SIMD16<Float>
    func row(_ r: Int) -> V { src.loadUnaligned(fromByteOffset: r &* rowStride, as: V.self) }
    var b = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7),
             row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
    for _ in 0..<4 {
        b = (low(b.0, b.8), high(b.0, b.8), low(b.1, b.9), high(b.1, b.9), low(b.2, b.10), high(b.2, b.10),
             low(b.3, b.11), high(b.3, b.11), low(b.4, b.12), high(b.4, b.12), low(b.5, b.13), high(b.5, b.13),
             low(b.6, b.14), high(b.6, b.14), low(b.7, b.15), high(b.7, b.15))
    }
    func store(_ v: V, _ r: Int) { dst.storeBytes(of: v, toByteOffset: r &* outStride, as: V.self) }
    store(b.0, 0); store(b.1, 1); store(b.2, 2); store(b.3, 3); store(b.4, 4); store(b.5, 5); store(b.6, 6)
    store(b.7, 7); store(b.8, 8); store(b.9, 9); store(b.10, 10); store(b.11, 11); store(b.12, 12)
    store(b.13, 13); store(b.14, 14); store(b.15, 15)
}

/// (a[0], b[0], a[1], b[1], ..., a[7], b[7]) and (a[8], b[8], ..., a[15], b[15]).
@inline(__always)
private func low(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}

@inline(__always)
private func high(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[8], b[8], a[9], b[9], a[10], b[10], a[11], b[11], a[12], b[12], a[13], b[13], a[14], b[14], a[15], b[15])
}
