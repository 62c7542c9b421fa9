/// Stride-2 convolutions with 3x3 to 7x7 kernels (and the 4x4 transpose) by
/// Winograd's F(2x2, 2x2) (PhaseWinogradTransforms.swift) on phase planes:
/// 9 multiplies per 2x2 output tile and tap pair instead of 16. The implicit
/// GEMMs already run at the FMA peak; only fewer multiplies beat them.
///
/// Per axis, a stride-2 correlation splits by the parity of the input index
/// into stride-1 correlations of 2-tap pieces on phase planes (every second
/// row of the input). Forward, out[o] = Σ_k w[k]·x[2o − p + k]: phase q
/// (x[2j + q]) has the taps k ≡ p + q (mod 2), at plane index j = o + (k − p − q)/2,
/// so two neighbouring indices (3x3, p = 1: odd rows w0, w2 over {o − 1, o};
/// even rows only w1, kept as the 2-tap kernel [0, w1] over {o − 1, o}).
/// The four pieces (row phase x column phase) sum into one output tile, so in
/// the Winograd domain M_ξ = Σ_pieces U_ξ · V_ξ is ONE GEMM per ξ with K =
/// pieces x channels; a zero tap makes U_ξ zero for a third of the ξ, and
/// those pieces are left out of that ξ's K (3x3: 25 of 36 channel blocks).
/// Wider kernels have 3-4 taps per phase, cut into 2-tap pieces (7x7: 16
/// pieces, `PhaseSplit.forward`), read from zero-padded phase planes
/// (`convForwardPaddedPhaseWinograd`).
/// Transposed, image[2i + r] = Σ_k w[k]·pixels[i + (r + p − k)/2], k ≡ r + p:
/// each output phase r is its own stride-1 2-tap correlation of the whole
/// pixel plane, written to every second row (4x4, p = 1: r = 0 reads
/// {i − 1, i} with (w3, w1), r = 1 reads {i, i + 1} with (w2, w0)).
///
/// Everything else is WinogradConv.swift's structure: U packed once as A
/// panels, blocks of NR-tile panels whose input tiles are transformed straight
/// into packed B panels, `multiplyPacked`, and the output transform (+ bias).

extension ConvGeometry {
    /// Stride 2, 3x3 or 4x4, dilation 1, one group, and where it measured
    /// faster (1 thread, against the gathered and shifted kernels): enough
    /// tiles to amortise the weight transform (64 tiles per call ran 2-3x
    /// slower) and enough channels to amortise the input transform (per
    /// input channel) and the output transform (per output channel). 4x4
    /// saves 1.78x of the multiplies and pays off from 32 channels each way
    /// (32 → 32 at 32²: 0.93 → 0.75 ms); 3x3 saves 1.44x and needs more
    /// (c4's 128 → 256: 9.4 → 8.7 ms; 16 → 16, 32 → 32 and 16 → 256 ran slower).
    var fitsPhaseWinograd: Bool {
        guard strideH == 2 && strideW == 2 && dilationH == 1 && dilationW == 1 && groups == 1 && outPixels > 0
            && imagePixels > 0 else { return false }
        let tiles = batch * ((outHeight + 1) / 2) * ((outWidth + 1) / 2)
        if (5...7).contains(kernelH) && (5...7).contains(kernelW) { return fitsWidePhaseWinograd(tiles: tiles) }
        guard (3...4).contains(kernelH) && (3...4).contains(kernelW) else { return false }
        if kernelH == 4 && kernelW == 4 { return tiles >= 256 && channels >= 32 && outChannels >= 32 }
        return tiles >= 256 && channels >= 64 && outChannels >= 128
    }

    /// 5x5 to 7x7 (padded phase planes, 3 or 4 pieces per axis: 0.62-0.69x
    /// the multiplies), where it measured faster than the shifted kernel at
    /// 1 thread: 32+ output channels, 2+ input channels, 256+ tiles, and 16+
    /// input channels, 64+ output channels or 1024+ tiles (c1: 2.28 → 1.72 ms;
    /// 7x7 3 → 64 at 64²: 0.20 → 0.16; 3 → 32 at 224²: 1.11 → 1.06; 5x5 3 → 64
    /// at 224²: 1.15 → 1.06; 16 → 64 at 112²: 3.10 → 2.42). Slower: 16 output
    /// channels (3 → 16 at 224²: 0.56 → 0.65), 1 input channel (1 → 32 at
    /// 224²: 0.39 → 0.42), 3 → 32 over 256 tiles (0.056 → 0.060), 64 tiles of
    /// 3 → 32 (0.03 → 0.07): the input transform (per input channel and piece)
    /// and the output transform (per output channel) outweigh the saved multiplies.
    private func fitsWidePhaseWinograd(tiles: Int) -> Bool {
        guard tiles >= 256 && outChannels >= 32 && channels >= 2 else { return false }
        return channels >= 16 || outChannels >= 64 || tiles >= 1024
    }

