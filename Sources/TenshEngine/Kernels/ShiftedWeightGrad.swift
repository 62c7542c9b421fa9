/// The weight gradient of a convolution on the implicit-GEMM layout of
/// ShiftedConv.swift, with no column matrix:
///
///     gw[co, r] = Σ_n Σ_p pixels[n, co, p] · padded[n, offset(r) + grid(p)]
///
/// over real output pixels p = oy·Wo + ox (grid(p) = oy·wp + ox, where p's
/// windows start in the phase planes) and column-matrix rows r = (ci, ky, kx).
/// As a GEMM it is Gᵀ[K x og] = A[K x P] · B[P x og]: A's rows are shifted
/// windows of the padded image read in place at the grid pixels
/// (`GriddedRowsA`), B is the output gradient transposed, packed block by block.

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
    let steps = GridSteps(g, wp: layout.wp)
    defer { steps.deallocate() }
    let units = g.batch * g.groups, threads = EngineConfig.threads
    let chunks = max(1, threads) // runConvTasks runs at least `threads` tasks on both paths below
    let partials = UnsafeMutablePointer<T>.allocate(capacity: chunks * partialSize)
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: chunks * partialSize)
    let imageElements = cg * layout.channelElements + layout.slack, packedElements = ogCols * steps.block
    if units >= threads {
        // One task per image and group, padded in the task's own buffer (stays in L2).
        try runConvTasks(T.self, tasks: units, workspace: imageElements + packedElements, op: op) { t, chunk, ws in
            let n = t / g.groups, gi = t % g.groups
            padImage(image, n: n, group: gi, g, layout, into: ws)
            accumulateWeightGrad(ws, offsets: offsets, k: k, gradient: gradientOf(pixels, n: n, group: gi, g),
                                 channels: og, steps: steps, range: 0..<g.outPixels, packed: ws + imageElements,
                                 into: partials + chunk * partialSize + gi * kRows * ogCols)
        }
    } else {
        // Few images: pad them all (every thread a share of the planes), then split the pixels over the threads.
        let padded = UnsafeMutablePointer<T>.allocate(capacity: units * imageElements)
        defer { padded.deallocate() }
        parallelFor(units * threads) { i in
            let t = i / threads
            padImage(image, n: t / g.groups, group: t % g.groups, g, layout, into: padded + t * imageElements,
                     part: i % threads, parts: threads)
        }
        let splits = (threads + units - 1) / units
        let span = roundUp((g.outPixels + splits - 1) / splits, steps.block)
        try runConvTasks(T.self, tasks: units * splits, workspace: packedElements, op: op) { task, chunk, ws in
            let t = task / splits, p0 = (task % splits) * span, n = t / g.groups, gi = t % g.groups
            guard p0 < g.outPixels else { return }
            accumulateWeightGrad(padded + t * imageElements, offsets: offsets, k: k,
                                 gradient: gradientOf(pixels, n: n, group: gi, g), channels: og, steps: steps,
                                 range: p0..<min(g.outPixels, p0 + span), packed: ws,
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

/// The output gradient of image n, group gi: og planes of Ho·Wo pixels.
@inline(__always)
private func gradientOf<T>(_ pixels: UnsafePointer<T>, n: Int, group gi: Int, _ g: ConvGeometry) -> UnsafePointer<T> {
    pixels + (n * g.outChannels + gi * g.outChannelsPerGroup) * g.outPixels
}

/// The sum runs over real output pixels p = oy·Wo + ox only, not over the grid:
/// grid pixel grid[p] = oy·wp + ox is where p's windows start in the planes (c6:
/// the 17-wide grid of a 16-wide output spent 1/17 of its FMAs on zero columns;
/// c1: 3%). Blocks of equal size, at most 128 pixels: the packed B panels of a
/// 64-channel output (2 x 16 KiB) stay in L1.
private struct GridSteps {
    let grid: UnsafeMutablePointer<Int32>
    let block: Int
    /// Ho·Wo, the row length of an output-gradient plane.
    let pixels: Int

    init(_ g: ConvGeometry, wp: Int) {
        grid = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, g.outPixels))
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth { grid[oy * g.outWidth + ox] = Int32(truncatingIfNeeded: oy * wp + ox) }
        }
        block = equalBlock(max(1, g.outPixels), maximum: 128)
        pixels = g.outPixels
    }

    func deallocate() { grid.deallocate() }
}

