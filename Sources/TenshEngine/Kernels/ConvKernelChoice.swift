/// Which kernel computes each direction of a convolution, for which geometry,
/// and why: the one place that decides. conv2d, conv1d, depthwise_conv2d,
/// conv_transpose2d/1d and every convolution gradient reach the kernels through
/// `convForward`, `convTranspose` and `convWeightGrad` below (Docs/Engine/Convolution.md
/// has the same table, with measurements).
///
/// - forward (pixels = conv(image, W)):
///   depthwise     one input channel per group, groups > 1: direct plane kernels
///                 (a GEMM with K = Kh·Kw would leave most of a micro-tile empty);
///   winograd      float32 3x3, stride 1, dilation 1, groups 1, C and Cout ≥ 16:
///                 F(2x2, 3x3), 16 multiplies per 2x2 tile instead of 36 (the
///                 implicit GEMM already runs at the FMA peak; measured 1.3-1.6x
///                 faster on c2/c7/c9, slower with Cout = 8);
///   phaseWinograd float32 stride 2, 3x3 to 7x7, dilation 1, groups 1, 256+
///                 tiles, C and Cout ≥ 32 (4x4) or C ≥ 64, Cout ≥ 128 (3x3):
///                 F(2x2, 2x2) on phase planes (PhaseWinogradConv.swift), 9
///                 multiplies per tile and tap pair instead of 16, one GEMM per ξ
///                 over all phase pieces (3x3: 25·C instead of 36·C). Measured at
///                 1 thread: c4 9.38 → 8.68 ms, c6-bwd (its input gradient)
///                 11.29 → 9.57; slower with fewer channels or tiles;
///                 5x5 to 7x7 (`fitsWidePhaseWinograd`): Cout ≥ 32, C ≥ 2, and
///                 C ≥ 16, Cout ≥ 64 or 1024+ tiles (c1), 2-tap pieces on
///                 zero-padded phase planes (7x7: 121·C instead of 196·C);
///                 1 thread: c1 2.28 → 1.72 ms, 16 → 64 7x7 at 112² 3.10 → 2.42;
///   shifted       a kernel larger than 1x1 with K = C/groups·Kh·Kw ≥ 16 and
///                 stride ≤ 4: implicit GEMM over phase planes, no column matrix;
///   gathered      as shifted, but strided with a grid that would waste more than
///                 1/16 of the FMAs (`prefersGatheredForward`: c4 and c6's input
///                 gradient in float64, or with too few channels or tiles for
///                 phaseWinograd): B panels of real output pixels across the batch;
///   pointwise     1x1, stride 1, no padding: one GEMM per image, the image is
///                 already the column matrix;
///   shallow       first layers (K < 16) with horizontal stride 1 and 16+ output
///                 rows over the batch: direct rows, 8 output channels x 2 pixel
///                 vectors per tap load, written once (an 8 x 32 GEMM micro-tile
///                 did 9 FMA steps per 16 stores at K = 9);
///   im2col        everything else (K < 16 with horizontal stride 2+, strides
///                 above 4): bounded im2col tiles, then GEMM.
/// - transpose (the input gradient, and conv_transpose2d's forward):
///   depthwise     the flipped-kernel forward plane kernel when it applies
///                 (m = 1 and `transposeAsForward`), else a scatter-add per plane;
///   winograd      float32, `transposeAsForward` exists and fits Winograd: the
///                 Winograd forward with the kernel read flipped;
///   shifted       `transposeAsForward` exists and fits the shifted forward:
///                 a gather-only pass instead of a GEMM plus col2im scatter-adds;
///   phaseWinograd float32 4x4 stride 2, C and Cout ≥ 32, 256+ tiles per
///                 output phase (`fitsPhaseWinogradTranspose`, c6's conv_transpose2d):
///                 each output phase a 2x2 stride-1 correlation, F(2x2, 2x2)
///                 (measured: c6-fwd 5.92 → 5.12 ms at 1 thread); 3x3's
///                 transpose stays on col2im;
///   pointwise     Wᵀ·pixels by GEMM straight into the image;
///   batchedCol2im as col2im, with the GEMM's columns running across images
///                 (`prefersBatchedCol2im`: c4's 14x14 outputs were 224 columns
///                 per 196 pixels image by image); c4-bwd 1 thread 21.6-21.9 → 20.4-20.6 ms;
///   col2im        Wᵀ·pixels by GEMM into tiles, scatter-added back (no zero insertion).
/// - weight gradient (W = Σ pixels ⋆ image):
///   depthwise     dot products per output channel;
///   shallow       stride 1 with K < 16 (first layers): og·K dot products over
///                 the output grid (a GEMM would fill 9 of the micro-tile's 32 columns);
///   shifted       16+ output channels per group, at stride 1 or with partial sums
///                 small enough (see `fitsShiftedWeightGrad`); sums over real output
///                 pixels only (c6: 256 steps per image, not its 271 grid pixels;
///                 1 thread: c1-bwd 2.37 → 2.22 ms, c6-bwd 11.22 → 10.60 ms);
///   pointwise / im2col   Σ_n pixels·colsᵀ by GEMM, one partial sum per thread.

