import TenshText

/// Average pooling: `avgPool2d` and `adaptiveAvgPool2d`, both expressed as
/// separable window sums (see SeparableResample.swift) so that forward,
/// backward and double backward share one kernel.

/// 2-d average pooling over [N, C, H, W] (or [C, H, W]) like `F.avg_pool2d`.
/// - kernelSize, stride (default: the kernel), padding: one int or a pair.
/// - ceilMode: round the output size up (the last window must start inside the input or left padding).
/// - countIncludePad: divide by the window size including zero padding (torch's default);
///   windows running past the padded border are clipped first, as in torch.
public func avgPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                      ceilMode: Bool = false, countIncludePad: Bool = true) throws -> Tensor {
    let op = "avg_pool2d"
    let (x4, added) = try batchedImage(x, op: op)
    let g = try PoolGeometry(op: op, input: x.shape, kernelSize: kernelSize, stride: stride, padding: padding,
                             dilation: [1], ceilMode: ceilMode)
    let rows = try avgAxis(g.inH, g.outH, g.kernel.0, g.stride.0, g.padding.0, countIncludePad, op: op)
    let cols = try avgAxis(g.inW, g.outW, g.kernel.1, g.stride.1, g.padding.1, countIncludePad, op: op)
    let y = try separableResample(x4, rows: rows, cols: cols, opName: "AvgPool2d", op: op,
                                  attributes: willRecord(x4) ? g.attributes + [("count_include_pad", "\(countIncludePad)")] : [])
    return try removingBatchDimension(y, added: added)
}

/// One axis of avg_pool2d: torch clips the window to the padded extent for the
/// divisor (when padding counts), then to the input for the sum.
private func avgAxis(_ n: Int, _ outN: Int, _ k: Int, _ s: Int, _ p: Int, _ includePad: Bool, op: String) throws -> AxisMap {
    // The map lists every (output, input) pair: refuse absurd overlaps before building it.
    let entries = (0..<outN).reduce(0) { total, o in total + max(0, min(o * s - p + k, n) - max(o * s - p, 0)) }
    guard entries <= maxResampleSide else {
        throw EngineError(.resourceLimit, op: op, argument: "kernel_size",
                          "kernel \(k) with stride \(s) over \(n) inputs overlaps too much (\(entries) window entries, at most \(maxResampleSide))")
    }
    let rows = (0..<outN).map { o -> [(Int, Double)] in
        let start = o * s - p
        let end = min(start + k, n + p)
        let padded = end - start
        let lo = max(start, 0), hi = min(end, n)
        guard hi > lo else { return [] }
        let divisor = Double(includePad ? padded : hi - lo)
        return (lo..<hi).map { ($0, 1 / divisor) }
    }
    return AxisMap(inputSize: n, rows: rows)
}

/// Adaptive average pooling to `outputSize` (one int or a pair) like
/// `F.adaptive_avg_pool2d`: output index o averages input [⌊o·n/m⌋, ⌈(o+1)·n/m⌉).
public func adaptiveAvgPool2d(_ x: Tensor, outputSize: [Int]) throws -> Tensor {
    let op = "adaptive_avg_pool2d"
    let (x4, added) = try batchedImage(x, op: op)
    let (oh, ow) = try pairArgument(outputSize, op: op, name: "output_size")
    guard oh > 0, ow > 0 else {
        throw EngineError.invalid(op, "output_size", "output size must be positive, got \(shapeText(outputSize))")
    }
    let (h, w) = (x4.shape[2], x4.shape[3])
    guard h > 0, w > 0 else {
        throw EngineError.invalid(op, "x", "input spatial size must be non-empty, got shape \(shapeText(x.shape))")
    }
    try checkOutputSize(x4, outH: oh, outW: ow, op: op, argument: "output_size")
    let y = try separableResample(x4, rows: adaptiveAxis(h, oh), cols: adaptiveAxis(w, ow), opName: "AdaptiveAvgPool2d",
                                  op: op, attributes: willRecord(x4) ? [("output_size", shapeText([oh, ow]))] : [])
    return try removingBatchDimension(y, added: added)
}

private func adaptiveAxis(_ n: Int, _ m: Int) -> AxisMap {
    let rows = (0..<m).map { o -> [(Int, Double)] in
        let start = (o * n) / m
        let end = ((o + 1) * n + m - 1) / m
        return (start..<end).map { ($0, 1 / Double(end - start)) }
    }
    return AxisMap(inputSize: n, rows: rows)
}