    /// The 4x4 transpose (conv_transpose2d's forward, the input gradient) on the
    /// same terms, per output phase (c6: 128 → 64, 512 tiles per phase); 3x3's
    /// transpose has one-tap output phases (2.25 of 4 multiplies saved at best)
    /// and stays on col2im.
    var fitsPhaseWinogradTranspose: Bool {
        guard strideH == 2 && strideW == 2 && kernelH == 4 && kernelW == 4 && dilationH == 1 && dilationW == 1
            && groups == 1 && outPixels > 0 && imagePixels > 0 else { return false }
        let tiles = batch * (((height + 1) / 2 + 1) / 2) * (((width + 1) / 2 + 1) / 2)
        return tiles >= 256 && channels >= 32 && outChannels >= 32
    }
}

/// One axis of a piece: the input plane first + step·j (j < size), read by
/// output position o (of its phase grid) at plane indices o + offset and
/// o + offset + 1 with kernel taps tap0 and tap1 (−1: no tap).
struct PhaseTaps: Equatable {
    let first: Int, step: Int, size: Int
    let offset: Int
    let tap0: Int, tap1: Int
}

/// One axis of an output phase (output indices first + step·o, o < size) and the pieces summed into it.
struct PhaseSplit: Equatable {
    let first: Int, step: Int, size: Int
    let pieces: [PhaseTaps]

    /// The forward's one output phase: input length n, output length outSize,
    /// kernel k, padding p, stride 2. Each input phase's taps (at consecutive
    /// plane offsets) are cut into 2-tap pieces from the lowest offset, an odd
    /// last tap its own 1-tap piece: 3 and 4 taps give one piece per phase,
    /// 7 taps (p = 3) [w0 w2][w4 w6] and [w1 w3][w5], whose nonzero U_ξ per
    /// axis are 3 + 3 and 3 + 2: 11 multiplies per 2 outputs instead of 14.
    static func forward(n: Int, outSize: Int, kernel k: Int, pad p: Int) -> PhaseSplit {
        let pieces = (0..<2).flatMap { q in
            cut((0..<k).filter { ($0 - p - q) & 1 == 0 }.map { ($0, ($0 - p - q) / 2) },
                first: q, step: 2, size: (n - q + 1) / 2)
        }
        return PhaseSplit(first: 0, step: 1, size: outSize, pieces: pieces)
    }

    /// `forward` on the zero-padded phase planes of ShiftedLayout (wide
    /// kernels): phase a (padded index 2j + a) has the taps k ≡ a (mod 2) at
    /// plane index j = o + (k − a)/2 of a plane of `size` values, phase a's
    /// first value `phaseStride`·a values (y: rows, x: elements) from the channel's.
    static func padded(outSize: Int, kernel k: Int, size: Int, phaseStride: Int) -> PhaseSplit {
        let pieces = (0..<2).flatMap { a in
            cut((0..<k).filter { ($0 - a) & 1 == 0 }.map { ($0, ($0 - a) / 2) }, first: a * phaseStride, step: 1,
                size: size)
        }
        return PhaseSplit(first: 0, step: 1, size: outSize, pieces: pieces)
    }

    /// One phase's (tap, plane offset) pairs, in increasing offsets, cut into pieces of two.
    private static func cut(_ pairs: [(tap: Int, offset: Int)], first: Int, step: Int, size: Int) -> [PhaseTaps] {
        stride(from: 0, to: pairs.count, by: 2).compactMap { i in
            taps(Array(pairs[i..<min(i + 2, pairs.count)]), first: first, step: step, size: size)
        }
    }

