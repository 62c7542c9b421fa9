/// Convolution forward as an implicit GEMM, with no column matrix.
///
/// The input is copied once into zero-padded "phase planes": for stride s,
/// plane (a, b) of a channel holds padded pixels (s·i + a, s·j + b), so it is
/// hp x wp with hp ≈ Ho and wp ≈ Wo (for stride 1 it is simply the padded
/// image). Output pixels are computed on a grid of Ho rows of wp columns (the
/// last wp − Wo of each grid row are discarded). On that grid, row (ci, ky, kx)
/// of the column matrix is one phase plane of ci shifted by a fixed offset:
/// one contiguous run. So the micro-kernel reads its B rows in place
/// (`ShiftedRowsB`): no im2col pass and no B packing, and neighbouring shifts
/// overlap, so a B panel takes less L1 than a packed one. The weights are
/// packed once per call.

/// The phase planes of one image and the output grid.
struct ShiftedLayout {
    let hp: Int, wp: Int
    /// Phase planes per channel: strideH x strideW.
    let phases: Int
    var plane: Int { hp * wp }
    var channelElements: Int { phases * plane }
    /// Output grid columns per image: Ho rows of wp, rounded up to whole panels.
    let gridPixels: Int
    /// Elements after the last plane that wide panels may read (never used).
    let slack: Int

    init(_ g: ConvGeometry, nr: Int) {
        hp = g.outHeight + (g.kernelH - 1) * g.dilationH / g.strideH
        wp = g.outWidth + (g.kernelW - 1) * g.dilationW / g.strideW
        phases = g.strideH * g.strideW
        gridPixels = roundUp(g.outHeight * wp, nr)
        slack = (g.kernelW - 1) * g.dilationW + 2 * nr
    }
}

/// out[N, Cout, Ho, Wo] = conv(x, w) + bias (for geometries that `fitsShiftedForward`).
func convForwardShiftedKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                             _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    if g.outPixels == 0 || g.batch == 0 || g.outChannels == 0 { return }
    let plan = ShiftedConvPlan(w, g, bias: bias, out: out)
    defer { plan.deallocate() }
    let layout = plan.operands.layout, cg = g.channelsPerGroup, og = g.outChannelsPerGroup
    let imageElements = cg * layout.channelElements + layout.slack
    if g.batch * g.groups >= EngineConfig.threads {
        // One task per image and group: pad it into the task's own buffer, which
        // stays in L2 while every tile of the image reads it.
        let scratchSize = roundUp(og, GemmShape.mr) * plan.tileCols
        try runConvTasks(T.self, tasks: g.batch * g.groups, workspace: imageElements + scratchSize, op: op) { t, _, ws in
            let n = t / g.groups, gi = t % g.groups
            padPlanes(x + (n * g.channels + gi * cg) * g.imagePixels, count: cg, g, layout, into: ws)
            fillZero(ws + cg * layout.channelElements, count: layout.slack)
            var q0 = 0
            // Ctrl-C stops between tiles (runConvTasks rethrows it after the join).
            while q0 < layout.gridPixels && !Cancellation.isRequested {
                plan.tile(image: ws, n: n, group: gi, q0: q0, co0: 0, rows: og, scratch: ws + imageElements)
                q0 += plan.tileCols
            }
        }
        return
    }
    // Few images: pad them all first, then split tiles (and channels) over the threads.
    let padded = UnsafeMutablePointer<T>.allocate(capacity: g.batch * g.channels * layout.channelElements + layout.slack)
    defer { padded.deallocate() }
    // One row of phase planes per index: a single image still pads on every thread
    // (c9: 64 channels, c1: 3 channels x 2 rows of phases), before any tile needs it.
    parallelFor(g.batch * g.channels * g.strideH) { i in
        let c = i / g.strideH
        padPlaneRow(x + c * g.imagePixels, a: i % g.strideH, g, layout, into: padded + c * layout.channelElements)
    }
    fillZero(padded + g.batch * g.channels * layout.channelElements, count: layout.slack)
    let tiles = (layout.gridPixels + plan.tileCols - 1) / plan.tileCols
    let units = g.batch * g.groups * tiles, threads = EngineConfig.threads
    let channelBlocks = units >= threads ? 1 : min(max(1, og / (2 * GemmShape.mr)), (threads + units - 1) / units)
    let blockRows = roundUp((og + channelBlocks - 1) / channelBlocks, GemmShape.mr)
    try runConvTasks(T.self, tasks: units * channelBlocks, workspace: blockRows * plan.tileCols, op: op) { task, _, scratch in
        let t = task / channelBlocks, co0 = (task % channelBlocks) * blockRows
        let n = t / (g.groups * tiles), gi = (t / tiles) % g.groups, q0 = (t % tiles) * plan.tileCols
        plan.tile(image: padded + (n * g.channels + gi * cg) * layout.channelElements, n: n, group: gi, q0: q0,
                  co0: co0, rows: min(blockRows, og - co0), scratch: scratch)
    }
}

