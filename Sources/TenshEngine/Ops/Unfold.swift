import TenshText

/// unfold (im2col) and fold (col2im), like `torch.nn.functional.unfold/fold`.
/// Each is the other's gradient (nodes `Unfold` and `Fold`).

/// Sliding blocks of `x` `[N, C, H, W]` as columns: `[N, C·Kh·Kw, L]`, L = Ho·Wo
/// (Ho = ⌊(H + 2·padding − dilation·(Kh − 1) − 1) / stride⌋ + 1). Row (c·Kh + ky)·Kw + kx.
/// kernelSize, dilation, padding, stride: 1 value or [height, width].
///
///     let cols = try unfold(x, kernelSize: [3], padding: [1])   // [1, 2, 5, 5] → [1, 18, 25]
public func unfold(_ x: Tensor, kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0],
                   stride: [Int] = [1]) throws -> Tensor {
    let op = "unfold"
    guard x.rank == 4 else { throw EngineError.invalid(op, "x", "expected a 4-d input [N, C, H, W], got shape \(shapeText(x.shape))") }
    guard x.dtype.isFloatingPoint else { throw EngineError.invalid(op, "x", "expected a float32 or float64 input, got \(x.dtype)") }
    let g = try blockGeometry(op, image: x.shape, kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride)
    let out = try Tensor.empty([g.batch, g.columnRows, g.outPixels], x.dtype, op: op)
    let src = try x.contiguousData(op: op)
    func run<T: GemmScalar>(_: T.Type) throws {
        let xp = src.pointer(T.self), op2 = out.pointer(T.self)
        let imageSize = g.channels * g.imagePixels, colSize = g.columnRows * g.outPixels
        try runConvTasks(T.self, tasks: g.batch, workspace: 0, op: op) { n, _, _ in
            im2colTile(xp + n * imageSize, g, channelCount: g.channels, p0: 0, np: g.outPixels, into: op2 + n * colSize)
        }
    }
    try withFloatType(x.dtype, op: op) { T in try run(T) }
    return out.recorded("Unfold", inputs: [x], attributes: blockAttributes(g)) { ctx in
        [try foldWith(ctx.gradOutput, g, op: op)]
    }
}

/// Sums columns `[N, C·Kh·Kw, L]` back into an image `[N, C, outputSize...]` (overlaps add).
public func fold(_ cols: Tensor, outputSize: [Int], kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0],
                 stride: [Int] = [1]) throws -> Tensor {
    let op = "fold"
    guard cols.rank == 3 else { throw EngineError.invalid(op, "cols", "expected a 3-d input [N, C·Kh·Kw, L], got shape \(shapeText(cols.shape))") }
    guard cols.dtype.isFloatingPoint else { throw EngineError.invalid(op, "cols", "expected a float32 or float64 input, got \(cols.dtype)") }
    let (h, w) = try ConvArguments.positivePair(outputSize, "output_size", op: op)
    let (kh, kw) = try ConvArguments.positivePair(kernelSize, "kernel_size", op: op)
    guard cols.shape[1] % (kh * kw) == 0 else {
        throw EngineError.invalid(op, "cols", "input dimension 1 (\(cols.shape[1])) must be divisible by the kernel size \(kh)·\(kw) (input \(shapeText(cols.shape)))")
    }
    let g = try blockGeometry(op, image: [cols.shape[0], cols.shape[1] / (kh * kw), h, w], kernelSize: kernelSize,
                              dilation: dilation, padding: padding, stride: stride)
    guard g.outPixels == cols.shape[2] else {
        throw EngineError.invalid(op, "cols", "input has \(cols.shape[2]) blocks but output size \(shapeText(outputSize)) with kernel \(shapeText(kernelSize)) gives \(g.outHeight)·\(g.outWidth) = \(g.outPixels) (input \(shapeText(cols.shape)))")
    }
    return try foldWith(cols, g, op: op)
}

/// fold for a checked geometry (the gradient of unfold, and the other way round).
private func foldWith(_ cols: Tensor, _ g: ConvGeometry, op: String) throws -> Tensor {
    let src = try cols.contiguousData(op: op)
    let out = try Tensor(zeros: g.imageShape, dtype: cols.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) throws {
        let cp = src.pointer(T.self), op2 = out.pointer(T.self)
        let imageSize = g.channels * g.imagePixels, colSize = g.columnRows * g.outPixels
        try runConvTasks(T.self, tasks: g.batch, workspace: 0, op: op) { n, _, _ in
            col2imTile(cp + n * colSize, g, channelCount: g.channels, p0: 0, np: g.outPixels, into: op2 + n * imageSize)
        }
    }
    try withFloatType(cols.dtype, op: op) { T in try run(T) }
    return out.recorded("Fold", inputs: [cols], attributes: blockAttributes(g)) { ctx in
        [try unfoldWith(ctx.gradOutput, g, op: op)]
    }
}

/// unfold for a checked geometry (used by fold's gradient).
private func unfoldWith(_ x: Tensor, _ g: ConvGeometry, op: String) throws -> Tensor {
    try unfold(x, kernelSize: [g.kernelH, g.kernelW], dilation: [g.dilationH, g.dilationW],
               padding: [g.padTop, g.padLeft], stride: [g.strideH, g.strideW])
}

private func blockAttributes(_ g: ConvGeometry) -> [(String, String)] {
    [("kernel_size", shapeText([g.kernelH, g.kernelW]))] + g.attributes.filter { $0.0 != "groups" }
}

/// The im2col geometry of unfold/fold on an image shape, with checked arguments.
private func blockGeometry(_ op: String, image: [Int], kernelSize: [Int], dilation: [Int], padding: [Int],
                           stride: [Int]) throws -> ConvGeometry {
    let (kh, kw) = try ConvArguments.positivePair(kernelSize, "kernel_size", op: op)
    let (dh, dw) = try ConvArguments.positivePair(dilation, "dilation", op: op)
    let (sh, sw) = try ConvArguments.positivePair(stride, "stride", op: op)
    try ConvArguments.nonNegative(padding, "padding", op: op)
    let (ph, pw) = try ConvArguments.expandPair(padding, "padding", op: op)
    let (n, c, h, w) = (image[0], image[1], image[2], image[3])
    let spanH = dh * (kh - 1) + 1, spanW = dw * (kw - 1) + 1
    guard h + 2 * ph >= spanH && w + 2 * pw >= spanW else {
        throw EngineError.invalid(op, "kernel_size", "kernel \(shapeText([kh, kw])) (dilated to \(shapeText([spanH, spanW]))) is larger than the padded input [\(h + 2 * ph), \(w + 2 * pw)] (input \(shapeText(image)))")
    }
    let g = ConvGeometry(batch: n, channels: c, height: h, width: w, outChannels: c * kh * kw,
                         outHeight: (h + 2 * ph - spanH) / sh + 1, outWidth: (w + 2 * pw - spanW) / sw + 1,
                         kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw,
                         padTop: ph, padLeft: pw, groups: 1)
    _ = try ShapeMath.count([n, g.columnRows, g.outPixels], op: op)
    return g
}
