/// 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (WinogradTransforms.swift):
/// 16 multiplies per 2x2 output tile and channel pair instead of 36, so 2.25x
/// fewer FMAs than the implicit GEMM, which already runs near the FMA peak.
///
/// The weights are transformed once per call into U = G g Gᵀ, 16 matrices of
/// Cout x Cin packed as GEMM A panels. The output's 2x2 tiles (of every image,
/// in order) are cut into blocks of a few NR-wide panels; per block, the input
/// tiles are transformed (V = Bᵀ d B, zeros read outside the image, so no
/// padded copy) straight into packed B panels, the micro-kernel computes the 16
/// products M_ξ = U_ξ · V_ξ with K = Cin, and Aᵀ M A (+ bias) goes to the
/// output, partial tiles clipped at odd sizes. A block's V and M stay in L2.

extension ConvGeometry {
    /// 3x3, stride 1, dilation 1, one group, and enough channels both ways that
    /// the 16 GEMMs fill the micro-tile (K = Cin, M = Cout).
    var fitsWinograd: Bool {
        kernelH == 3 && kernelW == 3 && strideH == 1 && strideW == 1 && dilationH == 1 && dilationW == 1
            && groups == 1 && channels >= 16 && outChannels >= 16 && outPixels > 0
    }
}

/// out[N, Cout, Ho, Wo] = conv(x, w) + bias (for geometries that `fitsWinograd`).
func convForwardWinogradKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                              _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let weights = WinogradWeights(base: w, coStride: g.channels * 9, ciStride: 9, dy: 3, dx: 1)
    try winogradConv(x, weights, bias, out, g, op: op)
}

/// image = the input gradient for `pixels`: the forward on `transposed` (from
/// `g.transposeAsForward`) with the kernel flipped and its channel axes swapped,
/// read in place by the weight transform. Overwrites `image`.
func convTransposeWinogradKernel<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                                _ image: UnsafeMutablePointer<T>, transposed t: ConvGeometry,
                                                op: String) throws {
    // weight_t[o, i, ky, kx] = w[i, o, 2 − ky, 2 − kx], w being [t.channels, t.outChannels, 3, 3].
    let weights = WinogradWeights(base: w + 8, coStride: 9, ciStride: t.outChannels * 9, dy: -3, dx: -1)
    try winogradConv(pixels, weights, nil, image, t, op: op)
}

/// Kernel (co, ci) of the convolution computed is the 3x3 read at
/// base[co·coStride + ci·ciStride + ky·dy + kx·dx].
struct WinogradWeights<T> {
    let base: UnsafePointer<T>
    let coStride: Int, ciStride: Int, dy: Int, dx: Int
}

private func winogradConv<T: GemmScalar>(_ x: UnsafePointer<T>, _ weights: WinogradWeights<T>, _ bias: UnsafePointer<T>?,
                                         _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    if g.batch == 0 || g.outPixels == 0 || g.outChannels == 0 { return }
    let plan = WinogradPlan(weights, g)
    defer { plan.deallocate() }
    try runTileBlocks(T.self, tiles: g.batch * plan.tilesPerImage, blockCols: plan.blockCols, rows: plan.rowsA,
                      workspace: plan.workspace, op: op) { block, scratch in
        plan.block(x, block, bias: bias, out: out, scratch: scratch)
    }
}

/// A block of output tiles [first, first + count) and the rows of M (output
/// channels, whole MR micro-panels) computed for them.
struct TileBlock: Equatable {
    let first: Int, count: Int
    let rows: Range<Int>
}

/// The tiles [0, tiles) on the engine's threads, each thread with its own
/// workspace of `workspace` elements, in the blocks of `forEachTileBlock`.
/// Cancellation is checked between blocks and rethrown after the join.
func runTileBlocks<T: GemmScalar>(_: T.Type, tiles total: Int, blockCols: Int, rows: Int, workspace: Int, op: String,
                                  _ body: (_ block: TileBlock, _ scratch: UnsafeMutablePointer<T>) -> Void) throws {
    let nr = GemmShape.nr(T.self), panels = (total + nr - 1) / nr
    var threads = max(1, EngineConfig.threads)
    // Without a micro-panel of rows per thread, no more threads than panels.
    if rows < threads * GemmShape.mr { threads = max(1, min(threads, panels)) }
    try runConvTasks(T.self, tasks: threads, workspace: workspace, op: op) { thread, _, scratch in
        forEachTileBlock(thread: thread, of: threads, tiles: total, nr: nr, blockCols: blockCols, rows: rows) { block in
            if !Cancellation.isRequested { body(block, scratch) }
        }
    }
}