enum ConvForwardKernel: Equatable {
    case depthwise, winograd, phaseWinograd, shifted, gathered, pointwise, shallow, im2col
}

enum ConvTransposeKernel: Equatable {
    /// The depthwise forward plane kernel on `plane` (one channel of `transposeAsForward`), kernel flipped.
    case depthwiseFlipped(plane: ConvGeometry)
    case depthwiseScatter
    /// The shifted forward on `transposed` (`transposeAsForward`), kernel flipped and channel axes swapped.
    case shiftedFlipped(transposed: ConvGeometry)
    /// Winograd on `transposed` (`transposeAsForward`), kernel flipped and channel axes swapped.
    case winogradFlipped(transposed: ConvGeometry)
    /// F(2x2, 2x2) per output phase of a stride-2 4x4 transpose (PhaseWinogradConv.swift).
    case phaseWinograd
    case pointwise, col2im, batchedCol2im
}

enum ConvWeightGradKernel: Equatable {
    case depthwise, shallow, shifted, pointwise, im2col
}

extension ConvGeometry {
    /// One input channel per group, several groups: each image plane feeds its own filters.
    var isDepthwise: Bool { channelsPerGroup == 1 && groups > 1 }

    /// The forward kernel for elements of `elementSize` bytes: Winograd for
    /// float32 only (float64 keeps the direct sums, and gradcheck its exact rounding).
    func forwardKernel(elementSize: Int) -> ConvForwardKernel {
        if elementSize == 4 && fitsWinograd { return .winograd }
        if elementSize == 4 && fitsPhaseWinograd { return .phaseWinograd }
        return forwardKernel
    }

    /// The transpose kernel for elements of `elementSize` bytes (Winograd for float32, as the forward).
    func transposeKernel(elementSize: Int) -> ConvTransposeKernel {
        if elementSize == 4, let t = transposeAsForward, t.fitsWinograd { return .winogradFlipped(transposed: t) }
        if elementSize == 4 && fitsPhaseWinogradTranspose { return .phaseWinograd }
        return transposeKernel
    }

    /// The forward kernel apart from Winograd (float64, or Winograd ruled out).
    var forwardKernel: ConvForwardKernel {
        if isDepthwise { return .depthwise }
        if fitsShiftedForward { return prefersGatheredForward ? .gathered : .shifted }
        if isPointwise { return .pointwise }
        return fitsShallowForward ? .shallow : .im2col
    }

    /// The transpose kernel apart from Winograd (float64, or Winograd ruled out).
    var transposeKernel: ConvTransposeKernel {
        if isDepthwise {
            if outChannelsPerGroup == 1, let t = transposeAsForward {
                return .depthwiseFlipped(plane: ConvGeometry(
                    batch: 1, channels: 1, height: t.height, width: t.width, outChannels: 1, outHeight: t.outHeight,
                    outWidth: t.outWidth, kernelH: t.kernelH, kernelW: t.kernelW, strideH: 1, strideW: 1,
                    dilationH: t.dilationH, dilationW: t.dilationW, padTop: t.padTop, padLeft: t.padLeft, groups: 1))
            }
            return .depthwiseScatter
        }
        if let t = transposeAsForward, t.fitsShiftedForward { return .shiftedFlipped(transposed: t) }
        if isPointwise { return .pointwise }
        return prefersBatchedCol2im ? .batchedCol2im : .col2im
    }

    func weightGradKernel(elementSize: Int) -> ConvWeightGradKernel {
        if isDepthwise { return .depthwise }
        if strideH == 1 && strideW == 1 && columnRows < 16 && !isPointwise { return .shallow }
        if fitsShiftedWeightGrad(elementSize: elementSize) { return .shifted }
        return isPointwise ? .pointwise : .im2col
    }

