import TenshText

/// conv_transpose2d / conv_transpose1d: the adjoint of conv2d (the gradient of
/// conv2d with respect to its input), computed as Wᵀ·x then col2im scatter-add.
/// One `ConvTranspose2d` graph node.

/// Transposed 2-D convolution, like `torch.nn.functional.conv_transpose2d`.
/// - x: `[N, Cin, H, W]`; w: `[Cin, Cout/groups, Kh, Kw]`; bias: `[Cout]`.
/// - stride, padding, outputPadding, dilation: 1 value or [height, width].
/// - Returns `[N, Cout, Ho, Wo]`, Ho = (H − 1)·stride − 2·padding + dilation·(Kh − 1) + outputPadding + 1.
/// - outputPadding must be smaller than either stride or dilation (torch's rule).
/// - An unbatched input `[Cin, H, W]` gives `[Cout, Ho, Wo]`.
///
///     let up = try convTranspose2d(x, w, stride: [2], padding: [1])   // 16² → 32² with a 4x4 kernel
public func convTranspose2d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
                            outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]) throws -> Tensor {
    let (batched, added) = try addingBatchDimension(x, unbatchedRank: 3)
    let y = try convTranspose2dBatched(batched, w, bias: bias, stride: stride, padding: padding,
                                       outputPadding: outputPadding, groups: groups, dilation: dilation,
                                       op: "conv_transpose2d")
    return try removingBatchDimension(y, added: added)
}

/// conv_transpose2d of an [N, Cin, H, W] input, reporting errors as `op` (conv_transpose1d runs it).
func convTranspose2dBatched(_ x: Tensor, _ w: Tensor, bias: Tensor?, stride: [Int], padding: [Int],
                            outputPadding: [Int], groups: Int, dilation: [Int], op: String) throws -> Tensor {
    let coutPerGroup = w.rank == 4 ? w.shape[1] : 0
    // Wrapping multiply: an absurd `groups` is rejected by checkTensors before the bias size matters.
    try ConvArguments.checkTensors(x, w, bias, groups: groups, rank: 4, op: op, biasSize: coutPerGroup &* max(groups, 1))
    let (sh, sw) = try ConvArguments.positivePair(stride, "stride", op: op)
    let (dh, dw) = try ConvArguments.positivePair(dilation, "dilation", op: op)
    try ConvArguments.nonNegative(padding, "padding", op: op)
    try ConvArguments.nonNegative(outputPadding, "output_padding", op: op)
    let (ph, pw) = try ConvArguments.expandPair(padding, "padding", op: op)
    let (oph, opw) = try ConvArguments.expandPair(outputPadding, "output_padding", op: op)
    guard (oph < sh || oph < dh) && (opw < sw || opw < dw) else {
        throw EngineError.invalid(op, "output_padding",
            "output_padding \(shapeText(outputPadding)) must be smaller than either stride \(shapeText([sh, sw])) or dilation \(shapeText([dh, dw]))")
    }
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (kh, kw) = (w.shape[2], w.shape[3])
    guard cin % groups == 0 else {
        throw EngineError.invalid(op, "groups", "input channels \(cin) are not divisible by groups=\(groups) (input \(shapeText(x.shape)))")
    }
    guard w.shape[0] == cin else {
        throw EngineError.invalid(op, "w", "input has \(cin) channels but weight expects \(w.shape[0]) (weight \(shapeText(w.shape)), groups=\(groups))")
    }
    let outH = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    let outW = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    guard outH > 0 && outW > 0 else {
        throw EngineError.invalid(op, "padding",
            "output size [\(outH), \(outW)] is not positive (input \(shapeText(x.shape)), weight \(shapeText(w.shape)), padding \(shapeText(padding)))")
    }
    let geometry = ConvGeometry(
        batch: n, channels: coutPerGroup * groups, height: outH, width: outW, outChannels: cin,
        outHeight: h, outWidth: wd, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw,
        dilationH: dh, dilationW: dw, padTop: ph, padLeft: pw, groups: groups)
    _ = try ShapeMath.count(geometry.imageShape, op: op)
    return try convTransposePrimitive(x, w, bias, geometry, op: op)
}

/// Transposed 1-D convolution: x `[N, Cin, L]`, w `[Cin, Cout/groups, K]`, bias `[Cout]`
/// → `[N, Cout, Lo]`, Lo = (L − 1)·stride − 2·padding + dilation·(K − 1) + outputPadding + 1.
public func convTranspose1d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, groups: Int = 1, dilation: Int = 1) throws -> Tensor {
    let op = "conv_transpose1d"
    try ConvArguments.checkTensors(x, w, bias, groups: groups, rank: 3, op: op,
                                   biasSize: w.rank == 3 ? w.shape[1] &* max(groups, 1) : 0)
    _ = try ConvArguments.positivePair([stride], "stride", op: op)
    _ = try ConvArguments.positivePair([dilation], "dilation", op: op)
    try ConvArguments.nonNegative([padding], "padding", op: op)
    try ConvArguments.nonNegative([outputPadding], "output_padding", op: op)
    let x4 = try x.reshaped([x.shape[0], x.shape[1], 1, x.shape[2]])
    let w4 = try w.reshaped([w.shape[0], w.shape[1], 1, w.shape[2]])
    // The unit height dimension gets stride 1 / output_padding 0, always valid.
    let y = try convTranspose2dBatched(x4, w4, bias: bias, stride: [1, stride], padding: [0, padding],
                                       outputPadding: [0, outputPadding], groups: groups, dilation: [1, dilation], op: op)
    return try y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
}
