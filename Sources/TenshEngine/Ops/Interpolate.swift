import TenshText

/// `interpolate` (F.interpolate) on the last two dims of [N, C, H, W], or of one
/// image [C, H, W] (torch would read a 3-d input as [N, C, L]). Every mode but
/// `area` is a separable linear map (SeparableResample.swift) whose per-axis
/// weights follow torch's CPU kernels exactly, including their float32
/// arithmetic for float32 inputs; `area` is `adaptiveAvgPool2d`.

public enum InterpolationMode: String, Sendable, CaseIterable {
    case nearest, bilinear, bicubic, area
}

/// Resizes like `F.interpolate(x, size=..., scale_factor=..., mode=..., align_corners=...)`
/// with `recompute_scale_factor=None`:
/// - size: the output [h, w] (or one int for both); or
/// - scaleFactor: one factor or [fh, fw]; the output is ⌊in·factor⌋ and the source
///   coordinates use 1/factor, not in/out (as torch does when a factor is given).
/// - alignCorners: for bilinear and bicubic only (nil means false); the corner
///   pixels of input and output are aligned and the factor is then unused.
public func interpolate(_ x: Tensor, size: [Int]? = nil, scaleFactor: [Double]? = nil,
                        mode: InterpolationMode = .nearest, alignCorners: Bool? = nil) throws -> Tensor {
    try resize(x, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners, op: "interpolate")
}

/// The one implementation behind `interpolate` and `upsample`; `op` names the caller in errors.
func resize(_ x: Tensor, size: [Int]?, scaleFactor: [Double]?, mode: InterpolationMode,
            alignCorners: Bool?, op: String) throws -> Tensor {
    if alignCorners != nil && (mode == .nearest || mode == .area) {
        throw EngineError.invalid(op, "align_corners", "align_corners option can only be set with the interpolating modes: bilinear | bicubic (mode is \(mode.rawValue))")
    }
    let (x4, added) = try batchedImage(x, op: op)
    let (h, w) = (x4.shape[2], x4.shape[3])
    let axes = try resizeAxes(inH: h, inW: w, scaleFactor: scaleFactor, size: size, op: op)
    if mode == .area {
        return try removingBatchDimension(adaptiveAvgPool2d(x4, outputSize: [axes.outH, axes.outW]), added: added)
    }
    guard h > 0, w > 0 else {
        throw EngineError.invalid(op, "x", "input spatial size must be non-empty, got shape \(shapeText(x.shape))")
    }
    try checkOutputSize(x4, outH: axes.outH, outW: axes.outW, op: op, argument: size == nil ? "scale_factor" : "size")
    let align = alignCorners ?? false, inFloat = x.dtype == .float32
    let rows = axisWeights(h, axes.outH, axes.scaleH, mode, align, inFloat)
    let cols = axisWeights(w, axes.outW, axes.scaleW, mode, align, inFloat)
    var attributes: [(String, String)] = [("mode", mode.rawValue), ("size", shapeText([axes.outH, axes.outW]))]
    if let scaleFactor { attributes.append(("scale_factor", "\(scaleFactor)")) }
    if align { attributes.append(("align_corners", "true")) }
    let name = mode == .nearest ? "UpsampleNearest2d" : mode == .bilinear ? "UpsampleBilinear2d" : "UpsampleBicubic2d"
    let y = try separableResample(x4, rows: rows, cols: cols, opName: name, op: op, attributes: attributes)
    return try removingBatchDimension(y, added: added)
}

/// Output sizes and the factor torch passes to its kernels (nil for an explicit size).
private func resizeAxes(inH: Int, inW: Int, scaleFactor: [Double]?, size: [Int]?, op: String) throws
    -> (outH: Int, outW: Int, scaleH: Double?, scaleW: Double?) {
    switch (scaleFactor, size) {
    case (let f?, nil):
        guard f.count == 1 || f.count == 2 else {
            throw EngineError.invalid(op, "scale_factor", "scale_factor must be one number or a pair, got \(f)")
        }
        let (fh, fw) = (f[0], f.count == 2 ? f[1] : f[0])
        guard fh > 0, fw > 0, fh.isFinite, fw.isFinite else {
            throw EngineError.invalid(op, "scale_factor", "scale_factor must be positive and finite, got \(f)")
        }
        let oh = Double(inH) * fh, ow = Double(inW) * fw
        guard oh < 1e9, ow < 1e9 else {
            throw EngineError(.resourceLimit, op: op, argument: "scale_factor", "scale_factor \(f) gives an output too large for input \(inH)x\(inW)")
        }
        let outH = Int(oh.rounded(.down)), outW = Int(ow.rounded(.down))
        guard outH > 0, outW > 0 else {
            throw EngineError.invalid(op, "scale_factor", "scale_factor \(f) gives an empty output for input \(inH)x\(inW)")
        }
        return (outH, outW, fh, fw)
    case (nil, let s?):
        let (oh, ow) = try pairArgument(s, op: op, name: "size")
        guard oh > 0, ow > 0 else { throw EngineError.invalid(op, "size", "size must be positive, got \(shapeText(s))") }
        return (oh, ow, nil, nil)
    default:
        throw EngineError.invalid(op, "scale_factor", "give exactly one of scale_factor and size")
    }
}

