/// One output phase of PhaseWinogradConv.swift: its pieces, the K list of
/// each ξ's GEMM, the packed U and the blocking. Blocks follow WinogradPlan's
/// (WinogradConv.swift): input transform into packed B panels, 9 GEMMs, output transform.
struct PhaseWinogradPlan {
    let shape: PhaseShape
    /// The output phase's axes.
    let rows: PhaseSplit, columns: PhaseSplit
    /// Row piece x column piece, row-major.
    let pieces: [(y: PhaseTaps, x: PhaseTaps)]
    let tilesH: Int, tilesW: Int
    var tilesPerImage: Int { tilesH * tilesW }
    /// Rows of each packed U_ξ: Cout rounded up to whole micro-panels.
    let rowsA: Int
    /// [piece·9 + ξ]: the piece's first row in ξ's K (its rank among the pieces
    /// with a nonzero U_ξ, times Cin), or −1 where its U_ξ is zero (left out).
    let slots: UnsafeMutablePointer<Int>
    /// [ξ]: K of ξ's GEMM; [9 + ξ]: its first column of all K; [18 + ξ]: its K block.
    let xiK: UnsafeMutablePointer<Int>
    let totalK: Int
    /// [ξ][K block][panel][kc][MR], U_ξ at rowsA·(first column of ξ).
    let packedU: UnsafeMutablePointer<Float>
    /// Tiles per block: a multiple of NR, so V and M of a block take ~1 MiB.
    let blockCols: Int

    init(_ weights: WinogradWeights<Float>, _ shape: PhaseShape, rows: PhaseSplit, columns: PhaseSplit) {
        self.shape = shape
        self.rows = rows
        self.columns = columns
        pieces = rows.pieces.flatMap { y in columns.pieces.map { x in (y, x) } }
        tilesH = (rows.size + 1) / 2
        tilesW = (columns.size + 1) / 2
        rowsA = roundUp(shape.cout, GemmShape.mr)
        slots = .allocate(capacity: max(1, 9 * pieces.count))
        xiK = .allocate(capacity: 27)
        var start = 0
        for xi in 0..<9 {
            var rank = 0
            for (p, piece) in pieces.enumerated() {
                let used = PhaseWinogradPlan.isUsed(piece.y, xi / 3) && PhaseWinogradPlan.isUsed(piece.x, xi % 3)
                slots[9 * p + xi] = used ? rank * shape.cin : -1
                if used { rank += 1 }
            }
            xiK[xi] = rank * shape.cin
            xiK[9 + xi] = start
            xiK[18 + xi] = equalBlock(max(1, xiK[xi]), maximum: GemmBlocking.kc)
            start += xiK[xi]
        }
        totalK = start
        let nr = GemmShape.nr(Float.self), budget = (1 << 20) / MemoryLayout<Float>.stride
        // Wide kernels' U (16 pieces: 64 x 1936 values at 16 → 64 channels) shares the budget: V, M and U
        // of 1.5 MiB ran 1,16,64,112² 7x7 in 3.4 ms, 2.4 with U inside (3x3 and 4x4 keep their measured blocks).
        let sharedU = pieces.count > 4 ? rowsA * totalK : 0
        let widest = max(nr, (budget - sharedU) / (totalK + 9 * rowsA) / nr * nr)
        blockCols = min(widest, roundUp(shape.batch * tilesH * tilesW, nr))
        packedU = .allocate(capacity: max(1, rowsA * totalK))
        packWeights(weights)
    }

    /// Element i of an axis of U is zero when the tap it needs is: G·[0, g1] = [0, g1, g1], G·[g0, 0] = [g0, g0, 0].
    private static func isUsed(_ taps: PhaseTaps, _ i: Int) -> Bool {
        !(i == 0 && taps.tap0 < 0) && !(i == 2 && taps.tap1 < 0)
    }

    func deallocate() {
        slots.deallocate()
        xiK.deallocate()
        packedU.deallocate()
    }