/// The blocks of thread `thread` of `threads`: an equal, contiguous share of
/// the whole NR-tile panels, cut into equal runs of at most `blockCols / NR`
/// panels; then its slice of each of the `panels % threads` panels left over,
/// cut by rows among all threads where `rows` has a micro-panel per thread (a
/// leftover panel given whole to one thread made c4's 13 panels 7 against 6
/// on 2 threads), else given whole to one thread each.
func forEachTileBlock(thread: Int, of threads: Int, tiles total: Int, nr: Int, blockCols: Int, rows: Int,
                      _ body: (TileBlock) -> Void) {
    let panels = (total + nr - 1) / nr, blockPanels = max(1, blockCols / nr), mr = GemmShape.mr
    let splitRows = rows >= threads * mr, left = panels % threads, whole = panels - left
    func block(_ p0: Int, _ p1: Int, rows: Range<Int>) -> TileBlock {
        TileBlock(first: p0 * nr, count: min(p1 * nr, total) - p0 * nr, rows: rows)
    }
    let p0 = thread * whole / threads, p1 = (thread + 1) * whole / threads
    let runs = (p1 - p0 + blockPanels - 1) / blockPanels
    for r in 0..<runs {
        body(block(p0 + r * (p1 - p0) / runs, p0 + (r + 1) * (p1 - p0) / runs, rows: 0..<rows))
    }
    if splitRows {
        let micro = rows / mr, r0 = thread * micro / threads * mr, r1 = (thread + 1) * micro / threads * mr
        for p in whole..<panels { body(block(p, p + 1, rows: r0..<r1)) }
    } else if thread < left {
        body(block(whole + thread, whole + thread + 1, rows: 0..<rows))
    }
}

/// Visits tiles [first, end) (numbered over all images, `tilesPerImage` each,
/// `tilesW` per tile row) as runs inside one tile row and one `panel`-tile
/// panel: body(c, image, tile row, first tile column, run length).
@inline(__always)
func forEachTileRun(tile0: Int, from first: Int = 0, to end: Int, tilesPerImage: Int, tilesW: Int, panel: Int = .max,
                    _ body: (_ c: Int, _ n: Int, _ ty: Int, _ tx: Int, _ run: Int) -> Void) {
    var c = first
    while c < end {
        let t = tile0 + c, n = t / tilesPerImage, r = t % tilesPerImage, ty = r / tilesW, tx = r % tilesW
        let run = min(tilesW - tx, end - c, panel - c % panel)
        body(c, n, ty, tx, run)
        c += run
    }
}

/// Rows `rows` (whole micro-panels) of m = u · v, u packed as A panels of
/// `rowsA` rows per K block of `kBlock` ([K block][panel][kc][MR]), v as
/// `cols / NR` B panels `panelStride` apart ([panel][k][NR]), m row-major with
/// `cols` columns. k = 0 writes zeros.
@inline(__always)
func multiplyPacked<T: GemmScalar>(_ u: UnsafePointer<T>, rowsA: Int, rows: Range<Int>, k: Int, kBlock: Int,
                                   _ v: UnsafePointer<T>, panelStride: Int, cols: Int, into m: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self), mr = GemmShape.mr
    if k == 0 { fillZero(m + rows.lowerBound * cols, count: rows.count * cols) }
    var p0 = 0
    while p0 < k {
        let kc = min(kBlock, k - p0)
        var j = 0
        while j < cols {
            let panel = v + (j / nr) * panelStride + p0 * nr
            var i = rows.lowerBound
            while i < rows.upperBound {
                gemmMicroKernel(kc, u + rowsA * p0 + (i / mr) * kc * mr, panel, into: m + i * cols + j,
                                rs: cols, alpha: 1, beta: p0 == 0 ? 0 : 1)
                i += mr
            }
            j += nr
        }
        p0 += kc
    }
}