    /// The shifted (implicit-GEMM) forward: a real spatial kernel (1x1 is a plain
    /// GEMM already), a reduction deep enough to amortise the micro-tile stores,
    /// and at most 4x4 phase planes per channel.
    var fitsShiftedForward: Bool {
        !isPointwise && columnRows >= 16 && strideH <= 4 && strideW <= 4
    }

    /// A strided convolution whose shifted grid (wp ≥ Wo columns per output row,
    /// each image rounded up to NR-pixel panels) would spend more than 1/16 of its
    /// FMAs on pixels that are thrown away: small strided outputs (c4's 14x14:
    /// 224 grid pixels per 196; the input gradient of c6's transpose: 288 per
    /// 256). Gathering panels of real pixels costs about 1/Cout of the FMAs.
    /// Large outputs (c1's 112x112: 3%) and stride 1 stay on the shifted grid.
    var prefersGatheredForward: Bool {
        guard strideH > 1 || strideW > 1 else { return false }
        let nr = GemmShape.nr(Float.self), layout = ShiftedLayout(self, nr: nr)
        let grid = batch * layout.gridPixels, gathered = roundUp(batch * outPixels, nr)
        return 16 * (grid - gathered) > grid
    }

    /// Images whose pixels, rounded up to whole NR-column panels one image at a
    /// time, would waste more than 1/16 of the col2im GEMM's FMAs (c4's 14x14:
    /// 224 columns per 196 pixels); the batched col2im runs its columns across
    /// images instead. Images of whole panels (c6's 16x16) keep the per-image kernel.
    var prefersBatchedCol2im: Bool {
        let nr = GemmShape.nr(Float.self), perImage = batch * roundUp(outPixels, nr)
        return 16 * (perImage - roundUp(batch * outPixels, nr)) > perImage
    }

    /// The direct shallow forward (ShallowConv.swift): a reduction too short for
    /// a GEMM micro-tile, and output rows that are contiguous runs of the padded
    /// input rows (horizontal stride 1; any vertical stride and dilation). Its
    /// tasks are bands of rows, so it also wants 16+ output rows over all images
    /// and groups: a conv1d on one long row would run on one thread (im2col
    /// splits the row into pixel tiles).
    var fitsShallowForward: Bool {
        columnRows < 16 && strideW == 1 && !isPointwise && batch * groups * outHeight >= 16
    }

    /// Measured (scripts/bench.sh): the shifted weight gradient beats im2col
    /// whenever the output fills the micro-tile's NR columns (16+ channels per
    /// group) and, for strides above 1, the partial sums Gᵀ (swept once per block
    /// of grid pixels) stay small: c1 (39 KiB) and c6 (512 KiB) run faster, c4
    /// (1.2 MiB, next to 1.7 MiB of phase planes) slower.
    func fitsShiftedWeightGrad(elementSize: Int) -> Bool {
        guard fitsShiftedForward, outChannelsPerGroup >= 16 else { return false }
        // Its pixel steps index the grid in Int32 (Int indices made the micro-kernel spill: c2-bwd 16% slower).
        guard ShiftedLayout(self, nr: GemmShape.nr(Float.self)).gridPixels <= Int(Int32.max) else { return false }
        if strideH == 1 && strideW == 1 { return true }
        let partialSums = roundUp(columnRows, GemmShape.mr) * roundUp(outChannelsPerGroup, 64 / elementSize)
        return partialSums * elementSize <= 512 << 10
    }

    /// The transpose of a stride-1 convolution as a forward convolution: the
    /// input gradient
    ///
    ///     image[ci, iy, ix] = Σ pixels[co, oy, ox] · W[co, ci, ky, kx],  oy = iy + padTop − ky·dilation
    ///
    /// is a correlation of the pixels with the kernel flipped in both axes and its
    /// channel axes swapped, padded by (K − 1)·dilation − padding. This is its
    /// geometry (the pixels as the image, the image as the output), or nil for
    /// strides above 1 or padding beyond (K − 1)·dilation.
    var transposeAsForward: ConvGeometry? {
        guard strideH == 1, strideW == 1 else { return nil }
        let top = (kernelH - 1) * dilationH - padTop, left = (kernelW - 1) * dilationW - padLeft
        guard top >= 0, left >= 0 else { return nil }
        return ConvGeometry(batch: batch, channels: outChannels, height: outHeight, width: outWidth,
                            outChannels: channels, outHeight: height, outWidth: width, kernelH: kernelH, kernelW: kernelW,
                            strideH: 1, strideW: 1, dilationH: dilationH, dilationW: dilationW, padTop: top,
                            padLeft: left, groups: groups)
    }
}

