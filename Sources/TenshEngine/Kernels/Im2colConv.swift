/// The GEMM convolution kernels, on contiguous raw buffers: im2col tiles
/// (or the image itself, for a pointwise 1x1 convolution) times the weights by
/// the packed GEMM, with a bounded workspace (one column tile per thread, see
/// `ConvGeometry.pixelTile`):
///   forward      pixels = W · im2col(image)
///   transpose    image  = col2im(Wᵀ · pixels)
///   weight grad  W      = Σ_n pixels · im2col(image)ᵀ
/// Work is split over batch x channel groups x pixel tiles, plus channel blocks
/// when those alone would leave threads idle. ConvKernelChoice.swift says when
/// these run instead of the direct and implicit-GEMM kernels.

/// Pixel tile such that batch·groups·tiles gives every thread work, with the
/// tiles of an image about equal, so the threads' shares stay even whichever
/// thread takes which task: with a short last tile (c3's 3136 pixels as
/// 1024 + 1024 + 1024 + 64) and tasks dealt in turn, one thread got every
/// image's tiles 0 and 2 and the other tiles 1 and 3, 65% against 35%.
private func balancedTile(_ g: ConvGeometry, elementSize: Int, parallelUnits: Int) -> Int {
    let threads = EngineConfig.threads, largest = max(g.pixelTile(elementSize: elementSize), 1)
    var tiles = (g.outPixels + largest - 1) / largest
    if parallelUnits * tiles < 2 * threads && g.outPixels > 64 {
        tiles = (2 * threads + parallelUnits - 1) / max(parallelUnits, 1)
    }
    // Multiples of 32 (whole GEMM column panels), at least 32 pixels.
    let tile = max(32, roundUp((g.outPixels + max(tiles, 1) - 1) / max(tiles, 1), 32))
    return max(1, min(tile, g.outPixels))
}

/// out[N, Cout, Ho, Wo] = conv(x[N, C, H, W], w[Cout, C/groups, Kh, Kw]) + bias[Cout];
/// `pointwise` (a 1x1 stride-1 unpadded kernel) reads the image as the column matrix.
func convForwardIm2colKernel<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                            _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, pointwise: Bool,
                                            op: String) throws {
    let pixels = g.outPixels, k = g.columnRows, cg = g.channelsPerGroup, og = g.outChannelsPerGroup
    if pixels == 0 || g.batch == 0 || g.outChannels == 0 { return }
    let tile = balancedTile(g, elementSize: MemoryLayout<T>.stride, parallelUnits: g.batch * g.groups)
    let tiles = (pixels + tile - 1) / tile
    // Small images in small batches: also split output channels so every thread works.
    let units = g.batch * g.groups * tiles, threads = EngineConfig.threads
    let channelBlocks = units >= threads ? 1 : min(max(1, og / 16), (threads + units - 1) / units)
    let blockRows = roundUp((og + channelBlocks - 1) / channelBlocks, GemmShape.mr)
    try runConvTasks(T.self, tasks: units * channelBlocks, workspace: pointwise ? 0 : k * tile, op: op) { task, _, cols in
        let t = task / channelBlocks, co0 = (task % channelBlocks) * blockRows, rows = min(blockRows, og - co0)
        guard rows > 0 else { return }
        let n = t / (g.groups * tiles), gi = (t / tiles) % g.groups, p0 = (t % tiles) * tile
        let np = min(tile, pixels - p0)
        let image = x + (n * g.channels + gi * cg) * g.imagePixels
        let columns: MatrixView<T>
        if pointwise {
            columns = MatrixView(image + p0, rs: g.imagePixels, cs: 1)
        } else {
            im2colTile(image, g, channelCount: cg, p0: p0, np: np, into: cols)
            columns = MatrixView(cols, rs: np, cs: 1)
        }
        let c = out + (n * g.outChannels + gi * og + co0) * pixels + p0
        gemm(m: rows, n: np, k: k, alpha: 1, MatrixView(w + (gi * og + co0) * k, rs: k, cs: 1), columns,
             beta: 0, c, rsC: pixels, csC: 1)
        if let bias {
            for co in 0..<rows {
                let b = bias[gi * og + co0 + co], row = c + co * pixels
                for j in 0..<np { row[j] += b }
            }
        }
    }
}