/// What every block of one convolution shares: the transformed, packed weights and the blocking.
private struct WinogradPlan<T: GemmScalar> {
    let g: ConvGeometry
    let tilesH: Int, tilesW: Int
    var tilesPerImage: Int { tilesH * tilesW }
    /// Rows of each packed U_ξ: Cout rounded up to whole micro-panels.
    let rowsA: Int
    let kBlock: Int
    /// [ξ][K block][panel][kc][MR]: U_ξ = G g Gᵀ of every (co, ci), ξ-th element.
    let packedU: UnsafeMutablePointer<T>
    /// Tiles per block: a multiple of NR, so V and M of a block take ~1 MiB.
    let blockCols: Int

    /// A packed V panel: Cin rows of NR, then 16 values that absorb the last row's vector overrun.
    var panelStride: Int { g.channels * GemmShape.nr(T.self) + 16 }
    var vElements: Int { 16 * blockCols / GemmShape.nr(T.self) * panelStride }
    /// M_ξ is rowsA x cols, then 16 values so that the 16 planes the output
    /// transform reads together are not a power of two apart (L1 set conflicts).
    func mStride(cols: Int) -> Int { rowsA * cols + 16 }
    var mElements: Int { 16 * mStride(cols: blockCols) }
    /// V, M (and 16 columns the vector output transform may read past it) and the input rows of a run.
    var workspace: Int { vElements + mElements + 4 * WinogradPlan.rowStride }

    init(_ weights: WinogradWeights<T>, _ g: ConvGeometry) {
        self.g = g
        let nr = GemmShape.nr(T.self), cin = g.channels, cout = g.outChannels
        tilesH = (g.outHeight + 1) / 2
        tilesW = (g.outWidth + 1) / 2
        rowsA = roundUp(cout, GemmShape.mr)
        kBlock = equalBlock(cin, maximum: GemmBlocking.kc)
        let budget = (1 << 20) / MemoryLayout<T>.stride
        let widest = max(nr, budget / (16 * (cin + rowsA)) / nr * nr)
        blockCols = min(widest, roundUp(g.batch * tilesH * tilesW, nr))
        packedU = UnsafeMutablePointer<T>.allocate(capacity: 16 * rowsA * cin)
        packWeights(weights)
    }

    func deallocate() { packedU.deallocate() }

    /// U_ξ for every ξ, transformed into [co][ci][ξ] (16 values together: 16
    /// planes a power of two apart thrashed an L1 set), then packed as A panels per K block.
    private func packWeights(_ w: WinogradWeights<T>) {
        let cin = g.channels, cout = g.outChannels
        let u = UnsafeMutablePointer<T>.allocate(capacity: 16 * cout * cin)
        defer { u.deallocate() }
        // On every thread: at c9 (one 56x56 image, 64 channels) one thread took a tenth of the call.
        parallelFor(cout) { co in
            for ci in 0..<cin {
                winogradKernelTransform(w.base + (co * w.coStride + ci * w.ciStride), dy: w.dy, dx: w.dx,
                                        into: u + 16 * (co * cin + ci), stride: 1)
            }
        }
        parallelFor(16) { xi in
            var p0 = 0
            while p0 < cin {
                let kc = min(kBlock, cin - p0)
                gemmPackA(MatrixView(u + xi + 16 * p0, rs: 16 * cin, cs: 16), m: cout, kc: kc,
                          into: packedU + xi * rowsA * cin + rowsA * p0)
                p0 += kc
            }
        }
    }

