/// Convolution forward as a GEMM whose B panels are gathered from the phase
/// planes of ShiftedConv.swift, NR output pixels of the whole batch at a time.
///
/// The shifted kernel reads B in place on a grid of wp ≥ Wo columns per output
/// row and rounds each image's grid up to whole NR panels; at stride 2 on small
/// outputs much of that grid is waste (c4, 14x14 outputs: 224 grid pixels per
/// 196, 14% of the FMAs). Here a panel holds only real output pixels, consecutive in
/// (image, row, column) order, so only the batch's last panel is partial. Each
/// row (ci, ky, kx) of a panel is a few runs, one per output row it touches,
/// each one contiguous in a phase plane: a vector copy per run. Packing a panel
/// costs about 1/og of its FMAs.

/// out[N, Cout, Ho, Wo] = conv(x, w) + bias (for geometries where `prefersGatheredForward`).
func convForwardGatheredKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                              _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    if g.outPixels == 0 || g.batch == 0 || g.outChannels == 0 { return }
    let plan = GatheredConvPlan(w, g, bias: bias, out: out)
    defer { plan.deallocate() }
    try runConvTasks(T.self, tasks: plan.lanes, workspace: plan.workspace, op: op) { lane, _, scratch in
        plan.run(lane: lane, x: x, scratch: scratch)
    }
}

/// Output pixels of the batch in one output row of one image, `column` columns into their chunk.
private struct PixelRun {
    /// The ring slot holding the image's phase planes.
    let slot: Int
    /// Offset of the run's first pixel in a phase plane.
    let source: Int
    /// Offset of the run's first pixel in `out` (channel 0 of its group).
    let target: Int
    let column: Int
    let count: Int
}

/// What every lane shares: packed weights, the offset of each column-matrix
/// row in the phase planes, the blocking.
///
/// Each thread (lane) takes one contiguous range of panels and works through
/// it in chunks of at most ~256 KiB of C scratch. It pads an image's planes
/// into a ring of its own (kept in L2, as on the shifted kernel's one-image
/// tasks) when a chunk first needs them: padding every image up front into one
/// shared buffer, then gathering from it, spent 17% of c4's time, against 4%.
private struct GatheredConvPlan<T: GemmScalar> {
    let g: ConvGeometry
    let operands: ShiftedOperands<T>
    let panels: Int
    let lanes: Int
    /// Panels per chunk, at most.
    let widest: Int
    /// Ring slots: the most images one chunk touches.
    let slots: Int
    let bias: UnsafePointer<T>?
    let out: UnsafeMutablePointer<T>