    /// The transpose's two output phases (image length n, pixel length pixels), one piece each.
    static func transpose(n: Int, pixels: Int, kernel k: Int, pad p: Int) -> [PhaseSplit] {
        (0..<2).map { r in
            let piece = taps((0..<k).filter { (r + p - $0) & 1 == 0 }.map { ($0, (r + p - $0) / 2) },
                             first: 0, step: 1, size: pixels)
            return PhaseSplit(first: r, step: 2, size: (n - r + 1) / 2, pieces: piece.map { [$0] } ?? [])
        }
    }

    /// The piece for (tap, plane offset) pairs: two at neighbouring offsets, or
    /// one, which becomes tap1 (tap0 zero); nil for none (or more than two).
    private static func taps(_ pairs: [(tap: Int, offset: Int)], first: Int, step: Int, size: Int) -> PhaseTaps? {
        let sorted = pairs.sorted { $0.offset < $1.offset }
        switch sorted.count {
        case 1:
            return PhaseTaps(first: first, step: step, size: size, offset: sorted[0].offset - 1, tap0: -1,
                             tap1: sorted[0].tap)
        case 2 where sorted[1].offset == sorted[0].offset + 1:
            return PhaseTaps(first: first, step: step, size: size, offset: sorted[0].offset, tap0: sorted[0].tap,
                             tap1: sorted[1].tap)
        default:
            return nil
        }
    }
}

/// out[N, Cout, Ho, Wo] = conv(x, w) + bias (float32, for geometries that `fitsPhaseWinograd`).
func convForwardPhaseWinogradKernel(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                                    _ out: UnsafeMutablePointer<Float>, _ g: ConvGeometry, op: String) throws {
    let taps = g.kernelH * g.kernelW
    let weights = WinogradWeights(base: w, coStride: g.channels * taps, ciStride: taps, dy: g.kernelW, dx: 1)
    if g.kernelH > 4 || g.kernelW > 4 { return try convForwardPaddedPhaseWinograd(x, weights, bias, out, g, op: op) }
    let rows = PhaseSplit.forward(n: g.height, outSize: g.outHeight, kernel: g.kernelH, pad: g.padTop)
    let columns = PhaseSplit.forward(n: g.width, outSize: g.outWidth, kernel: g.kernelW, pad: g.padLeft)
    let shape = PhaseShape(batch: g.batch, cin: g.channels, height: g.height, width: g.width,
                           cout: g.outChannels, outHeight: g.outHeight, outWidth: g.outWidth)
    try phaseWinograd(x, weights, bias, out, shape, rows: [rows], columns: [columns], op: op)
}

/// The forward of wide kernels (5x5 to 7x7) on a zero-padded copy of the
/// input in the shifted kernel's phase planes (ShiftedLayout, `padPlaneRow`):
/// 4 pieces per axis read every input row up to 4 times, and (c1: 3 input
/// channels, 16 pieces) strided gathers of the image were a quarter of the
/// time; from the padded planes most runs of tiles are transformed in place.
/// Plane (a, b) of a channel is rows (2a + b)·hp ..< (2a + b + 1)·hp of a
/// 4·hp x wp image, so row phase a starts 2a·hp rows and column phase b hp·wp
/// values into the channel.
private func convForwardPaddedPhaseWinograd(_ x: UnsafePointer<Float>, _ weights: WinogradWeights<Float>,
                                            _ bias: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<Float>,
                                            _ g: ConvGeometry, op: String) throws {
    if g.batch == 0 || g.outChannels == 0 { return }
    let layout = ShiftedLayout(g, nr: GemmShape.nr(Float.self)), planes = g.batch * g.channels
    // From the tensor cache: a fresh ~600 KiB (c1) every call took page faults.
    let bytes = (planes * layout.channelElements + layout.slack) * MemoryLayout<Float>.stride
    let raw = try BufferCache.shared.allocate(byteCount: bytes, op: op)
    defer { BufferCache.shared.release(raw, byteCount: bytes) }
    let padded = raw.bindMemory(to: Float.self, capacity: bytes / MemoryLayout<Float>.stride)
    parallelFor(planes * 2) { i in
        padPlaneRow(x + (i / 2) * g.imagePixels, a: i % 2, g, layout, into: padded + (i / 2) * layout.channelElements)
    }
    fillZero(padded + planes * layout.channelElements, count: layout.slack)
    let rows = PhaseSplit.padded(outSize: g.outHeight, kernel: g.kernelH, size: layout.hp, phaseStride: 2 * layout.hp)
    let columns = PhaseSplit.padded(outSize: g.outWidth, kernel: g.kernelW, size: layout.wp, phaseStride: layout.plane)
    let shape = PhaseShape(batch: g.batch, cin: g.channels, height: 4 * layout.hp, width: layout.wp,
                           cout: g.outChannels, outHeight: g.outHeight, outWidth: g.outWidth, paddedPlanes: true)
    try phaseWinograd(padded, weights, bias, out, shape, rows: [rows], columns: [columns], op: op)
}

