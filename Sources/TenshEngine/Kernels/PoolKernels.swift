/// The loops of pooling and resampling over contiguous [planes, H, W] buffers:
/// max pooling with its argmax indices, the scatter-add and gather through
/// those indices (its gradient and double gradient), and the separable
/// weighted sum behind avg_pool2d, adaptive_avg_pool2d and upsample. One
/// plane per step; Ctrl-C is checked between planes.

/// One plane of the common 2x2, stride-2 max pool (no padding, whole windows),
/// without the general loop's per-window bounds. The general loop's scan (row by
/// row; a larger value or a NaN takes over, so the first largest wins and the
/// last NaN) is done as two pairs and a final pick, which selects the same
/// element. Float planes take several windows at a time in vector lanes: scalar
/// compares with their NaN tests become branches that mispredict on real data.
@inline(__always)
private func maxPoolHalvingPlane<T: GemmScalar>(_ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>,
                                                indices: UnsafeMutablePointer<Int64>, inW: Int, outH: Int, outW: Int) {
    for oh in 0..<outH {
        let top = 2 &* oh &* inW
        var ow = 0
        if T.self == Float.self {
            ow = maxPoolHalvingRow(UnsafeRawPointer(x + top).assumingMemoryBound(to: Float.self), inW: inW,
                                   outW: outW, top: top, into: UnsafeMutableRawPointer(out + oh &* outW)
                                       .assumingMemoryBound(to: Float.self), indices: indices + oh &* outW)
        }
        let r0 = x + top, r1 = r0 + inW, o = out + oh &* outW, ix = indices + oh &* outW
        while ow < outW {
            let w = 2 &* ow
            let a = r0[w], b = r0[w &+ 1], c = r1[w], d = r1[w &+ 1]
            let upper = b > a || b != b, lower = d > c || d != d
            let best0 = upper ? b : a, at0 = upper ? top &+ w &+ 1 : top &+ w
            let best1 = lower ? d : c, at1 = lower ? top &+ inW &+ w &+ 1 : top &+ inW &+ w
            let second = best1 > best0 || best1 != best1
            o[ow] = second ? best1 : best0
            ix[ow] = Int64(second ? at1 : at0)
            ow &+= 1
        }
    }
}

/// The windows of one output row of a Float plane, four and then two at a time;
/// returns how many outputs it wrote (the rest are left to the scalar loop).
@inline(__always)
private func maxPoolHalvingRow(_ r0: UnsafePointer<Float>, inW: Int, outW: Int, top: Int,
                               into o: UnsafeMutablePointer<Float>, indices ix: UnsafeMutablePointer<Int64>) -> Int {
    let r1 = r0 + inW
    var ow = 0
    while ow &+ 4 <= outW {
        let w = 2 &* ow
        let p = UnsafeRawPointer(r0 + w).loadUnaligned(as: SIMD8<Float>.self)
        let q = UnsafeRawPointer(r1 + w).loadUnaligned(as: SIMD8<Float>.self)
        let (best, code) = pickWindows(p.evenHalf, p.oddHalf, q.evenHalf, q.oddHalf)
        UnsafeMutableRawPointer(o + ow).storeBytes(of: best, as: SIMD4<Float>.self)
        // Element `code` of window j: column 2j + (code & 1), row code >> 1.
        let column = SIMD4<Int64>(0, 2, 4, 6) &+ SIMD4<Int64>(truncatingIfNeeded: code & 1)
        let at = column &+ SIMD4<Int64>(truncatingIfNeeded: code &>> 1) &* Int64(inW) &+ Int64(top &+ w)
        UnsafeMutableRawPointer(ix + ow).storeBytes(of: at, as: SIMD4<Int64>.self)
        ow &+= 4
    }
    if ow &+ 2 <= outW {
        // Two windows (a 4x4 plane is all tail) in the low lanes; the high lanes are unused.
        let w = 2 &* ow
        let p = SIMD8<Float>(lowHalf: UnsafeRawPointer(r0 + w).loadUnaligned(as: SIMD4<Float>.self), highHalf: .zero)
        let q = SIMD8<Float>(lowHalf: UnsafeRawPointer(r1 + w).loadUnaligned(as: SIMD4<Float>.self), highHalf: .zero)
        let (best, code) = pickWindows(p.evenHalf, p.oddHalf, q.evenHalf, q.oddHalf)
        for lane in 0..<2 {
            o[ow &+ lane] = best[lane]
            let pick = Int(code[lane])
            ix[ow &+ lane] = Int64(top &+ w &+ 2 &* lane &+ (pick & 1) &+ (pick &>> 1) &* inW)
        }
        ow &+= 2
    }
    return ow
}