    init(_ w: UnsafePointer<T>, _ g: ConvGeometry, bias: UnsafePointer<T>?, out: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), og = g.outChannelsPerGroup
        self.g = g
        operands = ShiftedOperands(w, g, offsetUnit: 1)
        panels = (g.batch * g.outPixels + nr - 1) / nr
        lanes = max(1, min(EngineConfig.threads, panels))
        // Chunks of at most two images' pixels (when an image fills a panel), so the
        // ring holds at most three images' planes however few the output channels.
        widest = max(1, min(65536 / max(og, 1), 2 * g.outPixels) / nr)
        slots = min(g.batch, (widest * nr - 1) / g.outPixels + 2)
        self.bias = bias
        self.out = out
    }

    func deallocate() { operands.deallocate() }

    var groupPlanes: Int { g.channelsPerGroup * operands.layout.channelElements }

    /// Scratch per lane: the C tile, one B panel of one K block (and a vector
    /// of overrun), the ring of phase planes (and the slack wide reads may touch).
    var workspace: Int {
        let nr = GemmShape.nr(T.self), cols = widest * nr
        return roundUp(g.outChannelsPerGroup, GemmShape.mr) * cols + operands.kBlock * nr + T.Vector.scalarCount
            + slots * groupPlanes + operands.layout.slack
    }

    /// Every group's output for the panels of lane `lane`.
    func run(lane: Int, x: UnsafePointer<T>, scratch: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), og = g.outChannelsPerGroup, cols = widest * nr
        let c = scratch, b = c + roundUp(og, GemmShape.mr) * cols
        let ring = b + operands.kBlock * nr + T.Vector.scalarCount
        fillZero(ring + slots * groupPlanes, count: operands.layout.slack)
        var held = [(group: Int, image: Int)](repeating: (-1, -1), count: slots)
        let first = lane * panels / lanes, end = (lane + 1) * panels / lanes
        let chunks = (end - first + widest - 1) / widest
        for gi in 0..<g.groups {
            for chunk in 0..<chunks where !Cancellation.isRequested { // the caller rethrows Ctrl-C
                let p0 = first + chunk * (end - first) / chunks, p1 = first + (chunk + 1) * (end - first) / chunks
                let pixels = p0 * nr..<min(p1 * nr, g.batch * g.outPixels)
                for n in pixels.lowerBound / g.outPixels...(pixels.upperBound - 1) / g.outPixels {
                    let slot = n % slots
                    if held[slot] != (gi, n) {
                        padPlanes(x + (n * g.channels + gi * g.channelsPerGroup) * g.imagePixels,
                                  count: g.channelsPerGroup, g, operands.layout, into: ring + slot * groupPlanes)
                        held[slot] = (gi, n)
                    }
                }
                compute(pixelRuns(pixels), panelCount: p1 - p0, group: gi, ring: ring, b: b, c: c)
            }
        }
    }

    /// C = W · B for the panels of `runs`, then copied out (plus bias).
    private func compute(_ runs: [PixelRun], panelCount: Int, group gi: Int, ring: UnsafePointer<T>,
                         b: UnsafeMutablePointer<T>, c: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), mr = GemmShape.mr, k = g.columnRows, og = g.outChannelsPerGroup
        let cols = panelCount * nr, panelRows = roundUp(og, mr), weights = operands.packedA + gi * panelRows * k
        // Each panel is packed just before its micro-kernels, into one buffer that stays in L1:
        // packing all of a chunk's panels first wrote 200 KiB per K block, every store an L1 miss.
        runs.withUnsafeBufferPointer { runs in
            var p0 = 0
            while p0 < k {
                let kc = min(operands.kBlock, k - p0)
                var first = 0
                for j in 0..<panelCount {
                    var last = first
                    while last < runs.count && runs[last].column < (j + 1) * nr { last += 1 }
                    packPanel(runs[first..<last], column0: j * nr, ring: ring, rows: p0..<(p0 + kc), into: b)
                    first = last
                    var i = 0
                    while i < og {
                        gemmMicroKernel(kc, weights + panelRows * p0 + (i / mr) * kc * mr, b,
                                        into: c + i * cols + j * nr, rs: cols, alpha: 1, beta: p0 == 0 ? 0 : 1)
                        i += mr
                    }
                }
                p0 += kc
            }
        }
        for co in 0..<og {
            let bias = self.bias?[gi * og + co]
            let row = out + (gi * og + co) * g.outPixels, source = c + co * cols
            for run in runs {
                let dst = row + run.target, src = source + run.column
                if let bias {
                    for j in 0..<run.count { dst[j] = src[j] + bias }
                } else {
                    copyElements(src, to: dst, count: run.count)
                }
            }
        }
    }

    /// `pixels` of the batch as runs that stay within one output row and one panel.
    private func pixelRuns(_ pixels: Range<Int>) -> [PixelRun] {
        let nr = GemmShape.nr(T.self), wo = g.outWidth
        var runs: [PixelRun] = []
        var p = pixels.lowerBound
        while p < pixels.upperBound {
            let n = p / g.outPixels, q = p - n * g.outPixels, oy = q / wo, ox = q - oy * wo
            let column = p - pixels.lowerBound, panelEnd = pixels.lowerBound + (column / nr + 1) * nr
            let count = min(wo - ox, pixels.upperBound - p, panelEnd - p)
            runs.append(PixelRun(slot: n % slots, source: oy * operands.layout.wp + ox,
                                 target: n * g.outChannels * g.outPixels + oy * wo + ox, column: column, count: count))
            p += count
        }
        return runs
    }

    /// B panel [r − rows.lowerBound][NR] for column-matrix rows `rows` from the runs of one
    /// panel (columns from `column0`): row r of a run is `count` consecutive values at
    /// offsets[r] past the run's source. Whole vectors are copied, so a run may
    /// overwrite up to a vector past its end; runs and rows go in ascending order,
    /// so the next run (or row) rewrites what was overrun, and a partial panel's
    /// unused columns only reach C columns that are never copied out.
    @inline(__always)
    private func packPanel(_ runs: Slice<UnsafeBufferPointer<PixelRun>>, column0: Int, ring: UnsafePointer<T>,
                           rows: Range<Int>, into b: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), v = T.Vector.scalarCount, size = MemoryLayout<T>.stride
        for r in rows {
            let source = ring + operands.offsets[r], row = b + (r - rows.lowerBound) * nr - column0
            for run in runs {
                let src = UnsafeRawPointer(source + run.slot * groupPlanes + run.source)
                let dst = UnsafeMutableRawPointer(row + run.column)
                var j = 0
                repeat {
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: j * size, as: T.Vector.self),
                                   toByteOffset: j * size, as: T.Vector.self)
                    j += v
                } while j < run.count
            }
        }
    }
}
