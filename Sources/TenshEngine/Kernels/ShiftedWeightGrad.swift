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
    let allPixels = 0..<layout.gridPixels
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
        let splits = (threads + units - 1) / units, span = roundUp((layout.gridPixels + splits - 1) / splits, 8)
        try runConvTasks(T.self, tasks: units * splits, workspace: 0, op: op) { task, chunk, _ in
            let t = task / splits, q0 = (task % splits) * span, gi = t % g.groups
            guard q0 < layout.gridPixels else { return }
            let ws = buffer + t * (imageElements + gradElements)
            accumulateWeightGrad(ws, offsets: offsets, k: k, packedB: ws + imageElements, columns: ogCols,
                                 gridPixels: layout.gridPixels, steps: q0..<min(layout.gridPixels, q0 + span),
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
    for oy in 0..<g.outHeight {
        let row = panel + oy * layout.wp * nr, src = pixels + oy * g.outWidth
        if channels < nr { fillZero(row, count: g.outWidth * nr) }
        for c in 0..<channels {
            let line = src + c * g.outPixels
            var dst = row + c
            for ox in 0..<g.outWidth {
                dst.pointee = line[ox]
                dst += nr
            }
        }
        fillZero(row + g.outWidth * nr, count: (layout.wp - g.outWidth) * nr)
    }
    let used = g.outHeight * layout.wp
    fillZero(panel + used * nr, count: (layout.gridPixels - used) * nr)
}