    /// The block's output tiles (count ≤ blockCols, numbered over all images), its output channels only.
    func block(_ x: UnsafePointer<T>, _ block: TileBlock, bias: UnsafePointer<T>?,
               out: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        let tile0 = block.first, count = block.count
        guard count > 0 else { return }
        let cols = roundUp(count, GemmShape.nr(T.self))
        let v = scratch, m = scratch + vElements, rows = m + mElements
        transformInput(x, tile0: tile0, count: count, cols: cols, into: v, rows: rows)
        multiply(v, cols: cols, channels: block.rows, into: m)
        transformOutput(m, tile0: tile0, count: count, cols: cols, channels: block.rows, bias: bias, out: out,
                        rows: rows)
    }

    /// V_ξ as packed B panels: [ξ][panel][ci][NR], element ξ of tile column c of
    /// channel ci at v + ξ·(cols / NR)·panelStride + (c / NR)·panelStride + ci·NR + c % NR.
    private func transformInput(_ x: UnsafePointer<T>, tile0: Int, count: Int, cols: Int,
                                into v: UnsafeMutablePointer<T>, rows: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), cin = g.channels, xiStride = cols / nr * panelStride
        defer {
            // The last panel's unused columns: zeros, not leftovers that might be
            // slow denormals (their products are never read).
            if count < cols {
                let lastPanel = v + (cols / nr - 1) * panelStride, used = count % nr
                for xi in 0..<16 {
                    for ci in 0..<cin { fillZero(lastPanel + xi * xiStride + ci * nr + used, count: nr - used) }
                }
            }
        }
        for ci in 0..<cin {
            forEachTileRun(tile0: tile0, to: count, tilesPerImage: tilesPerImage, tilesW: tilesW, panel: nr) {
                c, n, ty, tx, run in
                let dst = v + (c / nr) * panelStride + ci * nr + c % nr
                transformRun(x + (n * cin + ci) * g.imagePixels, ty: ty, tx: tx, run: run, into: dst,
                             stride: xiStride, rows: rows)
            }
        }
    }

    /// Bᵀ d B of tiles (ty, tx ..< tx + run) of one channel plane, tile k to dst + k:
    /// the four input rows they read are copied, zero-padded, into `rows` (so
    /// border tiles need no case of their own), then transformed 16 tiles at a time.
    @inline(__always)
    private func transformRun(_ plane: UnsafePointer<T>, ty: Int, tx: Int, run: Int, into dst: UnsafeMutablePointer<T>,
                              stride s: Int, rows: UnsafeMutablePointer<T>) {
        let iy = 2 * ty - g.padTop, ix = 2 * tx - g.padLeft, w = g.width, span = 2 * run + 2
        let (c0, c1) = validRange(offset: ix, stride: 1, size: w, count: span)
        for i in 0..<4 {
            let row = rows + i * WinogradPlan.rowStride, y = iy + i
            if y < 0 || y >= g.height { fillZero(row, count: span); continue }
            fillZero(row, count: c0)
            copyElements(plane + (y * w + ix + c0), to: row + c0, count: c1 - c0)
            fillZero(row + c1, count: span - c1)
        }
        if T.self == Float.self {
            let r = UnsafeRawPointer(rows).assumingMemoryBound(to: Float.self)
            let d = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self)
            var k = 0
            while k < run {
                // All 16 lanes are stored: those past the run are rewritten by a later
                // run, or land in unused columns or a panel's 16-value tail.
                winogradInputTransform16(r + 2 * k, rowStride: WinogradPlan.rowStride, into: d + k, stride: s)
                k += 16
            }
            return
        }
        let stride = WinogradPlan.rowStride
        for k in 0..<run {
            let r0 = rows + 2 * k
            winogradInputTransform(r0, r0 + stride, r0 + 2 * stride, r0 + 3 * stride, into: dst + k, stride: s)
        }
    }

    /// Room for one padded input row of a run (2·NR + 2 columns) and the 64 the
    /// vector transform reads from its last 16-tile start.
    static var rowStride: Int { 2 * GemmShape.nr(T.self) + 64 }

    /// Rows `channels` of M_ξ = U_ξ · V_ξ for every ξ: [ξ][rowsA][cols].
    private func multiply(_ v: UnsafePointer<T>, cols: Int, channels: Range<Int>, into m: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), cin = g.channels
        for xi in 0..<16 {
            multiplyPacked(packedU + xi * rowsA * cin, rowsA: rowsA, rows: channels, k: cin, kBlock: kBlock,
                           v + xi * (cols / nr) * panelStride, panelStride: panelStride, cols: cols,
                           into: m + xi * mStride(cols: cols))
        }
    }

    /// out = Aᵀ M A (+ bias) for tiles [tile0, tile0 + count) and output
    /// channels `channels`, clipped at the output's edges.
    private func transformOutput(_ m: UnsafePointer<T>, tile0: Int, count: Int, cols: Int, channels: Range<Int>,
                                 bias: UnsafePointer<T>?, out: UnsafeMutablePointer<T>, rows: UnsafeMutablePointer<T>) {
        let cout = g.outChannels, ho = g.outHeight, wo = g.outWidth, xiStride = mStride(cols: cols)
        for co in channels.clamped(to: 0..<cout) {
            let b = bias?[co] ?? 0
            forEachTileRun(tile0: tile0, to: count, tilesPerImage: tilesPerImage, tilesW: tilesW) { c, n, ty, tx, run in
                let oy = 2 * ty, row = out + (n * cout + co) * g.outPixels + oy * wo
                let secondRow = oy + 1 < ho, src = m + co * cols + c
                if T.self == Float.self {
                    storeTiles16(UnsafeRawPointer(src).assumingMemoryBound(to: Float.self), stride: xiStride, run: run,
                                 bias: b, row: row + 2 * tx, columns: wo - 2 * tx, secondRow: secondRow, temp: rows)
                    return
                }
                for k in 0..<run {
                    let (y00, y01, y10, y11) = winogradOutputTransform(src + k, stride: xiStride)
                    let ox = 2 * (tx + k), secondColumn = ox + 1 < wo
                    row[ox] = y00 + b
                    if secondColumn { row[ox + 1] = y01 + b }
                    if secondRow {
                        row[wo + ox] = y10 + b
                        if secondColumn { row[wo + ox + 1] = y11 + b }
                    }
                }
            }
        }
    }

    /// The output tiles of a run (float32), 16 at a time: `row` is the top-left
    /// output pixel of the first, with `columns` output columns from there on.
    @inline(__always)
    private func storeTiles16(_ m: UnsafePointer<Float>, stride s: Int, run: Int, bias: T, row: UnsafeMutablePointer<T>,
                              columns: Int, secondRow: Bool, temp: UnsafeMutablePointer<T>) {
        let wo = g.outWidth
        var k = 0
        while k < run {
            let (top, bottom) = winogradOutputTransform16(m + k, stride: s, bias: Float(bias))
            storeTileRows(top, bottom, valid: min(2 * (run - k), columns - 2 * k), row: row + 2 * k, rowStride: wo,
                          secondRow: secondRow, temp: temp)
            k += 16
        }
    }
}