/// The max of each lane's window (a, b on the top row, c, d below) and which
/// element it is (0...3), with the scalar scan's tie and NaN rule.
@inline(__always)
private func pickWindows(_ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>,
                         _ d: SIMD4<Float>) -> (SIMD4<Float>, SIMD4<Int32>) {
    let upper = (b .> a) .| (b .!= b), lower = (d .> c) .| (d .!= d)
    let best0 = a.replacing(with: b, where: upper), best1 = c.replacing(with: d, where: lower)
    let second = (best1 .> best0) .| (best1 .!= best1)
    let code0 = SIMD4<Int32>().replacing(with: 1, where: upper)
    let code1 = SIMD4<Int32>(repeating: 2).replacing(with: 3, where: lower)
    return (best0.replacing(with: best1, where: second), code0.replacing(with: code1, where: second))
}

/// Runs `body(plane)` for every plane over `chunks` tasks, stopping between
/// planes once Ctrl-C is requested (the caller then checks `Cancellation`).
@inline(__always)
private func forEachPlane(_ planes: Int, chunks: Int, _ body: (Int) -> Void) {
    parallelFor(chunks) { chunk in
        for plane in planes * chunk / chunks ..< planes * (chunk + 1) / chunks {
            if Cancellation.isRequested { return }
            body(plane)
        }
    }
}

/// out[p, oh, ow] = the largest x[p, h, w] in window (oh, ow) (a NaN wins, as in
/// torch; padding counts as -inf), indices[p, oh, ow] = its h·W + w.
func maxPoolKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>,
                                  indices: UnsafeMutablePointer<Int64>, planes: Int, _ g: PoolGeometry) {
    let (inH, inW, outH, outW) = (g.inH, g.inW, g.outH, g.outW)
    // Geometry as plain locals: the closure must not reload struct fields in the inner loop.
    let (kH, kW, sH, sW) = (g.kernel.0, g.kernel.1, g.stride.0, g.stride.1)
    let (pH, pW, dH, dW) = (g.padding.0, g.padding.1, g.dilation.0, g.dilation.1)
    let halving = kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && dH == 1 && dW == 1
        && 2 &* outH <= inH && 2 &* outW <= inW
    forEachPlane(planes, chunks: taskCount(work: planes &* inH &* inW, items: planes)) { plane in
        let xin = x + plane &* inH &* inW, base = plane &* outH &* outW
        if halving {
            maxPoolHalvingPlane(xin, out + base, indices: indices + base, inW: inW, outH: outH, outW: outW)
            return
        }
        for oh in 0..<outH {
            var h0 = oh &* sH &- pH
            let h1 = min(h0 &+ (kH &- 1) &* dH &+ 1, inH)
            while h0 < 0 { h0 &+= dH }
            for ow in 0..<outW {
                var w0 = ow &* sW &- pW
                let w1 = min(w0 &+ (kW &- 1) &* dW &+ 1, inW)
                while w0 < 0 { w0 &+= dW }
                var best = -T.infinity, bestIndex = h0 &* inW &+ w0
                var h = h0
                while h < h1 {
                    let row = h &* inW
                    var w = w0
                    while w < w1 {
                        let v = xin[row &+ w]
                        // Selects, not branches: on random data a branch mispredicts half the time.
                        let take = v > best || v != v
                        best = take ? v : best
                        bestIndex = take ? row &+ w : bestIndex
                        w &+= dW
                    }
                    h &+= dH
                }
                // A window over padding only (possible with dilation) must still index inside the plane.
                if h0 >= h1 || w0 >= w1 { bestIndex = 0 }
                out[base &+ oh &* outW &+ ow] = best
                indices[base &+ oh &* outW &+ ow] = Int64(bestIndex)
            }
        }
    }
}

/// image[p, indices[p, o]] += g[p, o] for every output o of every plane; `image` starts zeroed.
func scatterAddAtIndicesKernel<T: GemmScalar>(_ g: UnsafePointer<T>, indices: UnsafePointer<Int64>,
                                              into image: UnsafeMutablePointer<T>, planes: Int, inPlane: Int,
                                              outPlane: Int) {
    forEachPlane(planes, chunks: taskCount(work: planes &* inPlane, items: planes)) { plane in
        for o in 0..<outPlane {
            let k = plane &* outPlane &+ o
            image[plane &* inPlane &+ Int(indices[k])] += g[k]
        }
    }
}

