/// `upsample`: another name for `interpolate` (Interpolate.swift), with the
/// factor first as `nn.Upsample(scale_factor=...)` is usually written.

public typealias UpsampleMode = InterpolationMode

/// Resizes the spatial dims of [N, C, H, W] (or [C, H, W]) exactly as
/// `interpolate(x, size:, scaleFactor:, mode:, alignCorners:)`.
public func upsample(_ x: Tensor, scaleFactor: [Double]? = nil, size: [Int]? = nil,
                     mode: UpsampleMode = .nearest, alignCorners: Bool? = nil) throws -> Tensor {
    try resize(x, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners, op: "upsample")
}