/// The padded phase planes of image n, group gi; `part` of `parts` does every parts-th channel.
private func padImage<T: GemmScalar>(_ image: UnsafePointer<T>, n: Int, group gi: Int, _ g: ConvGeometry,
                                     _ layout: ShiftedLayout, into padded: UnsafeMutablePointer<T>,
                                     part: Int = 0, parts: Int = 1) {
    let cg = g.channelsPerGroup
    let source = image + (n * g.channels + gi * cg) * g.imagePixels
    for c in stride(from: part, to: cg, by: parts) {
        padPlanes(source + c * g.imagePixels, count: 1, g, layout, into: padded + c * layout.channelElements)
    }
    if part == 0 { fillZero(padded + cg * layout.channelElements, count: layout.slack) }
}

/// Gᵀ[r, co] += Σ_p padded[offset(r) + grid[p]] · gradient[co, p] for p in `range`, r < k, co < channels:
/// block by block, the block's gradient packed into `packed` (NR-channel panels, in L1) first.
private func accumulateWeightGrad<T: GemmScalar>(_ padded: UnsafePointer<T>, offsets: UnsafePointer<Int>, k: Int,
                                                 gradient: UnsafePointer<T>, channels: Int, steps: GridSteps,
                                                 range: Range<Int>, packed: UnsafeMutablePointer<T>,
                                                 into gT: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self), mr = GemmShape.mr, columns = roundUp(channels, nr)
    var p0 = range.lowerBound
    while p0 < range.upperBound && !Cancellation.isRequested { // the caller rethrows Ctrl-C
        let kc = min(steps.block, range.upperBound - p0)
        var j = 0
        while j < columns {
            packPixelPanel(gradient + j * steps.pixels + p0, channels: min(nr, channels - j), rowStride: steps.pixels,
                           count: kc, into: packed + j * kc)
            j += nr
        }
        prefetchBlock(gradient + p0 + kc, channels: channels, rowStride: steps.pixels,
                      count: min(kc, range.upperBound - p0 - kc))
        var r = 0
        while r < k {
            let a = GriddedRowsA(base: padded, offsets: offsets + r, count: min(mr, k - r), grid: steps.grid + p0)
            j = 0
            while j < columns {
                if k - r <= mr / 2 {
                    addHalfTile(kc, a, packed + j * kc, into: gT + r * columns + j, rs: columns)
                } else {
                    gemmMicroKernel(kc, a, PackedPanelB(base: packed + j * kc), into: gT + r * columns + j, rs: columns,
                                    alpha: 1, beta: 1)
                }
                j += nr
            }
            r += mr
        }
        p0 += kc
    }
}
/// Asks for the next block's gradient (pixels [0, count) of `channels` rows) while
/// the micro-kernel works on this one: its channel rows are whole images apart
/// (c1: 64 rows 50 KB apart), too many streams for the hardware prefetcher, and
/// packing them from L3 was 10% of c1-bwd.
@inline(__always)
private func prefetchBlock<T: GemmScalar>(_ pixels: UnsafePointer<T>, channels: Int, rowStride: Int, count: Int) {
    guard count > 0 else { return }
    let bytes = count * MemoryLayout<T>.stride
    for c in 0..<channels {
        let row = UnsafeRawPointer(pixels + c * rowStride)
        for offset in stride(from: 0, to: bytes, by: 64) { prefetchForReading(row + offset) }
    }
}

/// llvm.prefetch(address, read, locality 2 (L2), data cache): a prefetch never faults.
@inline(__always)
private func prefetchForReading(_ address: UnsafeRawPointer) {
    prefetchIntrinsic(address, 0, 2, 1)
}