/// One axis's sparse weights, in the input's precision (`inFloat`) as torch computes them.
private func axisWeights(_ n: Int, _ outN: Int, _ factor: Double?, _ mode: InterpolationMode, _ align: Bool,
                         _ inFloat: Bool) -> AxisMap {
    let rows: [[(Int, Double)]]
    switch mode {
    case .nearest:
        rows = (0..<outN).map { [(nearestSource($0, n, outN, factor), 1)] }
    case .bilinear:
        rows = inFloat ? linearRows(n, outN, factor, align, Float.self) : linearRows(n, outN, factor, align, Double.self)
    case .bicubic, .area:
        rows = inFloat ? cubicRows(n, outN, factor, align, Float.self) : cubicRows(n, outN, factor, align, Double.self)
    }
    return AxisMap(inputSize: n, rows: rows)
}

/// torch's `nearest_idx`: exact for sizes equal or doubled, else ⌊o·scale⌋ in float32.
private func nearestSource(_ o: Int, _ n: Int, _ outN: Int, _ factor: Double?) -> Int {
    if outN == n { return o }
    if outN == 2 * n { return o >> 1 }
    let scale = factor.map { Float(1 / $0) } ?? Float(n) / Float(outN)
    return Swift.min(Int((Float(o) * scale).rounded(.down)), n - 1)
}

/// torch's `area_pixel_compute_scale`.
private func pixelScale<T: TensorFloat>(_ n: Int, _ outN: Int, _ factor: Double?, _ align: Bool, _: T.Type) -> T {
    if align { return outN > 1 ? T(n - 1) / T(outN - 1) : 0 }
    return factor.map { T(1 / $0) } ?? T(n) / T(outN)
}

/// torch's `area_pixel_compute_source_index`: linear modes clamp at 0, cubic does not.
private func sourceCoordinate<T: TensorFloat>(_ scale: T, _ o: Int, _ align: Bool, cubic: Bool) -> T {
    if align { return scale * T(o) }
    let real = scale * (T(o) + 0.5) - 0.5
    return !cubic && real < 0 ? 0 : real
}

/// torch's `guard_index_and_lambda` (floorf, so float32 rounding even for float64).
private func indexAndLambda<T: TensorFloat>(_ real: T, _ n: Int) -> (Int, T) {
    let index = Swift.min(Int(Float(real).rounded(.down)), n - 1)
    return (index, Swift.min(Swift.max(real - T(index), 0), 1))
}

private func linearRows<T: TensorFloat>(_ n: Int, _ outN: Int, _ factor: Double?, _ align: Bool, _ t: T.Type) -> [[(Int, Double)]] {
    let scale = pixelScale(n, outN, factor, align, t)
    return (0..<outN).map { o in
        if outN == n { return [(o, 1)] } // torch copies when the sizes agree
        let (i0, l1) = indexAndLambda(sourceCoordinate(scale, o, align, cubic: false), n)
        let i1 = i0 < n - 1 ? i0 + 1 : i0
        return [(i0, Double(1 - l1)), (i1, Double(l1))]
    }
}

/// Keys' cubic convolution with A = -0.75 over the four pixels around the source,
/// indices clamped to the border (torch's `get_cubic_upsample_coefficients`).
private func cubicRows<T: TensorFloat>(_ n: Int, _ outN: Int, _ factor: Double?, _ align: Bool, _ t: T.Type) -> [[(Int, Double)]] {
    let scale = pixelScale(n, outN, factor, align, t)
    let a: T = -0.75
    func near(_ x: T) -> T { ((a + 2) * x - (a + 3)) * x * x + 1 }
    func far(_ x: T) -> T { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
    return (0..<outN).map { o in
        let (index, l) = indexAndLambda(sourceCoordinate(scale, o, align, cubic: true), n)
        let coefficients = [far(l + 1), near(l), near(1 - l), far(1 - l + 1)]
        return coefficients.enumerated().map { j, c in (Swift.max(Swift.min(index - 1 + j, n - 1), 0), Double(c)) }
    }
}
