/// The input gradient of a stride-1 convolution (and a stride-1
/// conv_transpose2d) on the implicit-GEMM forward path: a forward convolution
/// of the pixels with the kernel flipped in both axes and its channel axes
/// swapped, on the geometry `ConvGeometry.transposeAsForward` gives. This
/// replaces the Wᵀ·pixels GEMM and the col2im scatter-add with one gather-only pass.

/// image = the input gradient for `pixels`, via `convForwardShiftedKernel` on
/// `transposed` (from `g.transposeAsForward`). Overwrites `image`.
func convTransposeShiftedKernel<T: GemmScalar>(_ pixels: UnsafePointer<T>, _ w: UnsafePointer<T>,
                                               _ image: UnsafeMutablePointer<T>, _ g: ConvGeometry,
                                               transposed t: ConvGeometry, op: String) throws {
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
