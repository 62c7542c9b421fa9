/// The input gradient of a stride-1 convolution (and a stride-1
/// conv_transpose2d) as a forward convolution on the implicit-GEMM path:
///
///     image[ci, iy, ix] = Σ pixels[co, oy, ox] · W[co, ci, ky, kx],  oy = iy + padTop − ky·d
///
/// is a correlation of `pixels` with the kernel flipped in both axes and its
/// channel axes swapped, padded by (K − 1)·d − pad. This replaces the
/// Wᵀ·pixels GEMM and the col2im scatter-add with one gather-free pass.

/// The forward geometry and weight layout of the transposed problem, when it
/// fits the implicit-GEMM kernel (pad ≤ (K − 1)·dilation on both axes).
func shiftedTransposeGeometry(_ g: ConvGeometry) -> ConvGeometry? {
    guard g.strideH == 1, g.strideW == 1 else { return nil }
    let top = (g.kernelH - 1) * g.dilationH - g.padTop, left = (g.kernelW - 1) * g.dilationW - g.padLeft
    guard top >= 0, left >= 0 else { return nil }
    let t = ConvGeometry(batch: g.batch, channels: g.outChannels, height: g.outHeight, width: g.outWidth,
                         outChannels: g.channels, outHeight: g.height, outWidth: g.width,
                         kernelH: g.kernelH, kernelW: g.kernelW, strideH: 1, strideW: 1,
                         dilationH: g.dilationH, dilationW: g.dilationW, padTop: top, padLeft: left, groups: g.groups)
    return ShiftedLayout.applies(to: t) ? t : nil
}

/// image = the input gradient for pixels, via `convForwardShiftedKernel` on `t`
/// (from `shiftedTransposeGeometry(g)`). Overwrites `image`.
func convTransposeShiftedKernel<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                               _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                               _ t: ConvGeometry, op: String) throws {
    let flipped = UnsafeMutablePointer<T>.allocate(capacity: max(1, g.outChannels * g.columnRows))
    defer { flipped.deallocate() }
    // flipped[gi·Cg + ci, co, ky, kx] = w[gi·Og + co, ci, Kh−1−ky, Kw−1−kx]
    let cg = g.channelsPerGroup, og = g.outChannelsPerGroup, kh = g.kernelH, kw = g.kernelW
    for gi in 0..<g.groups {
        for ci in 0..<cg {
            for co in 0..<og {
                let src = w + ((gi * og + co) * cg + ci) * kh * kw
                let dst = flipped + ((gi * cg + ci) * og + co) * kh * kw
                for i in 0..<kh * kw { dst[i] = src[kh * kw - 1 - i] }
            }
        }
    }
    try convForwardShiftedKernel(pixels, flipped, nil, image, t, op: op)
}