/// out[N, Cout, Ho, Wo] = conv(x[N, C, H, W], w[Cout, C/groups, Kh, Kw]) + bias[Cout].
func convForward<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    try convForward(x, w, bias, out, g, kernel: g.forwardKernel(elementSize: MemoryLayout<T>.stride), op: op)
}

private func convForward<T: GemmScalar>(_ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?,
                                        _ out: UnsafeMutablePointer<T>, _ g: ConvGeometry, kernel: ConvForwardKernel,
                                        op: String) throws {
    switch kernel {
    case .depthwise: try depthwiseForwardKernel(x, w, bias, out, g, op: op)
    case .winograd: try convForwardWinogradKernel(x, w, bias, out, g, op: op)
    case .phaseWinograd:
        // Chosen for float32 only; any other element type takes the direct kernel.
        guard T.self == Float.self else { return try convForward(x, w, bias, out, g, kernel: g.forwardKernel, op: op) }
        try convForwardPhaseWinogradKernel(asFloat(x), asFloat(w), bias.map(asFloat), asFloat(out), g, op: op)
    case .shifted: try convForwardShiftedKernel(x, w, bias, out, g, op: op)
    case .gathered: try convForwardGatheredKernel(x, w, bias, out, g, op: op)
    case .pointwise: try convForwardIm2colKernel(x, w, bias, out, g, pointwise: true, op: op)
    case .shallow: try convForwardShallowKernel(x, w, bias, out, g, op: op)
    case .im2col: try convForwardIm2colKernel(x, w, bias, out, g, pointwise: false, op: op)
    }
}

/// image[N, C, H, W] = convᵀ(pixels[N, Cout, Ho, Wo], w): the input gradient of
/// conv2d and the forward of conv_transpose2d. Overwrites `image`.
func convTranspose<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>, _ image: UnsafeMutablePointer<T>,
                                  _ g: ConvGeometry, op: String) throws {
    try convTranspose(pixels, w, image, g, kernel: g.transposeKernel(elementSize: MemoryLayout<T>.stride), op: op)
}

private func convTranspose<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                          _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                          kernel: ConvTransposeKernel, op: String) throws {
    switch kernel {
    case .depthwiseFlipped(let plane): try depthwiseTransposeFlippedKernel(pixels, w, image, g, plane: plane, op: op)
    case .depthwiseScatter: try depthwiseTransposeScatterKernel(pixels, w, image, g, op: op)
    case .shiftedFlipped(let t): try convTransposeShiftedKernel(pixels, w, image, g, transposed: t, op: op)
    case .winogradFlipped(let t): try convTransposeWinogradKernel(pixels, w, image, transposed: t, op: op)
    case .phaseWinograd:
        guard T.self == Float.self else {
            return try convTranspose(pixels, w, image, g, kernel: g.transposeKernel, op: op)
        }
        try convTransposePhaseWinogradKernel(asFloat(pixels), asFloat(w), asFloat(image), g, op: op)
    case .pointwise: try convTransposeCol2imKernel(pixels, w, image, g, pointwise: true, op: op)
    case .col2im: try convTransposeCol2imKernel(pixels, w, image, g, pointwise: false, op: op)
    case .batchedCol2im: try convTransposeBatchedCol2imKernel(pixels, w, image, g, op: op)
    }
}

/// gw[Cout, C/groups, Kh, Kw] = Σ_n pixels[n] ⋆ image[n]. Overwrites `gw`.
func convWeightGrad<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>, _ gw: UnsafeMutablePointer<T>,
                                   _ g: ConvGeometry, op: String) throws {
    switch g.weightGradKernel(elementSize: MemoryLayout<T>.stride) {
    case .depthwise: try depthwiseWeightGradKernel(image, pixels, gw, g, op: op)
    case .shallow: try convWeightGradShallowKernel(image, pixels, gw, g, op: op)
    case .shifted: try convWeightGradShiftedKernel(image, pixels, gw, g, op: op)
    case .pointwise: try convWeightGradIm2colKernel(image, pixels, gw, g, pointwise: true, op: op)
    case .im2col: try convWeightGradIm2colKernel(image, pixels, gw, g, pointwise: false, op: op)
    }
}

/// The same memory as float32 (the callers check T == Float).
@inline(__always) private func asFloat<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}

@inline(__always) private func asFloat<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}