/// What every tile of one convolution shares: packed weights, the
/// shift of each column-matrix row, the blocking.
private struct ShiftedConvPlan<T: GemmScalar> {
    let g: ConvGeometry
    let operands: ShiftedOperands<T>
    /// Grid pixels per tile: a multiple of NR.
    let tileCols: Int
    let bias: UnsafePointer<T>?
    let out: UnsafeMutablePointer<T>

    init(_ w: UnsafePointer<T>, _ g: ConvGeometry, bias: UnsafePointer<T>?, out: UnsafeMutablePointer<T>) {
        let nr = GemmShape.nr(T.self), og = g.outChannelsPerGroup
        self.g = g
        operands = ShiftedOperands(w, g, offsetUnit: MemoryLayout<T>.stride)
        let layout = operands.layout
        // Equal tiles, in a multiple of the thread count (they are tasks when
        // images are few), each at most ~256 KiB of C scratch: wider tiles
        // re-read the packed weights less often (c4: 8% faster than 128 KiB).
        let widest = max(nr, (65536 / max(og, 1)) / nr * nr)
        let tiles = roundUp((layout.gridPixels + widest - 1) / widest, max(1, EngineConfig.threads))
        tileCols = min(layout.gridPixels, roundUp((layout.gridPixels + tiles - 1) / tiles, nr))
        self.bias = bias
        self.out = out
    }

    func deallocate() { operands.deallocate() }

    /// Output channels [co0, co0 + rows) of group `group` of image `n`, grid
    /// pixels [q0, q0 + tileCols), from the padded planes of that image and group.
    func tile(image: UnsafePointer<T>, n: Int, group gi: Int, q0: Int, co0: Int, rows: Int,
              scratch: UnsafeMutablePointer<T>) {
        guard rows > 0 else { return }
        let nr = GemmShape.nr(T.self), mr = GemmShape.mr, k = g.columnRows, og = g.outChannelsPerGroup
        let panelRows = roundUp(og, mr)
        let cols = min(tileCols, operands.layout.gridPixels - q0)
        let base = UnsafeRawPointer(image + q0)
        let weights = operands.packedA + gi * panelRows * k
        let channel0 = gi * og + co0, dst = out + (n * g.outChannels + channel0) * g.outPixels
        let direct = DirectPanels(g, wp: operands.layout.wp, q0: q0, nr: nr, fullRows: k <= operands.kBlock ? rows / mr * mr : 0)
        var p0 = 0
        while p0 < k {
            let kc = min(operands.kBlock, k - p0)
            var j = 0
            while j < cols {
                let panel = ShiftedRowsB(base: base + j * MemoryLayout<T>.stride, offsets: operands.offsets + p0)
                let pixel = direct.outputPixel(j)
                var i = 0
                while i < rows {
                    let a = weights + panelRows * p0 + ((co0 + i) / mr) * kc * mr
                    if let pixel, i < direct.fullRows {
                        let c = dst + i * g.outPixels + pixel
                        prefetchTile(c, rs: g.outPixels) // its lines arrive while the FMAs run
                        gemmMicroKernel(kc, a, panel, into: c, rs: g.outPixels, alpha: 1, beta: 0)
                        if let bias { addBias(bias + channel0 + i, to: c, rs: g.outPixels, cols: nr) }
                    } else {
                        gemmMicroKernel(kc, a, panel, into: scratch + i * tileCols + j, rs: tileCols,
                                        alpha: 1, beta: p0 == 0 ? 0 : 1)
                    }
                    i += mr
                }
                j += nr
            }
            p0 += kc
        }
        let tileBias = bias.map { $0 + channel0 }
        if direct.fullRows == 0 {
            copyGridTile(scratch, channels: 0..<rows, tileCols: tileCols, q0: q0, cols: cols, wp: operands.layout.wp, g,
                         bias: tileBias, into: dst)
            return
        }
        var j = 0 // what the micro-kernel left in the scratch tile, panel by panel
        while j < cols {
            let first = direct.outputPixel(j) == nil ? 0 : direct.fullRows
            if first < rows {
                copyGridTile(scratch + j, channels: first..<rows, tileCols: tileCols, q0: q0 + j, cols: min(nr, cols - j),
                             wp: operands.layout.wp, g, bias: tileBias, into: dst)
            }
            j += nr
        }
    }
}

