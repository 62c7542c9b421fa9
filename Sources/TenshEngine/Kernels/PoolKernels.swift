/// The loops of pooling and resampling over contiguous [planes, H, W] buffers:
/// max pooling with its argmax indices, the scatter-add and gather through
/// those indices (its gradient and double gradient), and the separable
/// weighted sum behind avg_pool2d, adaptive_avg_pool2d and upsample. One
/// plane per step; Ctrl-C is checked between planes.

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
    forEachPlane(planes, chunks: taskCount(work: planes &* inH &* inW, items: planes)) { plane in
        let xin = x + plane &* inH &* inW, base = plane &* outH &* outW
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
