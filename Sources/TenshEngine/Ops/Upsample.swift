import TenshText

/// `upsample` (F.interpolate with align_corners=False) as a separable linear map.

public enum UpsampleMode: String, Sendable {
    case nearest, bilinear
}

/// Resizes the spatial dims of [N, C, H, W] (or [C, H, W]) like
/// `F.interpolate(x, scale_factor=..., mode=..., align_corners=False)`.
/// - scaleFactor: one factor or a pair (integer or not); the output size is ⌊in·factor⌋ and,
///   as in torch, source coordinates use 1/factor (not in/out).
/// - size: an explicit output size instead of a factor (then the scale is in/out).
public func upsample(_ x: Tensor, scaleFactor: [Double]? = nil, size: [Int]? = nil,
                     mode: UpsampleMode = .nearest) throws -> Tensor {
    let op = "upsample"
    let (x4, squeeze) = try batchedImage(x, op: op)
    let (h, w) = (x4.shape[2], x4.shape[3])
    let axes = try upsampleAxes(inH: h, inW: w, scaleFactor: scaleFactor, size: size, op: op)
    try checkOutputSize(x4, outH: axes.outH, outW: axes.outW, op: op)
    let useFloat = x.dtype == .float32 // torch computes source coordinates in the input's precision
    let rows = axisMap(h, axes.outH, axes.scaleH, mode, useFloat)
    let cols = axisMap(w, axes.outW, axes.scaleW, mode, useFloat)
    var attributes: [(String, String)] = [("mode", mode.rawValue), ("size", shapeText([axes.outH, axes.outW]))]
    if let scaleFactor { attributes.append(("scale_factor", "\(scaleFactor)")) }
    let y = try separableResample(x4, rows: rows, cols: cols,
                                  opName: mode == .nearest ? "UpsampleNearest2d" : "UpsampleBilinear2d",
                                  op: op, attributes: attributes)
    return try unbatched(y, squeeze)
}

/// Output sizes and the per-axis source scale (1/factor, or in/out for an explicit size).
private func upsampleAxes(inH: Int, inW: Int, scaleFactor: [Double]?, size: [Int]?, op: String) throws
    -> (outH: Int, outW: Int, scaleH: Double, scaleW: Double) {
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
        return (outH, outW, 1 / fh, 1 / fw)
    case (nil, let s?):
        let (oh, ow) = try pairArgument(s, op: op, name: "size")
        guard oh > 0, ow > 0 else { throw EngineError.invalid(op, "size", "size must be positive, got \(shapeText(s))") }
        return (oh, ow, Double(inH) / Double(oh), Double(inW) / Double(ow))
    default:
        throw EngineError.invalid(op, "scale_factor", "give exactly one of scale_factor and size")
    }
}

/// One axis: nearest takes src = min(⌊o·scale⌋, n-1); bilinear blends the two
/// pixels around src = max(scale·(o+0.5) - 0.5, 0).
private func axisMap(_ n: Int, _ outN: Int, _ scale: Double, _ mode: UpsampleMode, _ useFloat: Bool) -> AxisMap {
    let rows = (0..<outN).map { o -> [(Int, Double)] in
        switch mode {
        case .nearest:
            let src = useFloat ? Double((Float(o) * Float(scale)).rounded(.down)) : (Double(o) * scale).rounded(.down)
            return [(min(Int(src), n - 1), 1)]
        case .bilinear:
            let real = useFloat ? Double(max(Float(scale) * (Float(o) + 0.5) - 0.5, 0)) : max(scale * (Double(o) + 0.5) - 0.5, 0)
            let i0 = min(Int(real), n - 1)
            let i1 = i0 < n - 1 ? i0 + 1 : i0
            let l1 = useFloat ? Double(Float(real) - Float(i0)) : real - Double(i0)
            return i1 == i0 ? [(i0, 1)] : [(i0, 1 - l1), (i1, l1)]
        }
    }
    return AxisMap(inputSize: n, rows: rows)
}