/// Which NR-pixel panels of a grid tile go straight from the micro-kernel to the
/// output, for the tile's whole MR-row channel panels (`fullRows`; 0 when K takes
/// several blocks, whose partial sums need the scratch): those inside the valid
/// columns of one output row. Measured on c1 (K = 147, Wo = 112 of wp = 115): the
/// scratch-to-output copy was ~10% of the tile time.
private struct DirectPanels {
    let wp: Int, q0: Int, nr: Int, fullRows: Int, outWidth: Int, outHeight: Int

    init(_ g: ConvGeometry, wp: Int, q0: Int, nr: Int, fullRows: Int) {
        (self.wp, self.q0, self.nr, self.fullRows) = (wp, q0, nr, fullRows)
        (outWidth, outHeight) = (g.outWidth, g.outHeight)
    }

    /// The output pixel oy·Wo + ox of the panel at tile column j, or nil if it stays in the scratch.
    @inline(__always) func outputPixel(_ j: Int) -> Int? {
        guard fullRows > 0 else { return nil }
        let q = q0 &+ j, oy = q / wp, ox = q &- oy &* wp
        return oy < outHeight && ox &+ nr <= outWidth ? oy &* outWidth &+ ox : nil
    }
}

/// c[r, 0..<cols] += bias[r] for the MR rows of a micro-tile written in place.
@inline(__always)
private func addBias<T: GemmScalar>(_ bias: UnsafePointer<T>, to c: UnsafeMutablePointer<T>, rs: Int, cols: Int) {
    for r in 0..<GemmShape.mr {
        let row = c + r &* rs, b = bias[r]
        for x in 0..<cols { row[x] += b }
    }
}

/// dst[c] = the phase planes of channel c of `src` (see `ShiftedLayout`), c < count.
func padPlanes<T: GemmScalar>(_ src: UnsafePointer<T>, count: Int, _ g: ConvGeometry, _ layout: ShiftedLayout,
                                      into dst: UnsafeMutablePointer<T>) {
    for c in 0..<count {
        for a in 0..<g.strideH {
            padPlaneRow(src + c * g.imagePixels, a: a, g, layout, into: dst + c * layout.channelElements)
        }
    }
}

/// Phase planes (a, 0..<strideW) of one channel: `image` is the channel's H x W
/// plane, `dst` the start of its phase planes. Horizontal stride 2 splits each
/// image row once into both planes (`padPlanePair`).
@inline(__always)
func padPlaneRow<T: GemmScalar>(_ image: UnsafePointer<T>, a: Int, _ g: ConvGeometry, _ layout: ShiftedLayout,
                                into dst: UnsafeMutablePointer<T>) {
    if g.strideW == 2 && T.self == Float.self && padPlanePair(image, a: a, g, layout, into: dst) { return }
    for b in 0..<g.strideW { padPlane(image, phase: a * g.strideW + b, g, layout, into: dst) }
}