/// The two output rows of 16 tiles (float32, 32 columns each) at `row` and
/// `row + rowStride`, the first `valid` columns of each (the second row only
/// if `secondRow`); `temp` holds 64 values for a partial store.
@inline(__always)
func storeTileRows<T>(_ top: SIMD32<Float>, _ bottom: SIMD32<Float>, valid: Int, row: UnsafeMutablePointer<T>,
                      rowStride: Int, secondRow: Bool, temp: UnsafeMutablePointer<T>) {
    let dst = UnsafeMutableRawPointer(row)
    if valid == 32 {
        dst.storeBytes(of: top, as: SIMD32<Float>.self)
        if secondRow { (dst + rowStride * 4).storeBytes(of: bottom, as: SIMD32<Float>.self) }
        return
    }
    let tmp = UnsafeMutableRawPointer(temp)
    tmp.storeBytes(of: top, as: SIMD32<Float>.self)
    tmp.storeBytes(of: bottom, toByteOffset: 128, as: SIMD32<Float>.self)
    let t = UnsafeRawPointer(temp).assumingMemoryBound(to: Float.self)
    let r = UnsafeMutableRawPointer(row).assumingMemoryBound(to: Float.self)
    copyElements(t, to: r, count: valid)
    if secondRow { copyElements(t + 32, to: r + rowStride, count: valid) }
}