/// image[N, C, H, W] = col2im(Wᵀ · pixels[N, Cout, Ho, Wo]): the input gradient of
/// conv2d and the forward of conv_transpose2d. Overwrites `image`; scatter-adds, no
/// zero insertion. `pointwise` writes Wᵀ · pixels straight into the image.
func convTransposeCol2imKernel<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                              _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry, pointwise: Bool,
                                              op: String) throws {
    let p = g.outPixels, k = g.columnRows, cg = g.channelsPerGroup, og = g.outChannelsPerGroup
    let kk = g.kernelH * g.kernelW
    if p == 0 || cg == 0 || g.batch == 0 {
        image.update(repeating: 0, count: g.batch * g.channels * g.imagePixels)
        return
    }
    // Tasks own disjoint channel blocks of one image, so scatter-adds never race; a
    // block's padded planes (see `PaddedPlanes`) stay within 2 MiB.
    let padded = PaddedPlanes(g), units = g.batch * g.groups
    let blockBudget = pointwise ? cg : max(1, (2 << 20) / max(1, padded.plane * MemoryLayout<T>.stride))
    let blocks = min(cg, max(1, (2 * EngineConfig.threads + units - 1) / units, (cg + blockBudget - 1) / blockBudget))
    let blockSize = (cg + blocks - 1) / blocks
    let tile = g.pixelTile(elementSize: MemoryLayout<T>.stride)
    let workspace = pointwise ? 0 : blockSize * (kk * tile + padded.plane)
    try runConvTasks(T.self, tasks: units * blocks, workspace: workspace, op: op) { t, _, ws in
        let n = t / (g.groups * blocks), gi = (t / blocks) % g.groups, ci0 = (t % blocks) * blockSize
        let cb = min(blockSize, cg - ci0)
        guard cb > 0 else { return }
        let a = MatrixView(w + gi * og * k + ci0 * kk, rs: 1, cs: k) // Wᵀ rows for this channel block
        let src = pixels + (n * g.outChannels + gi * og) * p
        let dst = image + (n * g.channels + gi * cg + ci0) * g.imagePixels
        let planes = ws + blockSize * kk * tile
        // Each task zeroes its own planes, checking Ctrl-C between them: a fresh output takes
        // page faults as it is first written (68 MiB of planes took 120 ms on a loaded machine).
        for c in 0..<cb {
            if Cancellation.isRequested { return } // runConvTasks rethrows it after the join
            if pointwise {
                (dst + c * g.imagePixels).update(repeating: 0, count: g.imagePixels)
            } else {
                fillZero(planes + c * padded.plane, count: padded.plane)
            }
        }
        var p0 = 0
        while p0 < p && !Cancellation.isRequested {
            let np = min(tile, p - p0)
            if pointwise {
                gemm(m: cb, n: np, k: og, alpha: 1, a, MatrixView(src + p0, rs: p, cs: 1),
                     beta: 0, dst + p0, rsC: g.imagePixels, csC: 1)
            } else {
                gemm(m: cb * kk, n: np, k: og, alpha: 1, a, MatrixView(src + p0, rs: p, cs: 1),
                     beta: 0, ws, rsC: np, csC: 1)
                col2imPaddedTile(ws, g, channelCount: cb, p0: p0, np: np, rowStride: np, padded, into: planes)
            }
            p0 += np
        }
        if !pointwise { copyImageWindow(planes, padded, g, channelCount: cb, into: dst) }
    }
}

/// gw[Cout, C/groups, Kh, Kw] = Σ_n pixels[n] · im2col(image[n])ᵀ, with one
/// partial sum per thread reduced at the end. Overwrites `gw`.
func convWeightGradIm2colKernel<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>,
                                               _ gw: UnsafeMutablePointer<T>, _ g: ConvGeometry, pointwise: Bool,
                                               op: String) throws {
    let p = g.outPixels, k = g.columnRows, cg = g.channelsPerGroup, og = g.outChannelsPerGroup
    let wCount = g.outChannels * k
    gw.update(repeating: 0, count: wCount)
    if p == 0 || g.batch == 0 || wCount == 0 { return }
    let tile = balancedTile(g, elementSize: MemoryLayout<T>.stride, parallelUnits: g.batch)
    let tiles = (p + tile - 1) / tile
    let tasks = g.batch * tiles
    let chunks = max(1, min(EngineConfig.threads, tasks))
    let partials = UnsafeMutablePointer<T>.allocate(capacity: (chunks - 1) * wCount + 1)
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: (chunks - 1) * wCount + 1)
    // A single task (one small image): the GEMM itself spreads over the threads.
    let innerThreads = tasks == 1 ? EngineConfig.threads : 1
    try runConvTasks(T.self, tasks: tasks, workspace: pointwise ? 0 : k * tile, op: op) { t, chunk, cols in
        let acc = chunk == 0 ? gw : partials + (chunk - 1) * wCount
        let n = t / tiles, p0 = (t % tiles) * tile, np = min(tile, p - p0)
        for gi in 0..<g.groups {
            let img = image + (n * g.channels + gi * cg) * g.imagePixels
            let columnsT: MatrixView<T>
            if pointwise {
                columnsT = MatrixView(img + p0, rs: 1, cs: g.imagePixels)
            } else {
                im2colTile(img, g, channelCount: cg, p0: p0, np: np, into: cols)
                columnsT = MatrixView(cols, rs: 1, cs: np)
            }
            let a = MatrixView(pixels + (n * g.outChannels + gi * og) * p + p0, rs: p, cs: 1)
            gemm(m: og, n: k, k: np, alpha: 1, a, columnsT, beta: 1, acc + gi * og * k, rsC: k, csC: 1,
                 threads: innerThreads)
        }
    }
    for c in 1..<max(chunks, 1) {
        let part = partials + (c - 1) * wCount
        for i in 0..<wCount { gw[i] += part[i] }
    }
}
