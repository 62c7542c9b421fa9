import TenshText

/// conv2d, conv1d and depthwiseConv2d: the public convolution ops. Each is one
/// `Conv2d` graph node (plus a `Pad` node for non-zero padding modes, and
/// reshapes for conv1d).

/// 2-D cross-correlation, like `torch.nn.functional.conv2d`.
/// - x: `[N, C, H, W]`; w: `[Cout, C/groups, Kh, Kw]`; bias: `[Cout]`.
/// - stride, dilation: 1 value or [height, width].
/// - padding: see `ConvPadding` (`.same` works for any stride).
/// - paddingMode: `.constant` (zeros), `.reflect`, `.replicate`, `.circular`
///   (the input is padded explicitly, then convolved without padding).
/// - Returns `[N, Cout, Ho, Wo]`, Ho = ⌊(H + top + bottom − dilation·(Kh − 1) − 1) / stride⌋ + 1.
///
///     let y = try conv2d(x, w, bias: b, stride: [2], padding: .same)
/// An unbatched input `[C, H, W]` gives `[Cout, Ho, Wo]`, as in torch.
public func conv2d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: ConvPadding = .valid,
                   dilation: [Int] = [1], groups: Int = 1, paddingMode: PadMode = .constant) throws -> Tensor {
    let (batched, added) = try addingBatchDimension(x, unbatchedRank: 3)
    let y = try conv2dBatched(batched, w, bias: bias, stride: stride, padding: padding, dilation: dilation,
                              groups: groups, paddingMode: paddingMode, op: "conv2d")
    return try removingBatchDimension(y, added: added)
}

/// conv2d of an [N, C, H, W] input, reporting errors as `op` (conv1d and depthwiseConv2d run it).
func conv2dBatched(_ x: Tensor, _ w: Tensor, bias: Tensor?, stride: [Int], padding: ConvPadding,
                   dilation: [Int], groups: Int, paddingMode: PadMode, op: String) throws -> Tensor {
    try ConvArguments.checkTensors(x, w, bias, groups: groups, rank: 4, op: op, biasSize: w.rank == 4 ? w.shape[0] : 0)
    let (sh, sw) = try ConvArguments.positivePair(stride, "stride", op: op)
    let (dh, dw) = try ConvArguments.positivePair(dilation, "dilation", op: op)
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    guard c % groups == 0 else {
        throw EngineError.invalid(op, "groups", "input channels \(c) are not divisible by groups=\(groups) (input \(shapeText(x.shape)))")
    }
    guard cout % groups == 0 else {
        throw EngineError.invalid(op, "groups", "output channels \(cout) are not divisible by groups=\(groups) (weight \(shapeText(w.shape)))")
    }
    guard cg * groups == c else {
        throw EngineError.invalid(op, "w", "input has \(c) channels but weight expects \(cg * groups) (weight \(shapeText(w.shape)), groups=\(groups))")
    }
    let pads = try ConvArguments.resolve(padding, inputHW: (h, wd), kernel: (kh, kw), stride: (sh, sw),
                                         dilation: (dh, dw), op: op)
    try ConvArguments.checkFits(input: h, padded: h + pads.top + pads.bottom, kernel: kh, dilation: dh, dim: "height", op: op, x: x, w: w)
    try ConvArguments.checkFits(input: wd, padded: wd + pads.left + pads.right, kernel: kw, dilation: dw, dim: "width", op: op, x: x, w: w)
    // Non-zero modes: pad explicitly (a differentiable Pad node), then convolve unpadded.
    var input = x, p = pads
    if paddingMode != .constant && !pads.isZero {
        input = try pad(x, pads.torchOrder, mode: paddingMode, value: 0, op: op)
        p = Padding4()
    }
    let ih = input.shape[2], iw = input.shape[3]
    let geometry = ConvGeometry(
        batch: n, channels: c, height: ih, width: iw, outChannels: cout,
        outHeight: (ih + p.top + p.bottom - dh * (kh - 1) - 1) / sh + 1,
        outWidth: (iw + p.left + p.right - dw * (kw - 1) - 1) / sw + 1,
        kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw,
        padTop: p.top, padLeft: p.left, groups: groups)
    _ = try ShapeMath.count(geometry.outShape, op: op)
    return try convPrimitive(input, w, bias, geometry, op: op)
}

