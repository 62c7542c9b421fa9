@testable import TenshEngine

/// The benchmark's conv shapes (scripts/bench/torch_bench.py) that the kernel-choice tests pin down.
enum BenchGeometry {
    /// The stem: 7x7 stride 2 padding 3, 3 → 64, 224² → 112², one image.
    static let c1 = ConvGeometry(batch: 1, channels: 3, height: 224, width: 224, outChannels: 64, outHeight: 112,
                                 outWidth: 112, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, dilationH: 1,
                                 dilationW: 1, padTop: 3, padLeft: 3, groups: 1)
    /// 3x3 stride 2 padding 1, 128 → 256, 28² → 14², 8 images.
    static let c4 = ConvGeometry(batch: 8, channels: 128, height: 28, width: 28, outChannels: 256, outHeight: 14,
                                 outWidth: 14, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1,
                                 dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
    /// c6's conv_transpose2d (4x4 stride 2 padding 1, 128 → 64, 16² → 32²) as the forward convolution it
    /// transposes: 64 → 128, 32² → 16², 8 images.
    static let c6 = ConvGeometry(batch: 8, channels: 64, height: 32, width: 32, outChannels: 128, outHeight: 16,
                                 outWidth: 16, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2, dilationH: 1,
                                 dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
}