/// image = convᵀ(pixels, w) (float32, for geometries that `fitsPhaseWinogradTranspose`). Overwrites `image`.
func convTransposePhaseWinogradKernel(_ pixels: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                                      _ image: UnsafeMutablePointer<Float>, _ g: ConvGeometry, op: String) throws {
    // The convolution computed maps pixel channels to image channels: kernel
    // (co = image channel, ci = pixel channel) is w[ci, co], w being [Cout, C, Kh, Kw].
    let taps = g.kernelH * g.kernelW
    let weights = WinogradWeights(base: w, coStride: taps, ciStride: g.channels * taps, dy: g.kernelW, dx: 1)
    let rows = PhaseSplit.transpose(n: g.height, pixels: g.outHeight, kernel: g.kernelH, pad: g.padTop)
    let columns = PhaseSplit.transpose(n: g.width, pixels: g.outWidth, kernel: g.kernelW, pad: g.padLeft)
    let shape = PhaseShape(batch: g.batch, cin: g.outChannels, height: g.outHeight, width: g.outWidth,
                           cout: g.channels, outHeight: g.height, outWidth: g.width)
    try phaseWinograd(pixels, weights, nil, image, shape, rows: rows, columns: columns, op: op)
}

/// The tensors of the convolution computed: x [batch, cin, height, width] → out [batch, cout, outHeight, outWidth].
struct PhaseShape {
    let batch: Int, cin: Int, height: Int, width: Int
    let cout: Int, outHeight: Int, outWidth: Int
    /// x is zero-padded phase planes with slack after them (wide kernels): runs of tiles inside
    /// them are transformed in place, reading past a run's end (never past the user's tensor).
    var paddedPlanes = false
}

/// Every output phase (row split x column split) of each block of tiles
/// before the next block, so the phases' interleaved outputs are written
/// while their cache lines are held (one phase after another wrote the
/// whole output four times over: a quarter of c6's time).
private func phaseWinograd(_ x: UnsafePointer<Float>, _ weights: WinogradWeights<Float>, _ bias: UnsafePointer<Float>?,
                           _ out: UnsafeMutablePointer<Float>, _ shape: PhaseShape, rows: [PhaseSplit],
                           columns: [PhaseSplit], op: String) throws {
    if shape.batch == 0 || shape.cout == 0 { return }
    let plans = rows.filter { $0.size > 0 }.flatMap { rowSplit in
        columns.filter { $0.size > 0 }.map { PhaseWinogradPlan(weights, shape, rows: rowSplit, columns: $0) }
    }
    defer { for plan in plans { plan.deallocate() } }
    guard let blockCols = plans.map(\.blockCols).min(), let workspace = plans.map(\.workspace).max(),
          let tiles = plans.map({ shape.batch * $0.tilesPerImage }).max() else { return }
    // A pair of column phases keeps both M until their joint output transform: twice the workspace.
    let paired = plans.indices.dropLast().contains { plans[$0].pairsColumns(with: plans[$0 + 1]) }
    let rowsA = roundUp(shape.cout, GemmShape.mr)
    try runTileBlocks(Float.self, tiles: tiles, blockCols: blockCols, rows: rowsA,
                      workspace: paired ? 2 * workspace : workspace, op: op) { block, scratch in
        let first = block.first
        var i = 0
        while i < plans.count {
            let plan = plans[i], own = min(block.count, shape.batch * plan.tilesPerImage - first)
            if i + 1 < plans.count && plan.pairsColumns(with: plans[i + 1]) {
                plan.blockPair(plans[i + 1], x, tile0: first, count: own, channels: block.rows, bias: bias, out: out,
                               scratch: scratch, otherScratch: scratch + workspace)
                i += 2
            } else {
                plan.block(x, tile0: first, count: own, channels: block.rows, bias: bias, out: out, scratch: scratch)
                i += 1
            }
        }
    }
}
