/// The col2im transpose (image = col2im(Wᵀ · pixels)) with the GEMM's column
/// dimension running across images: column j of a task is pixel j mod Ho·Wo of
/// its (j / Ho·Wo)-th image. The per-image kernel (Im2colConv.swift) rounds
/// every image up to whole NR-column panels: c4's 14x14 input gradient computed
/// 224 columns per 196 pixels, 12.5% of its FMAs thrown away. Here only a
/// task's last panel is partial (c4: 8 x 196 = 49 panels of 32).
///
/// A task owns a block of input channels of one group (and a range of images,
/// when channel blocks alone cannot feed the threads), so its scatter-adds
/// never race. Its Wᵀ rows are packed once; the output gradient is packed tile
/// by tile (a B panel may straddle two images), multiplied into a column tile,
/// and scatter-added into the padded planes (`PaddedPlanes`) of the images the
/// tile touches. Those planes live in a ring of image slots: an image is copied
/// out, and its slot zeroed for a later image, once its last column is added.

/// How one call splits its work: groups x blocks x imageRanges tasks.
struct BatchedCol2imPlan {
    let blocks: Int, blockSize: Int, imageRanges: Int, rangeSize: Int
    /// Rows of the packed Wᵀ block and of the column tile (blockSize·Kh·Kw, rounded up to MR).
    let rows: Int
    /// Pixel columns per tile (whole NR panels), and image slots in a task's ring.
    let tileCols: Int, slots: Int
    let padded: PaddedPlanes
    let kBlock: Int

    init<T: GemmScalar>(_: T.Type, _ g: ConvGeometry, threads: Int) {
        let nr = GemmShape.nr(T.self), size = MemoryLayout<T>.stride, kk = g.kernelH * g.kernelW
        let cg = max(g.channelsPerGroup, 1), og = max(g.outChannelsPerGroup, 1), p = max(g.outPixels, 1)
        padded = PaddedPlanes(g)
        kBlock = equalBlock(og, maximum: GemmBlocking.kc)
        // A block's packed Wᵀ rows, read again for every tile, within ~512 KiB: they stay in L2.
        let aBudget = max(1, (512 << 10) / (kk * og * size))
        var blocks = min(cg, (cg + aBudget - 1) / aBudget)
        // Enough tasks for every thread, and a multiple of the threads when channels allow
        // (3 blocks on 2 threads would leave one thread idle for a third of the time).
        if g.groups * blocks < threads { blocks = min(cg, (threads + g.groups - 1) / g.groups) }
        var even = blocks
        while even < min(cg, 4 * blocks) && (g.groups * even) % threads != 0 { even += 1 }
        if (g.groups * even) % threads == 0 { blocks = even }
        blockSize = (cg + blocks - 1) / blocks
        self.blocks = (cg + blockSize - 1) / blockSize
        let units = g.groups * self.blocks
        imageRanges = units >= threads ? 1 : min(max(g.batch, 1), (threads + units - 1) / units)
        rangeSize = (g.batch + imageRanges - 1) / imageRanges
        rows = roundUp(blockSize * kk, GemmShape.mr)
        // Column tiles of ~256 KiB, at most a range's columns.
        let widest = max(nr, (256 << 10) / (rows * size) / nr * nr)
        tileCols = min(widest, roundUp(rangeSize * p, nr))
        // A tile's columns touch at most (tileCols − 1) / p + 2 images.
        slots = max(1, min(rangeSize, (tileCols - 1) / p + 2))
    }

    /// Elements of one task's workspace: packed Wᵀ, packed B tile, column tile, ring.
    func workspace(_ g: ConvGeometry) -> Int {
        rows * g.outChannelsPerGroup + g.outChannelsPerGroup * tileCols + rows * tileCols
            + slots * blockSize * padded.plane
    }
}

/// image[N, C, H, W] = col2im(Wᵀ · pixels[N, Cout, Ho, Wo]), columns across images. Overwrites `image`.
func convTransposeBatchedCol2imKernel<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                                     _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                                     op: String) throws {
    let cg = g.channelsPerGroup
    if g.outPixels == 0 || cg == 0 || g.batch == 0 || g.outChannelsPerGroup == 0 {
        image.update(repeating: 0, count: g.batch * g.channels * g.imagePixels)
        return
    }
    let plan = BatchedCol2imPlan(T.self, g, threads: EngineConfig.threads)
    let tasks = g.groups * plan.blocks * plan.imageRanges
    try runConvTasks(T.self, tasks: tasks, workspace: plan.workspace(g), op: op) { t, _, ws in
        let gi = t / (plan.blocks * plan.imageRanges), r = t % plan.imageRanges
        let ci0 = (t / plan.imageRanges) % plan.blocks * plan.blockSize
        let n0 = r * plan.rangeSize, n1 = min(g.batch, n0 + plan.rangeSize)
        guard ci0 < cg, n0 < n1 else { return }
        let task = BatchedCol2imTask(g: g, plan: plan, group: gi, ci0: ci0, channels: min(plan.blockSize, cg - ci0),
                                     images: n0..<n1, workspace: ws)
        task.run(pixels, w, into: image)
    }
}

/// One task: channels [ci0, ci0 + channels) of group `group`, images `images`.
private struct BatchedCol2imTask<T: GemmScalar> {
    let g: ConvGeometry, plan: BatchedCol2imPlan
    let group: Int, ci0: Int, channels: Int, images: Range<Int>
    let packedA: UnsafeMutablePointer<T>, packedB: UnsafeMutablePointer<T>, cols: UnsafeMutablePointer<T>
    let ring: UnsafeMutablePointer<T>