/// out[p, o] = x[p, indices[p, o]].
func gatherAtIndicesKernel<T: GemmScalar>(_ x: UnsafePointer<T>, indices: UnsafePointer<Int64>,
                                          into out: UnsafeMutablePointer<T>, planes: Int, inPlane: Int, outPlane: Int) {
    forEachPlane(planes, chunks: taskCount(work: planes &* outPlane, items: planes)) { plane in
        for o in 0..<outPlane {
            let k = plane &* outPlane &+ o
            out[k] = x[plane &* inPlane &+ Int(indices[k])]
        }
    }
}

/// A sparse [outputSize × inputSize] matrix in compressed-row form: one axis
/// of a separable resampling.
struct AxisMap: Sendable {
    let inputSize: Int
    let outputSize: Int
    /// Entries of output row `o` are `rowStart[o] ..< rowStart[o + 1]`.
    let rowStart: [Int]
    let sourceIndex: [Int]
    let weight: [Double]

    /// Builds the map from each output index's (source, weight) entries.
    init(inputSize: Int, rows: [[(Int, Double)]]) {
        self.inputSize = inputSize
        self.outputSize = rows.count
        var starts = [0], sources: [Int] = [], weights: [Double] = []
        for row in rows {
            for (s, w) in row { sources.append(s); weights.append(w) }
            starts.append(sources.count)
        }
        rowStart = starts
        sourceIndex = sources
        weight = weights
    }

    /// The transposed matrix: for each input index, the outputs it feeds.
    var transposed: AxisMap {
        var rows = [[(Int, Double)]](repeating: [], count: inputSize)
        for o in 0..<outputSize {
            for e in rowStart[o]..<rowStart[o + 1] { rows[sourceIndex[e]].append((o, weight[e])) }
        }
        return AxisMap(inputSize: outputSize, rows: rows)
    }
}

/// out[p, oh, ow] = Σ_i rows(oh, i) · (Σ_j cols(ow, j) · x[p, i, j]), accumulated in Double.
/// Each input row is resampled along the width once into a small cache of rows (the
/// inner sum), and output rows combine cached rows a whole row at a time; the sums
/// are the same as term-by-term, in the same order, so the results are identical.
func separableResampleKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, planes: Int,
                                            rows: AxisMap, cols: AxisMap) {
    let inH = rows.inputSize, inW = cols.inputSize, outH = rows.outputSize, outW = cols.outputSize
    let chunks = taskCount(work: planes &* outH &* outW &* 4, items: planes)
    // Enough cached rows for one output row's entries and the next one's overlap.
    let slots = (0..<outH).map { rows.rowStart[$0 + 1] - rows.rowStart[$0] }.max().map { $0 + 1 } ?? 1
    rows.rowStart.withUnsafeBufferPointer { rs in rows.sourceIndex.withUnsafeBufferPointer { ri in
    rows.weight.withUnsafeBufferPointer { rw in cols.rowStart.withUnsafeBufferPointer { cs in
    cols.sourceIndex.withUnsafeBufferPointer { ci in cols.weight.withUnsafeBufferPointer { cw in
        forEachPlane(planes, chunks: chunks) { plane in
            let xin = x + plane &* inH &* inW, o = out + plane &* outH &* outW
            let cache = UnsafeMutablePointer<Double>.allocate(capacity: (slots &+ 1) &* outW)
            let cachedRow = UnsafeMutablePointer<Int>.allocate(capacity: slots)
            defer { cache.deallocate(); cachedRow.deallocate() }
            cachedRow.initialize(repeating: -1, count: slots)
            let acc = cache + slots &* outW
            for oh in 0..<outH {
                for ow in 0..<outW { acc[ow] = 0 }
                for e in rs[oh]..<rs[oh &+ 1] {
                    let r = ri[e], slot = r % slots, across = cache + slot &* outW
                    if cachedRow[slot] != r {
                        let rowPtr = xin + r &* inW
                        for ow in 0..<outW {
                            var rowAcc = 0.0
                            for f in cs[ow]..<cs[ow &+ 1] { rowAcc += cw[f] * Double(rowPtr[ci[f]]) }
                            across[ow] = rowAcc
                        }
                        cachedRow[slot] = r
                    }
                    let w = rw[e]
                    for ow in 0..<outW { acc[ow] += w * across[ow] }
                }
                let orow = o + oh &* outW
                for ow in 0..<outW { orow[ow] = T(acc[ow]) }
            }
        }
    } } } } } }
}

/// How many tasks to split `work` elements (over `items` independent planes) into:
/// one for small tensors, where waking threads costs more than the loop.
func taskCount(work: Int, items: Int) -> Int {
    work < 1 << 16 ? 1 : max(1, min(items, EngineConfig.threads * 4))
}