    /// U_ξ of every (co, piece, ci) with a nonzero U_ξ, packed as A panels per ξ and K block: per
    /// micro-panel of MR output channels, its rows [co][all K] are transformed into a buffer that
    /// stays in cache, then packed (a whole Cout x K matrix first took 3 MiB of fresh pages at c4).
    private func packWeights(_ w: WinogradWeights<Float>) {
        let mr = GemmShape.mr, cin = shape.cin, cout = shape.cout, totalK = totalK, count = pieces.count
        let slots = slots, xiK = xiK, rowsA = rowsA, packedU = packedU
        // Per piece, the offsets of its 2x2 kernel (g00, g01, g10, g11) in a kernel, −1 for a missing tap.
        let taps = UnsafeMutablePointer<Int>.allocate(capacity: 4 * count)
        defer { taps.deallocate() }
        for (p, (y, x)) in pieces.enumerated() {
            for (i, (ky, kx)) in [(y.tap0, x.tap0), (y.tap0, x.tap1), (y.tap1, x.tap0), (y.tap1, x.tap1)].enumerated() {
                taps[4 * p + i] = ky < 0 || kx < 0 ? -1 : ky * w.dy + kx * w.dx
            }
        }
        parallelFor(rowsA / mr) { panel in
            let u = UnsafeMutablePointer<Float>.allocate(capacity: mr * totalK + cin)
            defer { u.deallocate() }
            let rows = min(mr, cout - panel * mr), junk = u + mr * totalK
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>.self, capacity: 9) { dst in
                guard let dst = dst.baseAddress else { return }
                for r in 0..<rows {
                    let co = panel * mr + r
                    for p in 0..<count {
                        for xi in 0..<9 {
                            let slot = slots[9 * p + xi]
                            dst[xi] = slot < 0 ? junk : u + (r * totalK + xiK[9 + xi] + slot)
                        }
                        let t = taps + 4 * p, (t00, t01, t10, t11) = (t[0], t[1], t[2], t[3])
                        @inline(__always) func at(_ g: UnsafePointer<Float>, _ o: Int) -> Double { o < 0 ? 0 : Double(g[o]) }
                        for ci in 0..<cin {
                            let g = w.base + (co * w.coStride + ci * w.ciStride)
                            winograd2KernelTransform(at(g, t00), at(g, t01), at(g, t10), at(g, t11), into: dst, at: ci)
                        }
                    }
                }
            }
            for xi in 0..<9 {
                let k = xiK[xi], first = xiK[9 + xi], kBlock = xiK[18 + xi]
                var p0 = 0
                while p0 < k {
                    let kc = min(kBlock, k - p0)
                    gemmPackA(MatrixView(u + first + p0, rs: totalK, cs: 1), m: rows, kc: kc,
                              into: packedU + (rowsA * (first + p0) + panel * kc * mr))
                    p0 += kc
                }
            }
        }
    }

    /// A packed V_ξ panel: K_ξ rows of NR, then 16 values that absorb the last row's vector overrun.
    @inline(__always) func panelStride(_ xi: Int) -> Int { xiK[xi] * GemmShape.nr(Float.self) + 16 }
    /// V_ξ of a block of `cols` tiles starts at this offset: [ξ][panel][K_ξ][NR].
    @inline(__always) func vStart(_ xi: Int, cols: Int) -> Int {
        (cols / GemmShape.nr(Float.self)) * (xiK[9 + xi] * GemmShape.nr(Float.self) + 16 * xi)
    }
    func vElements(cols: Int) -> Int { (cols / GemmShape.nr(Float.self)) * (totalK * GemmShape.nr(Float.self) + 16 * 9) }
    /// M_ξ is rowsA x cols, then 16 values so that the 9 planes the output
    /// transform reads together are not a power of two apart.
    func mStride(cols: Int) -> Int { rowsA * cols + 16 }
    /// Room for one input row of a run (2·NR + 1 columns) and the 64 the vector transform reads from its last start.
    static var rowStride: Int { 2 * GemmShape.nr(Float.self) + 64 }
    /// V, M, three input rows, 64 values for partial output stores, 64 for the stores of zero U_ξ.
    var workspace: Int { vElements(cols: blockCols) + 9 * mStride(cols: blockCols) + 3 * Self.rowStride + 128 }

    /// Output tiles [tile0, tile0 + count) (count ≤ blockCols, numbered over all images), output channels `channels`.
    func block(_ x: UnsafePointer<Float>, tile0: Int, count: Int, channels: Range<Int>, bias: UnsafePointer<Float>?,
               out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let cols = roundUp(count, GemmShape.nr(Float.self))
        let m = multiply(x, tile0: tile0, count: count, channels: channels, scratch: scratch)
        transformOutput(m, tile0: tile0, count: count, cols: cols, channels: channels, bias: bias, out: out,
                        temp: temp(scratch, cols: cols))
    }

    /// Both column phases of a transpose's row phase, this one (columns.first 0) and `other` (1),
    /// with the same tiles: their outputs interleaved into whole rows (strided stores were 16% of c6).
    func pairsColumns(with other: PhaseWinogradPlan) -> Bool {
        columns.step == 2 && other.columns.step == 2 && columns.first == 0 && other.columns.first == 1
            && rows == other.rows && tilesW == other.tilesW
    }

    /// `block` for this plan and `other` (see `pairsColumns`), `other` using scratch from `otherScratch`.
    func blockPair(_ other: PhaseWinogradPlan, _ x: UnsafePointer<Float>, tile0: Int, count: Int, channels: Range<Int>,
                   bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                   otherScratch: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let cols = roundUp(count, GemmShape.nr(Float.self))
        let m = multiply(x, tile0: tile0, count: count, channels: channels, scratch: scratch)
        let m2 = other.multiply(x, tile0: tile0, count: count, channels: channels, scratch: otherScratch)
        transformOutputPair(m, m2, tile0: tile0, count: count, cols: cols, channels: channels, bias: bias, out: out,
                            temp: temp(scratch, cols: cols))
    }

    /// The input transform and rows `channels` of the 9 GEMMs of a block: M = [ξ][rowsA][cols] in the scratch, returned.
    private func multiply(_ x: UnsafePointer<Float>, tile0: Int, count: Int, channels: Range<Int>,
                          scratch: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let cols = roundUp(count, GemmShape.nr(Float.self))
        let v = scratch, m = v + vElements(cols: cols), rowBuffer = m + 9 * mStride(cols: cols)
        let junk = temp(scratch, cols: cols) + 64 // 64 past junk: a run's column + 16
        transformInput(x, tile0: tile0, count: count, cols: cols, into: v, rows: rowBuffer, junk: junk)
        for xi in 0..<9 {
            multiplyPacked(packedU + rowsA * xiK[9 + xi], rowsA: rowsA, rows: channels, k: xiK[xi], kBlock: xiK[18 + xi],
                           v + vStart(xi, cols: cols), panelStride: panelStride(xi), cols: cols,
                           into: m + xi * mStride(cols: cols))
        }
        return m
    }

    /// 64 values of the scratch for partial output stores (after V, M and the input rows).
    private func temp(_ scratch: UnsafeMutablePointer<Float>, cols: Int) -> UnsafeMutablePointer<Float> {
        scratch + vElements(cols: cols) + 9 * mStride(cols: cols) + 3 * Self.rowStride
    }
}