    init(g: ConvGeometry, plan: BatchedCol2imPlan, group: Int, ci0: Int, channels: Int, images: Range<Int>,
         workspace: UnsafeMutablePointer<T>) {
        (self.g, self.plan, self.group, self.ci0, self.channels, self.images) = (g, plan, group, ci0, channels, images)
        let og = g.outChannelsPerGroup
        packedA = workspace
        packedB = packedA + plan.rows * og
        cols = packedB + og * plan.tileCols
        ring = cols + plan.rows * plan.tileCols
    }

    var slotSize: Int { plan.blockSize * plan.padded.plane }

    func run(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>, into image: UnsafeMutablePointer<T>) {
        packWeights(w)
        // Each task zeroes its own slots: a fresh workspace takes its page faults here, once.
        fillZero(ring, count: plan.slots * slotSize)
        let columns = images.count * g.outPixels
        var c0 = 0
        // Ctrl-C stops between tiles (runConvTasks rethrows it after the join).
        while c0 < columns && !Cancellation.isRequested {
            let nc = min(plan.tileCols, columns - c0)
            packPixels(pixels, c0: c0, count: nc)
            multiply(count: nc)
            scatter(c0: c0, count: nc, into: image)
            c0 += nc
        }
    }

    /// Wᵀ rows (ci, ky, kx) of the block as MR-row panels, K block by K block (rows · p0 apart).
    /// Eight panels at a time, so each cache line of a weight row is read once: panel
    /// by panel (`gemmPackA`), the rows' lines 4.5 KiB apart (c4) fell on a few L1 sets
    /// and were fetched again for every panel.
    private func packWeights(_ w: UnsafePointer<T>) {
        let k = g.columnRows, og = g.outChannelsPerGroup, mr = GemmShape.mr
        let used = channels * g.kernelH * g.kernelW, panels = (used + mr - 1) / mr
        let first = w + group * og * k + ci0 * g.kernelH * g.kernelW
        var p0 = 0
        while p0 < og {
            let kc = min(plan.kBlock, og - p0), block = packedA + plan.rows * p0
            for group8 in stride(from: 0, to: panels, by: 8) {
                for p in 0..<kc {
                    let src = first + (p0 + p) * k
                    for panel in group8..<min(group8 + 8, panels) {
                        let dst = block + (panel &* kc &+ p) &* mr, r = src + panel &* mr, valid = used &- panel &* mr
                        if valid >= 8 { // MR = 8, written out so it becomes one vector move
                            dst[0] = r[0]; dst[1] = r[1]; dst[2] = r[2]; dst[3] = r[3]
                            dst[4] = r[4]; dst[5] = r[5]; dst[6] = r[6]; dst[7] = r[7]
                        } else {
                            for i in 0..<mr { dst[i] = i < valid ? r[i] : 0 }
                        }
                    }
                }
            }
            p0 += kc
        }
    }

    /// Columns [c0, c0 + count) of the output gradient as NR-column panels of all
    /// og rows ([panel][co][NR]), zero past `count`. Row by row, each row's run read
    /// once from start to end (panel by panel took 4% of c4's backward).
    private func packPixels(_ pixels: UnsafePointer<T>, c0: Int, count: Int) {
        let nr = GemmShape.nr(T.self), og = g.outChannelsPerGroup, p = g.outPixels
        var j = 0
        while j < count {
            let column = c0 + j, local = column / p, q = column % p, run = min(p - q, count - j)
            let src = pixels + ((images.lowerBound + local) * g.outChannels + group * og) * p + q
            for co in 0..<og {
                let row = src + co * p
                var x = 0
                while x < run { // pieces split at panel boundaries
                    let col = j + x, offset = col % nr, piece = min(nr - offset, run - x)
                    copyElements(row + x, to: packedB + (col / nr * og + co) * nr + offset, count: piece)
                    x += piece
                }
            }
            j += run
        }
        let tail = count % nr
        if tail > 0 {
            let last = packedB + count / nr * og * nr
            for co in 0..<og { fillZero(last + co * nr + tail, count: nr - tail) }
        }
    }

    /// cols[rows x tileCols] = packed Wᵀ · packed pixels, for the tile's panels.
    private func multiply(count: Int) {
        let nr = GemmShape.nr(T.self), mr = GemmShape.mr, og = g.outChannelsPerGroup
        let panels = (count + nr - 1) / nr, tile = plan.tileCols
        let rows = roundUp(channels * g.kernelH * g.kernelW, mr) // the last block may have fewer channels
        var p0 = 0
        while p0 < og {
            let kc = min(plan.kBlock, og - p0), beta: T = p0 == 0 ? 0 : 1
            let a = packedA + plan.rows * p0
            for panel in 0..<panels {
                let b = packedB + panel * og * nr + p0 * nr, c = cols + panel * nr
                var i = 0
                while i < rows {
                    gemmMicroKernel(kc, a + i * kc, b, into: c + i * tile, rs: tile, alpha: 1, beta: beta)
                    i += mr
                }
            }
            p0 += kc
        }
    }

    /// Adds the tile's columns into the planes of their images; copies out the images it completes.
    private func scatter(c0: Int, count: Int, into image: UnsafeMutablePointer<T>) {
        let p = g.outPixels, cg = g.channelsPerGroup
        var j = 0
        while j < count {
            let column = c0 + j, local = column / p, q = column % p, run = min(p - q, count - j)
            let slot = ring + local % plan.slots * slotSize
            col2imPaddedTile(cols + j, g, channelCount: channels, p0: q, np: run, rowStride: plan.tileCols,
                             plan.padded, into: slot)
            if q + run == p {
                let m = images.lowerBound + local
                copyImageWindow(slot, plan.padded, g, channelCount: channels,
                                into: image + (m * g.channels + group * cg + ci0) * g.imagePixels)
                if m + plan.slots < images.upperBound { fillZero(slot, count: slotSize) }
            }
            j += run
        }
    }
}

