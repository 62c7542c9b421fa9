/// The input and output transforms of a block of PhaseWinogradPlan.swift:
/// input tiles of every piece and channel into packed V_ξ panels, and
/// Aᵀ M A (+ bias) onto the output phase's rows and columns.

extension PhaseWinogradPlan {
    /// V_ξ as packed B panels: element ξ of tile column c of channel ci of the
    /// piece with slot s at v + vStart(ξ) + (c / NR)·panelStride(ξ) + (s + ci)·NR + c % NR.
    /// Panel by panel, then channel by channel, then the panel's runs (tiles
    /// of one tile row) in order: a vector store past a run's end lands on a
    /// later run or row, written after it, in unused columns (zeroed at the
    /// end) or in the panel's tail.
    func transformInput(_ x: UnsafePointer<Float>, tile0: Int, count: Int, cols: Int,
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
                        var runs = 0
                        forEachTileRun(tile0: tile0, from: c0, to: end, tilesPerImage: tilesPerImage, tilesW: tilesW) {
                            c, n, ty, tx, run in
                            sources[runs] = RunSource(piece, image: n * cin * planeSize, width: shape.width, ty: ty,
                                                      tx: tx, count: run, column: c - c0, padded: shape.paddedPlanes)
                            runs += 1
                        }
                        for xi in 0..<9 {
                            dst[xi] = slot[xi] < 0 ? junk
                                : v + (vStart(xi, cols: cols) + (c0 / nr) * panelStride(xi) + slot[xi] * nr)
                        }
                        for ci in 0..<cin {
                            for r in 0..<runs {
                                let s = sources[r], plane = x + ci * planeSize
                                var source = UnsafePointer(rows), rowStride = Self.rowStride
                                if s.inPlace {
                                    (source, rowStride) = (plane + s.row0, s.row1 - s.row0)
                                } else {
                                    s.copyRows(plane, into: rows, rowStride: rowStride)
                                }
                                var k = 0
                                while k < s.count {
                                    winograd2InputTransform16(source + 2 * k, rowStride: rowStride, into: dst,
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

    /// out = Aᵀ M A (+ bias) for tiles [tile0, tile0 + count) and output
    /// channels `channels`, on the output phase's rows and columns, clipped at its edges.
    func transformOutput(_ m: UnsafePointer<Float>, tile0: Int, count: Int, cols: Int, channels: Range<Int>,
                         bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>,
                         temp: UnsafeMutablePointer<Float>) {
        let cout = shape.cout, wo = shape.outWidth, s = mStride(cols: cols)
        let rowStep = rows.step * wo, planeSize = shape.outHeight * wo
        for co in channels.clamped(to: 0..<cout) {
            let b = bias?[co] ?? 0
            forEachTileRun(tile0: tile0, to: count, tilesPerImage: tilesPerImage, tilesW: tilesW) { c, n, ty, tx, run in
                let row = out + ((n * cout + co) * planeSize + (rows.first + rows.step * 2 * ty) * wo + columns.first)
                let secondRow = 2 * ty + 1 < rows.size, src = m + co * cols + c
                var k = 0
                while k < run {
                    let (y00, y01, y10, y11) = winograd2OutputTransform16(src + k, stride: s, bias: b)
                    // One chunk's 32 values at most (runs of 17+ tiles stored through temp up to the row's end).
                    let ox = 2 * (tx + k), valid = min(32, 2 * (run - k), columns.size - ox)
                    if columns.step == 1 {
                        storeInterleavedTileRows(y00, y01, y10, y11, valid: valid, row: row + ox, rowStride: rowStep,
                                            secondRow: secondRow, temp: temp)
                    } else {
                        storeStrided(interleave(y00, y01), valid: valid, row: row + columns.step * ox, temp: temp)
                        if secondRow {
                            storeStrided(interleave(y10, y11), valid: valid, row: row + rowStep + columns.step * ox,
                                         temp: temp)
                        }
                    }
                    k += 16
                }
            }
        }
    }

    /// `transformOutput` for this plan's M and `other`'s M2 (see `pairsColumns`):
    /// the tiles' columns 4t ... 4t + 3 are (this, other, this, other).
    func transformOutputPair(_ m: UnsafePointer<Float>, _ m2: UnsafePointer<Float>, tile0: Int, count: Int,
                             cols: Int, channels: Range<Int>, bias: UnsafePointer<Float>?,
                             out: UnsafeMutablePointer<Float>, temp: UnsafeMutablePointer<Float>) {
        let cout = shape.cout, wo = shape.outWidth, s = mStride(cols: cols)
        let rowStep = rows.step * wo, planeSize = shape.outHeight * wo
        for co in channels.clamped(to: 0..<cout) {
            let b = bias?[co] ?? 0
            forEachTileRun(tile0: tile0, to: count, tilesPerImage: tilesPerImage, tilesW: tilesW) { c, n, ty, tx, run in
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
    /// Three rows of 2·count + 1 contiguous values inside zero-padded phase
    /// planes (`PhaseShape.paddedPlanes`), evenly spaced: transformed where
    /// they are, reading up to 31 values past the run's last as the row buffer would.
    let inPlace: Bool

    init(_ piece: (y: PhaseTaps, x: PhaseTaps), image: Int, width: Int, ty: Int, tx: Int, count: Int, column: Int,
         padded: Bool) {
        let (py, px) = piece, jx = 2 * tx + px.offset
        let (c0, c1) = validRange(offset: jx, stride: 1, size: px.size, count: 2 * count + 1)
        func row(_ i: Int) -> Int {
            let jy = 2 * ty + py.offset + i
            return jy < 0 || jy >= py.size ? -1 : image + (py.first + py.step * jy) * width + px.first + px.step * (jx + c0)
        }
        (row0, row1, row2) = (row(0), row(1), row(2))
        (self.c0, self.c1, step, self.count, self.column) = (c0, c1, px.step, count, column)
        inPlace = padded && px.step == 1 && c0 == 0 && c1 == 2 * count + 1 && row0 >= 0 && row1 >= 0 && row2 >= 0
            && row2 - row1 == row1 - row0
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

/// `storeTileRows` of the tile rows (y00, y01) and (y10, y11) interleaved, 16
/// valid values stored straight: its round trip through `temp` reloads 64
/// bytes just stored, which did not forward and waited for the stores before
/// it (c1's 112-column rows end in 16-value chunks: 40% of its output
/// transform, `perf annotate`). The 16 are interleaved from the first 8 lanes
/// (halves of the SIMD32 made the compiler split every vector of the transform).
@inline(__always)
func storeInterleavedTileRows(_ y00: SIMD16<Float>, _ y01: SIMD16<Float>, _ y10: SIMD16<Float>, _ y11: SIMD16<Float>,
                         valid: Int, row: UnsafeMutablePointer<Float>, rowStride: Int, secondRow: Bool,
                         temp: UnsafeMutablePointer<Float>) {
    guard valid == 16 else {
        return storeTileRows(interleave(y00, y01), interleave(y10, y11), valid: valid, row: row, rowStride: rowStride,
                             secondRow: secondRow, temp: temp)
    }
    UnsafeMutableRawPointer(row).storeBytes(of: interleaveFirstLanes(y00, y01), as: SIMD16<Float>.self)
    if secondRow {
        UnsafeMutableRawPointer(row + rowStride).storeBytes(of: interleaveFirstLanes(y10, y11), as: SIMD16<Float>.self)
    }
}

/// (e[0], o[0], ..., e[7], o[7]): the first half of `interleave(e, o)`, one permute.
@inline(__always)
func interleaveFirstLanes(_ e: SIMD16<Float>, _ o: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3], e[4], o[4], e[5], o[5], e[6], o[6], e[7], o[7])
}