/// Phase planes (a, 0) and (a, 1) for horizontal stride 2, each image row read
/// once and split into even and odd columns, 32 at a time (a pass per plane read
/// every row twice, and c6's 16-column plane rows went mostly element by element:
/// 4% of c6-bwd). False, having written nothing, if the planes do not start at
/// image columns 0 and 1 (padding beyond a plane row).
private func padPlanePair<T: GemmScalar>(_ image: UnsafePointer<T>, a: Int, _ g: ConvGeometry, _ layout: ShiftedLayout,
                                         into dst: UnsafeMutablePointer<T>) -> Bool {
    let wp = layout.wp
    let (c00, c01) = validRange(offset: -g.padLeft, stride: 2, size: g.width, count: wp)
    let (c10, c11) = validRange(offset: 1 - g.padLeft, stride: 2, size: g.width, count: wp)
    // Image column of each plane's first valid column: one plane takes the even columns, the other the odd.
    let x0 = 2 * c00 - g.padLeft, x1 = 2 * c10 + 1 - g.padLeft
    guard c01 > c00, c11 > c10, (x0 == 0 && x1 == 1) || (x0 == 1 && x1 == 0) else { return false }
    let evenFirst = x0 == 0
    let (evenStart, evenCount) = evenFirst ? (c00, c01 - c00) : (c10, c11 - c10)
    let (oddStart, oddCount) = evenFirst ? (c10, c11 - c10) : (c00, c01 - c00)
    let plane0 = dst + 2 * a * layout.plane, plane1 = plane0 + layout.plane
    let (r0, r1) = validRange(offset: a - g.padTop, stride: g.strideH, size: g.height, count: layout.hp)
    fillZero(plane0, count: r0 * wp)
    fillZero(plane0 + r1 * wp, count: (layout.hp - r1) * wp)
    fillZero(plane1, count: r0 * wp)
    fillZero(plane1 + r1 * wp, count: (layout.hp - r1) * wp)
    let vector = min(evenCount, oddCount, g.width / 2) / 16 * 16
    for i in r0..<r1 {
        let source = image + (g.strideH * i + a - g.padTop) * g.width
        let row0 = plane0 + i * wp, row1 = plane1 + i * wp
        fillZero(row0, count: c00)
        fillZero(row0 + c01, count: wp - c01)
        fillZero(row1, count: c10)
        fillZero(row1 + c11, count: wp - c11)
        let even = (evenFirst ? row0 : row1) + evenStart, odd = (evenFirst ? row1 : row0) + oddStart
        let s = UnsafeRawPointer(source)
        var m = 0
        while m < vector {
            let lo = s.loadUnaligned(fromByteOffset: 8 &* m, as: SIMD16<Float>.self)
            let hi = s.loadUnaligned(fromByteOffset: 8 &* m &+ 64, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(even + m).storeBytes(of: evenLanes(lo, hi), as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(odd + m).storeBytes(of: oddLanes(lo, hi), as: SIMD16<Float>.self)
            m &+= 16
        }
        for j in m..<evenCount { even[j] = source[2 &* j] }
        for j in m..<oddCount { odd[j] = source[2 &* j &+ 1] }
    }
    return true
}

/// Phase plane `phase` (a · strideW + b) of one channel: `image` is the channel's
/// H x W plane, `dst` the start of its phase planes.
@inline(__always)
func padPlane<T: GemmScalar>(_ image: UnsafePointer<T>, phase: Int, _ g: ConvGeometry, _ layout: ShiftedLayout,
                             into dst: UnsafeMutablePointer<T>) {
    let wp = layout.wp, a = phase / g.strideW, b = phase % g.strideW
    let plane = dst + phase * layout.plane
    // Plane rows [r0, r1) and columns [c0, c1) fall inside the image.
    let (r0, r1) = validRange(offset: a - g.padTop, stride: g.strideH, size: g.height, count: layout.hp)
    let (c0, c1) = validRange(offset: b - g.padLeft, stride: g.strideW, size: g.width, count: wp)
    fillZero(plane, count: r0 * wp)
    for i in r0..<r1 {
        let row = plane + i * wp, source = image + (g.strideH * i + a - g.padTop) * g.width
        fillZero(row, count: c0)
        if g.strideW == 1 {
            copyElements(source + (c0 - g.padLeft), to: row + c0, count: c1 - c0)
        } else {
            gatherStrided(source + (g.strideW * c0 + b - g.padLeft), stride: g.strideW,
                          into: row + c0, count: c1 - c0)
        }
        fillZero(row + c1, count: wp - c1)
    }
    fillZero(plane + r1 * wp, count: (layout.hp - r1) * wp)
}

/// (a[0], a[2], ..., a[14], b[0], b[2], ..., b[14]): one two-source permute (SIMD32's
/// `evenHalf` compiled to a broadcast and a permute per lane).
@inline(__always)
private func evenLanes(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14])
}