@_silgen_name("llvm.prefetch.p0")
private func prefetchIntrinsic(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// out[i · rs + j] += Σ_p a(p, i) · b[p · NR + j] for i < MR/2, j < NR: the micro-kernel
/// on half its rows, for K's last rows when at most MR/2 remain (c1: K = 147 = 18·8 + 3
/// computed 152 rows; now 148). Eight accumulators still cover the FMA latency.
@inline(__always)
private func addHalfTile<T: GemmScalar, A: GemmPanelA>(_ kc: Int, _ a: A, _ b: UnsafePointer<T>,
                                                       into out: UnsafeMutablePointer<T>, rs: Int) where A.Scalar == T {
    typealias V = T.Vector
    let half = V.scalarCount &* MemoryLayout<T>.stride, nr = GemmShape.nr(T.self)
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    for p in 0..<kc {
        let r = UnsafeRawPointer(b + p &* nr)
        let b0 = r.loadUnaligned(as: V.self), b1 = r.loadUnaligned(fromByteOffset: half, as: V.self)
        var s = V(repeating: a.element(p, 0)); c00.addProduct(s, b0); c01.addProduct(s, b1)
        s = V(repeating: a.element(p, 1)); c10.addProduct(s, b0); c11.addProduct(s, b1)
        s = V(repeating: a.element(p, 2)); c20.addProduct(s, b0); c21.addProduct(s, b1)
        s = V(repeating: a.element(p, 3)); c30.addProduct(s, b0); c31.addProduct(s, b1)
    }
    addRow(c00, c01, out)
    addRow(c10, c11, out + rs)
    addRow(c20, c21, out + 2 &* rs)
    addRow(c30, c31, out + 3 &* rs)
}

/// row[0..<NR] += (lo, hi).
@inline(__always)
private func addRow<V: SIMD>(_ lo: V, _ hi: V, _ row: UnsafeMutablePointer<V.Scalar>) where V.Scalar: GemmScalar {
    let p = UnsafeMutableRawPointer(row), half = V.scalarCount &* MemoryLayout<V.Scalar>.stride
    p.storeBytes(of: lo + p.loadUnaligned(as: V.self), as: V.self)
    p.storeBytes(of: hi + p.loadUnaligned(fromByteOffset: half, as: V.self), toByteOffset: half, as: V.self)
}

/// Step i (< MR) of row p: rows base + offsets[i] (in elements; rows past `count`
/// repeat the first) read at grid pixel grid[p], a real output pixel.
private struct GriddedRowsA<T: GemmScalar>: GemmPanelA {
    let rows: ShiftedRowsA<T>
    let grid: UnsafePointer<Int32>

    init(base: UnsafePointer<T>, offsets: UnsafePointer<Int>, count: Int, grid: UnsafePointer<Int32>) {
        rows = ShiftedRowsA(base: base, offsets: offsets, count: count)
        self.grid = grid
    }

    @inline(__always) func element(_ p: Int, _ i: Int) -> T { rows.element(Int(grid[p]), i) }
}

/// panel[p][c] = pixels[c · rowStride + p] for p < count, c < channels (zero for
/// channels ≤ c < NR): NR-channel rows, one per pixel, as the micro-kernel reads B.
private func packPixelPanel<T: GemmScalar>(_ pixels: UnsafePointer<T>, channels: Int, rowStride: Int, count: Int,
                                           into panel: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self)
    // Float panels of all 32 channels move 16x16 blocks through registers; the rest element by element.
    let blocked = T.self == Float.self && channels == nr ? count / 16 * 16 : 0
    for c0 in stride(from: 0, to: blocked > 0 ? nr : 0, by: 16) {
        for p in stride(from: 0, to: blocked, by: 16) {
            transposeBlock16(UnsafeRawPointer(pixels + c0 * rowStride + p), rowStride: 4 * rowStride,
                             into: UnsafeMutableRawPointer(panel + p * nr + c0), outStride: 4 * nr)
        }
    }
    if channels < nr { fillZero(panel, count: count * nr) }
    for c in 0..<channels {
        let line = pixels + c * rowStride
        var dst = panel + blocked * nr + c
        for p in blocked..<count {
            dst.pointee = line[p]
            dst += nr
        }
    }
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
