import XCTest
@testable import TenshEngine

/// The gathered forward (GatheredConv.swift) against a naive loop: strides 2
/// and 3, odd sizes, padding 0-2, dilation, groups, batches of 1 to 5 whose
/// panels straddle images, channel counts off the micro-tile, several K
/// blocks, 1-3 threads, float32 and float64; which geometries choose it; and a
/// float64 gradcheck of the paths that reach it (conv2d's forward, and
/// conv_transpose2d's input gradient, a strided forward convolution).
final class GatheredConvTests: XCTestCase {
    func testRandomStridedGeometriesAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 77)
        var trials = 0
        while trials < 48 {
            let groups = 1 + rng.next(2), cg = 1 + rng.next(trials % 4 == 0 ? 70 : 9), og = 1 + rng.next(trials % 3 == 0 ? 40 : 19)
            let n = 1 + rng.next(5), h = 1 + rng.next(trials % 5 == 0 ? 40 : 15), w = 1 + rng.next(trials % 7 == 0 ? 45 : 15)
            let kh = 1 + rng.next(4), kw = 1 + rng.next(4), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let sh = 2 + rng.next(2), sw = rng.next(3) == 0 ? 1 : 2 + rng.next(2)
            let top = rng.next(3), left = rng.next(3), bottom = rng.next(3), right = rng.next(3)
            let spanH = h + top + bottom - dh * (kh - 1), spanW = w + left + right - dw * (kw - 1)
            guard spanH > 0, spanW > 0 else { continue }
            let g = ConvGeometry(batch: n, channels: groups * cg, height: h, width: w, outChannels: groups * og,
                                 outHeight: (spanH - 1) / sh + 1, outWidth: (spanW - 1) / sw + 1, kernelH: kh, kernelW: kw,
                                 strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, padTop: top, padLeft: left,
                                 groups: groups)
            trials += 1
            EngineConfig.threads = 1 + rng.next(3)
            let x = randomConvValues(g.batch * g.channels * g.imagePixels, &rng)
            let wt = randomConvValues(g.outChannels * g.columnRows, &rng), b = randomConvValues(g.outChannels, &rng)
            let expected = naiveConvForward(x, wt, b, g)
            let actual64 = try gathered(x, wt, b, g)
            let actual32 = try gathered(x.map { Float($0) }, wt.map { Float($0) }, b.map { Float($0) }, g)
            var worst64 = 0.0, worst32 = 0.0
            for i in 0..<expected.count {
                worst64 = max(worst64, abs(actual64[i] - expected[i]))
                worst32 = max(worst32, abs(Double(actual32[i]) - expected[i]))
            }
            XCTAssertLessThan(worst64, 1e-11, "\(EngineConfig.threads) threads: \(g)")
            XCTAssertLessThan(worst32, 2e-5 * Double(g.columnRows).squareRoot(), "\(EngineConfig.threads) threads: \(g)")
        }
    }

    /// Many tiny images: a panel spans eight of them, and each thread's ring of
    /// padded images (nine slots) wraps around several times; also odd channel counts.
    func testManyTinyImagesWrapTheRing() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 78)
        for (n, c, og, threads) in [(40, 5, 17, 1), (41, 3, 9, 2), (37, 19, 33, 3)] {
            let g = ConvGeometry(batch: n, channels: c, height: 4, width: 3, outChannels: og, outHeight: 2, outWidth: 2,
                                 kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                                 padTop: 1, padLeft: 1, groups: 1)
            EngineConfig.threads = threads
            let x = randomConvValues(n * c * g.imagePixels, &rng), wt = randomConvValues(og * g.columnRows, &rng)
            let b = randomConvValues(og, &rng)
            let expected = naiveConvForward(x, wt, b, g), actual = try gathered(x, wt, b, g)
            for i in 0..<expected.count { XCTAssertEqual(actual[i], expected[i], accuracy: 1e-11, "\(g)") }
        }
    }

    /// The benchmark's strided cases take the gathered path; large strided outputs and stride 1 keep the grid.
    func testSmallStridedOutputsChooseTheGatheredKernel() {
        let c4 = BenchGeometry.c4
        XCTAssertEqual(c4.forwardKernel, .gathered)
        // The input gradient of c6 (conv_transpose2d 4x4, stride 2): a forward convolution of the gradient.
        let c6 = BenchGeometry.c6
        XCTAssertEqual(c6.forwardKernel, .gathered)
        let c1 = BenchGeometry.c1
        XCTAssertEqual(c1.forwardKernel, .shifted, "112x112: the grid wastes 3%")
        var stride1 = c4
        (stride1.strideH, stride1.strideW, stride1.outHeight, stride1.outWidth) = (1, 1, 28, 28)
        XCTAssertEqual(stride1.forwardKernel, .shifted)
    }

    func testGradcheckThroughTheGatheredKernel() throws {
        let conv = ConvGeometry(batch: 2, channels: 4, height: 7, width: 7, outChannels: 3, outHeight: 4, outWidth: 4,
                                kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                                padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(conv.forwardKernel, .gathered)
        assertGradcheck({ try conv2d($0[0], $0[1], bias: $0[2], stride: [2], padding: 1) },
                        [try testTensor([2, 4, 7, 7], seed: 1), try testTensor([3, 4, 3, 3], seed: 2),
                         try testTensor([3], seed: 3)], second: true)
        // conv_transpose2d 4x4, stride 2: its input gradient is the forward convolution below.
        let transposeGrad = ConvGeometry(batch: 2, channels: 5, height: 6, width: 6, outChannels: 4, outHeight: 3,
                                         outWidth: 3, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2, dilationH: 1,
                                         dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(transposeGrad.forwardKernel, .gathered)
        assertGradcheck({ try convTranspose2d($0[0], $0[1], bias: $0[2], stride: [2], padding: [1]) },
                        [try testTensor([2, 4, 3, 3], seed: 4), try testTensor([4, 5, 4, 4], seed: 5),
                         try testTensor([5], seed: 6)], second: true)
    }


    private func gathered<T: GemmScalar>(_ x: [T], _ w: [T], _ b: [T], _ g: ConvGeometry) throws -> [T] {
        var out = [T](repeating: .nan, count: g.batch * g.outChannels * g.outPixels)
        try x.withUnsafeBufferPointer { xp in
            try w.withUnsafeBufferPointer { wp in
                try b.withUnsafeBufferPointer { bp in
                    try out.withUnsafeMutableBufferPointer { op in
                        try convForwardGatheredKernel(xp.baseAddress!, wp.baseAddress!, bp.baseAddress!, op.baseAddress!,
                                                      g, op: "test")
                    }
                }
            }
        }
        return out
    }
}