/// 1-D cross-correlation, like `torch.nn.functional.conv1d`: x `[N, C, L]`,
/// w `[Cout, C/groups, K]`, bias `[Cout]` → `[N, Cout, Lo]` (unbatched `[C, L]` →
/// `[Cout, Lo]`). padding: one value, [left, right], `.same` or `.valid`.
/// Computed as conv2d with H = 1.
public func conv1d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: ConvPadding = .valid,
                   dilation: Int = 1, groups: Int = 1, paddingMode: PadMode = .constant) throws -> Tensor {
    let (batched, added) = try addingBatchDimension(x, unbatchedRank: 2)
    let y = try conv1dBatched(batched, w, bias: bias, stride: stride, padding: padding, dilation: dilation,
                              groups: groups, paddingMode: paddingMode)
    return try removingBatchDimension(y, added: added)
}

private func conv1dBatched(_ x: Tensor, _ w: Tensor, bias: Tensor?, stride: Int, padding: ConvPadding,
                           dilation: Int, groups: Int, paddingMode: PadMode) throws -> Tensor {
    let op = "conv1d"
    try ConvArguments.checkTensors(x, w, bias, groups: groups, rank: 3, op: op, biasSize: w.rank == 3 ? w.shape[0] : 0)
    _ = try ConvArguments.positivePair([stride], "stride", op: op)
    _ = try ConvArguments.positivePair([dilation], "dilation", op: op)
    let padding2d: ConvPadding
    switch padding {
    case .same, .valid: padding2d = padding
    case .explicit(let v):
        guard v.count == 1 || v.count == 2 else {
            throw EngineError.invalid(op, "padding", "padding needs 1 value or [left, right], got \(shapeText(v))")
        }
        padding2d = .explicit([v[0], v[v.count - 1], 0, 0])
    }
    let x4 = try x.reshaped([x.shape[0], x.shape[1], 1, x.shape[2]])
    let w4 = try w.reshaped([w.shape[0], w.shape[1], 1, w.shape[2]])
    let y = try conv2dBatched(x4, w4, bias: bias, stride: [1, stride], padding: padding2d,
                              dilation: [1, dilation], groups: groups, paddingMode: paddingMode, op: op)
    return try y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
}

/// Depthwise convolution: every channel convolved with its own filters
/// (conv2d with groups = C). x `[N, C, H, W]`, w `[C·m, 1, Kh, Kw]` → `[N, C·m, Ho, Wo]`.
/// Direct kernels run (channel planes, pixels in SIMD lanes; never GEMM) — as they
/// do for any grouped conv2d with one input channel per group. (Single-channel
/// ungrouped convolutions stay on GEMM, which measured faster for them.)
public func depthwiseConv2d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: [Int] = [1],
                            padding: ConvPadding = .valid, dilation: [Int] = [1],
                            paddingMode: PadMode = .constant) throws -> Tensor {
    let op = "depthwise_conv2d"
    guard x.rank == 4, w.rank == 4 else {
        throw EngineError.invalid(op, "x", "expected input [N, C, H, W] and weight [C·m, 1, Kh, Kw], got \(shapeText(x.shape)) and \(shapeText(w.shape))")
    }
    guard w.shape[1] == 1 else {
        throw EngineError.invalid(op, "w", "depthwise weight must have shape [C·m, 1, Kh, Kw], got \(shapeText(w.shape))")
    }
    return try conv2dBatched(x, w, bias: bias, stride: stride, padding: padding, dilation: dilation,
                             groups: max(x.shape[1], 1), paddingMode: paddingMode, op: op)
}
