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
        let widest = max(nr, budget / (totalK + 9 * rowsA) / nr * nr)
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

    /// Output tiles [tile0, tile0 + count) (count ≤ blockCols), numbered over all images.
    func block(_ x: UnsafePointer<Float>, tile0: Int, count: Int, bias: UnsafePointer<Float>?,
               out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let cols = roundUp(count, GemmShape.nr(Float.self)), m = multiply(x, tile0: tile0, count: count, scratch: scratch)
        transformOutput(m, tile0: tile0, count: count, cols: cols, bias: bias, out: out, temp: temp(scratch, cols: cols))
    }

    /// Both column phases of a transpose's row phase, this one (columns.first 0) and `other` (1),
    /// with the same tiles: their outputs interleaved into whole rows (strided stores were 16% of c6).
    func pairsColumns(with other: PhaseWinogradPlan) -> Bool {
        columns.step == 2 && other.columns.step == 2 && columns.first == 0 && other.columns.first == 1
            && rows == other.rows && tilesW == other.tilesW
    }

    /// `block` for this plan and `other` (see `pairsColumns`), `other` using scratch from `otherScratch`.
    func blockPair(_ other: PhaseWinogradPlan, _ x: UnsafePointer<Float>, tile0: Int, count: Int,
                   bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                   otherScratch: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let cols = roundUp(count, GemmShape.nr(Float.self))
        let m = multiply(x, tile0: tile0, count: count, scratch: scratch)
        let m2 = other.multiply(x, tile0: tile0, count: count, scratch: otherScratch)
        transformOutputPair(m, m2, tile0: tile0, count: count, cols: cols, bias: bias, out: out,
                            temp: temp(scratch, cols: cols))
    }

    /// The input transform and the 9 GEMMs of a block: M = [ξ][rowsA][cols] in the scratch, returned.
    private func multiply(_ x: UnsafePointer<Float>, tile0: Int, count: Int,
                          scratch: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let cols = roundUp(count, GemmShape.nr(Float.self))
        let v = scratch, m = v + vElements(cols: cols), rowBuffer = m + 9 * mStride(cols: cols)
        let junk = temp(scratch, cols: cols) + 64 // 64 past junk: a run's column + 16
        transformInput(x, tile0: tile0, count: count, cols: cols, into: v, rows: rowBuffer, junk: junk)
        for xi in 0..<9 {
            multiplyPacked(packedU + rowsA * xiK[9 + xi], rowsA: rowsA, k: xiK[xi], kBlock: xiK[18 + xi],
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

extension PhaseWinogradPlan {
    /// V_ξ as packed B panels: element ξ of tile column c of channel ci of the
    /// piece with slot s at v + vStart(ξ) + (c / NR)·panelStride(ξ) + (s + ci)·NR + c % NR.
    /// Panel by panel, then channel by channel, then the panel's runs (tiles
    /// of one tile row) in order: a vector store past a run's end lands on a
    /// later run or row, written after it, in unused columns (zeroed at the
    /// end) or in the panel's tail.
    private func transformInput(_ x: UnsafePointer<Float>, tile0: Int, count: Int, cols: Int,
                                into v: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Float>,
                                junk: UnsafeMutablePointer<Float>) {
        let nr = GemmShape.nr(Float.self), cin = shape.cin, planeSize = shape.height * shape.width
        withUnsafeTemporaryAllocation(of: RunSource.self, capacity: nr) { sources in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>.self, capacity: 9) { dst in
                guard let sources = sources.baseAddress, let dst = dst.baseAddress else { return }
                for (p, piece) in pieces.enumerated() {
                    let slot = slots + 9 * p
                    var c0 = 0
                    while c0 < count {
                        let end = min(c0 + nr, count)
                        var runs = 0, c = c0
                        while c < end {
                            let t = tile0 + c, n = t / tilesPerImage, r = t % tilesPerImage
                            let ty = r / tilesW, tx = r % tilesW, run = min(tilesW - tx, end - c)
                            sources[runs] = RunSource(piece, image: n * cin * planeSize, width: shape.width, ty: ty,
                                                      tx: tx, count: run, column: c - c0)
                            runs += 1
                            c += run
                        }
                        for xi in 0..<9 {
                            dst[xi] = slot[xi] < 0 ? junk
                                : v + (vStart(xi, cols: cols) + (c0 / nr) * panelStride(xi) + slot[xi] * nr)
                        }
                        for ci in 0..<cin {
                            for r in 0..<runs {
                                let s = sources[r]
                                s.copyRows(x + ci * planeSize, into: rows, rowStride: Self.rowStride)
                                var k = 0
                                while k < s.count {
                                    winograd2InputTransform16(rows + 2 * k, rowStride: Self.rowStride, into: dst,
                                                              offset: s.column + k)
                                    k += 16
                                }
                            }
                            for xi in 0..<9 where slot[xi] >= 0 { dst[xi] += nr }
                        }
                        c0 = end
                    }
                }
            }
        }
        // The last panel's unused columns: zeros, not leftovers that might be slow denormals.
        let used = count % nr
        guard used > 0 else { return }
        for xi in 0..<9 {
            let lastPanel = v + vStart(xi, cols: cols) + (cols / nr - 1) * panelStride(xi)
            for k in 0..<xiK[xi] { fillZero(lastPanel + k * nr + used, count: nr - used) }
        }
    }

    /// out = Aᵀ M A (+ bias) for tiles [tile0, tile0 + count), on the output
    /// phase's rows and columns, clipped at its edges.
    private func transformOutput(_ m: UnsafePointer<Float>, tile0: Int, count: Int, cols: Int,
                                 bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>,
                                 temp: UnsafeMutablePointer<Float>) {
        let cout = shape.cout, wo = shape.outWidth, s = mStride(cols: cols)
        let rowStep = rows.step * wo, planeSize = shape.outHeight * wo
        for co in 0..<cout {
            let b = bias?[co] ?? 0
            var c = 0
            while c < count {
                let t = tile0 + c, n = t / tilesPerImage, r = t % tilesPerImage, ty = r / tilesW, tx = r % tilesW
                let run = min(tilesW - tx, count - c)
                let row = out + ((n * cout + co) * planeSize + (rows.first + rows.step * 2 * ty) * wo + columns.first)
                let secondRow = 2 * ty + 1 < rows.size, src = m + co * cols + c
                var k = 0
                while k < run {
                    let (y00, y01, y10, y11) = winograd2OutputTransform16(src + k, stride: s, bias: b)
                    let ox = 2 * (tx + k), valid = min(2 * (run - k), columns.size - ox)
                    if columns.step == 1 {
                        storeTileRows(interleave(y00, y01), interleave(y10, y11), valid: valid, row: row + ox,
                                      rowStride: rowStep, secondRow: secondRow, temp: temp)
                    } else {
                        storeStrided(interleave(y00, y01), valid: valid, row: row + columns.step * ox, temp: temp)
                        if secondRow {
                            storeStrided(interleave(y10, y11), valid: valid, row: row + rowStep + columns.step * ox,
                                         temp: temp)
                        }
                    }
                    k += 16
                }
                c += run
            }
        }
    }

    /// `transformOutput` for this plan's M and `other`'s M2 (see `pairsColumns`):
    /// the tiles' columns 4t ... 4t + 3 are (this, other, this, other).
    private func transformOutputPair(_ m: UnsafePointer<Float>, _ m2: UnsafePointer<Float>, tile0: Int, count: Int,
                                     cols: Int, bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>,
                                     temp: UnsafeMutablePointer<Float>) {
        let cout = shape.cout, wo = shape.outWidth, s = mStride(cols: cols)
        let rowStep = rows.step * wo, planeSize = shape.outHeight * wo
        for co in 0..<cout {
            let b = bias?[co] ?? 0
            var c = 0
            while c < count {
                let t = tile0 + c, n = t / tilesPerImage, r = t % tilesPerImage, ty = r / tilesW, tx = r % tilesW
                let run = min(tilesW - tx, count - c)
                let row = out + ((n * cout + co) * planeSize + (rows.first + rows.step * 2 * ty) * wo)
                let secondRow = 2 * ty + 1 < rows.size
                var k = 0
                while k < run {
                    let a = winograd2OutputTransform16(m + (co * cols + c + k), stride: s, bias: b)
                    let o = winograd2OutputTransform16(m2 + (co * cols + c + k), stride: s, bias: b)
                    let (top0, top1) = interleavePairs(interleave(a.0, o.0), interleave(a.1, o.1))
                    let (bottom0, bottom1) = interleavePairs(interleave(a.2, o.2), interleave(a.3, o.3))
                    let x0 = 4 * (tx + k), valid = min(4 * (run - k), wo - x0)
                    storeTileRows(top0, bottom0, valid: min(32, valid), row: row + x0, rowStride: rowStep,
                                  secondRow: secondRow, temp: temp)
                    if valid > 32 {
                        storeTileRows(top1, bottom1, valid: valid - 32, row: row + x0 + 32, rowStride: rowStep,
                                      secondRow: secondRow, temp: temp)
                    }
                    k += 16
                }
                c += run
            }
        }
    }

    /// row[step·j] = values[j] for j < valid (an output phase's columns).
    @inline(__always)
    private func storeStrided(_ values: SIMD32<Float>, valid: Int, row: UnsafeMutablePointer<Float>,
                              temp: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(temp).storeBytes(of: values, as: SIMD32<Float>.self)
        let step = columns.step
        for j in 0..<valid { row[step * j] = temp[j] }
    }
}

/// Where a run of tiles (ty, tx ..< tx + count) of one piece reads its three
/// input rows (2·count + 1 columns), the same for every channel.
private struct RunSource {
    /// Offsets of the rows' first valid column from a channel plane, −1 for a row outside the plane.
    let row0: Int, row1: Int, row2: Int
    /// Valid columns [c0, c1) of 2·count + 1, read every `step` values.
    let c0: Int, c1: Int, step: Int
    let count: Int
    /// The run's first tile column in its panel.
    let column: Int

    init(_ piece: (y: PhaseTaps, x: PhaseTaps), image: Int, width: Int, ty: Int, tx: Int, count: Int, column: Int) {
        let (py, px) = piece, jx = 2 * tx + px.offset
        let (c0, c1) = validRange(offset: jx, stride: 1, size: px.size, count: 2 * count + 1)
        func row(_ i: Int) -> Int {
            let jy = 2 * ty + py.offset + i
            return jy < 0 || jy >= py.size ? -1 : image + (py.first + py.step * jy) * width + px.first + px.step * (jx + c0)
        }
        (row0, row1, row2) = (row(0), row(1), row(2))
        (self.c0, self.c1, step, self.count, self.column) = (c0, c1, px.step, count, column)
    }

    /// The three rows from the channel plane at `plane`, zero-padded, to rows + i·rowStride.
    @inline(__always)
    func copyRows(_ plane: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>, rowStride: Int) {
        copyRow(plane, row0, into: rows)
        copyRow(plane, row1, into: rows + rowStride)
        copyRow(plane, row2, into: rows + 2 * rowStride)
    }

    @inline(__always)
    private func copyRow(_ plane: UnsafePointer<Float>, _ offset: Int, into row: UnsafeMutablePointer<Float>) {
        let span = 2 * count + 1
        if offset < 0 { return fillZero(row, count: span) }
        fillZero(row, count: c0)
        if step == 1 {
            copyElements(plane + offset, to: row + c0, count: c1 - c0)
        } else {
            gatherStrided(plane + offset, stride: step, into: row + c0, count: c1 - c0)
        }
        fillZero(row + c1, count: span - c1)
    }
}