/// (a[1], a[3], ..., a[15], b[1], b[3], ..., b[15]).
@inline(__always)
private func oddLanes(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15], b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15])
}

/// What the shifted and the gathered forward share for one call: the phase-plane
/// layout, the weights packed as the micro-kernel's A panels in K blocks of at
/// most KC, and each column-matrix row's shift into an image's planes, times
/// `offsetUnit` (the element size for the shifted kernel, which steps in bytes;
/// 1 for the gathered one, which indexes elements).
struct ShiftedOperands<T: GemmScalar> {
    let layout: ShiftedLayout
    let packedA: UnsafeMutablePointer<T>
    let kBlock: Int
    let offsets: UnsafeMutablePointer<Int>

    init(_ w: UnsafePointer<T>, _ g: ConvGeometry, offsetUnit: Int) {
        layout = ShiftedLayout(g, nr: GemmShape.nr(T.self))
        kBlock = equalBlock(g.columnRows, maximum: GemmBlocking.kc)
        packedA = UnsafeMutablePointer<T>.allocate(capacity: g.groups * roundUp(g.outChannelsPerGroup, GemmShape.mr) * g.columnRows)
        packWeights(w, g, kBlock: kBlock, into: packedA)
        offsets = shiftOffsets(g, layout, elementSize: offsetUnit)
    }

    func deallocate() { packedA.deallocate(); offsets.deallocate() }
}

func packWeights<T: GemmScalar>(_ w: UnsafePointer<T>, _ g: ConvGeometry, kBlock: Int,
                                into packed: UnsafeMutablePointer<T>) {
    let k = g.columnRows, og = g.outChannelsPerGroup, rows = roundUp(og, GemmShape.mr)
    let blocks = (k + kBlock - 1) / kBlock, rowBlock = 4 * GemmShape.mr, rowBlocks = (og + rowBlock - 1) / rowBlock
    parallelFor(g.groups * blocks * rowBlocks) { unit in
        let gi = unit / (blocks * rowBlocks), p0 = (unit / rowBlocks) % blocks * kBlock
        let r0 = unit % rowBlocks * rowBlock, kc = min(kBlock, k - p0)
        gemmPackA(MatrixView(w + (gi * og + r0) * k + p0, rs: k, cs: 1), m: min(rowBlock, og - r0), kc: kc,
                  into: packed + gi * rows * k + rows * p0 + r0 * kc)
    }
}

/// Byte offset of column-matrix row (ci, ky, kx) in the padded image of one group.
func shiftOffsets(_ g: ConvGeometry, _ layout: ShiftedLayout, elementSize: Int) -> UnsafeMutablePointer<Int> {
    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: max(1, g.columnRows))
    var r = 0
    for ci in 0..<g.channelsPerGroup {
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                let (y, x) = (ky * g.dilationH, kx * g.dilationW)
                let phase = (y % g.strideH) * g.strideW + x % g.strideW
                let shift = (y / g.strideH) * layout.wp + x / g.strideW
                offsets[r] = (ci * layout.channelElements + phase * layout.plane + shift) * elementSize
                r += 1
            }
        }
    }
    return offsets
}

/// out[co, oy, ox] = scratch[co, q − q0] (+ bias[co]) for the grid pixels q = oy·wp + ox
/// in [q0, q0 + cols) with ox < Wo and oy < Ho, channels co in `channels`.
private func copyGridTile<T: GemmScalar>(_ scratch: UnsafePointer<T>, channels: Range<Int>, tileCols: Int, q0: Int,
                                         cols: Int, wp: Int, _ g: ConvGeometry, bias: UnsafePointer<T>?,
                                         into out: UnsafeMutablePointer<T>) {
    let end = min(q0 + cols, g.outHeight * wp)
    var q = q0
    while q < end {
        let oy = q / wp, ox = q - oy * wp
        let run = min(wp - ox, end - q)
        let valid = max(0, min(g.outWidth - ox, run))
        if valid > 0 {
            for co in channels {
                let src = scratch + co * tileCols + (q - q0), dst = out + co * g.outPixels + oy * g.outWidth + ox
                if let bias {
                    let b = bias[co]
                    for j in 0..<valid { dst[j] = src[j] + b }
                } else {
                    copyElements(src, to: dst, count: valid)
                }
            }
        }
        q += run
    }
}
