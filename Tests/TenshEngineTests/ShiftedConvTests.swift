import XCTest
@testable import TenshEngine

/// The implicit-GEMM forward (ShiftedConv.swift) against direct sums over
/// random geometries: strides 1-3, asymmetric padding, dilation, groups, batches on
/// both task paths (one image per task, and tiles of pre-padded images),
/// several K blocks, channel counts off the micro-tile size, both dtypes; and
/// the input gradient, which takes the same path with a flipped kernel, and
/// the weight gradient (ShiftedWeightGrad.swift for 16 or more output channels
/// per group, ShallowWeightGrad.swift for K < 16).
final class ShiftedConvTests: XCTestCase {
    func testRandomGeometriesAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 41)
        for trial in 0..<72 {
            let groups = 1 + rng.next(2), cg = 1 + rng.next(trial % 4 == 0 ? 40 : 6), og = 1 + rng.next(trial % 4 == 1 ? 40 : 20)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 6 == 0 ? 40 : 12), wd = 1 + rng.next(trial % 5 == 0 ? 70 : 12)
            let kh = 1 + rng.next(4), kw = 1 + rng.next(4), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let pads = [rng.next(3), rng.next(3), rng.next(3), rng.next(3)] // left, right, top, bottom
            let sh = trial % 3 == 0 ? 1 + rng.next(3) : 1, sw = trial % 3 == 0 ? 1 + rng.next(3) : 1
            let spanH = h + pads[2] + pads[3] - dh * (kh - 1), spanW = wd + pads[0] + pads[1] - dw * (kw - 1)
            guard spanH > 0, spanW > 0 else { continue }
            let ho = (spanH - 1) / sh + 1, wo = (spanW - 1) / sw + 1
            let dtype: DType = trial % 2 == 0 ? .float64 : .float32
            EngineConfig.threads = 1 + rng.next(3)
            let x = try testTensor([n, groups * cg, h, wd], seed: UInt64(trial), dtype: dtype).setRequiresGrad()
            let w = try testTensor([groups * og, cg, kh, kw], seed: UInt64(100 + trial), dtype: dtype).setRequiresGrad()
            let b = try testTensor([groups * og], seed: UInt64(200 + trial), dtype: dtype)
            let y = try conv2d(x, w, bias: b, stride: [sh, sw], padding: .explicit(pads), dilation: [dh, dw], groups: groups)
            XCTAssertEqual(y.shape, [n, groups * og, ho, wo])
            let geometry = ConvGeometry(batch: n, channels: groups * cg, height: h, width: wd, outChannels: groups * og,
                                        outHeight: ho, outWidth: wo, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw,
                                        dilationH: dh, dilationW: dw, padTop: pads[2], padLeft: pads[0], groups: groups)
            let expected = directSums(x.toDoubles(), w.toDoubles(), b.toDoubles(), geometry)
            let actual = y.toDoubles()
            var worst = 0.0
            for i in 0..<expected.count { worst = max(worst, abs(actual[i] - expected[i])) }
            let tolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(cg * kh * kw).squareRoot()
            let path = "\(geometry.forwardKernel)"
            XCTAssertLessThan(worst, tolerance, "trial \(trial) (\(path)): \(geometry)")

            // The input gradient (a stride-1 conv of the flipped kernel when padding allows).
            let v = try testTensor(y.shape, seed: UInt64(300 + trial), dtype: dtype)
            let grads = try grad([y], [x, w], gradOutputs: [v])
            guard let gx = grads[0], let gw = grads[1] else { return XCTFail("missing gradients") }
            let expectedGw = directWeightGrad(x.toDoubles(), v.toDoubles(), geometry)
            let actualGw = gw.toDoubles()
            var worstGw = 0.0
            for i in 0..<expectedGw.count { worstGw = max(worstGw, abs(actualGw[i] - expectedGw[i])) }
            let gwTolerance = dtype == .float64 ? 1e-10 : 2e-5 * Double(n * ho * wo).squareRoot()
            XCTAssertLessThan(worstGw, gwTolerance, "trial \(trial) weight gradient: \(geometry)")
            let expectedGx = directInputGrad(v.toDoubles(), w.toDoubles(), geometry)
            let actualGx = gx.toDoubles()
            var worstGx = 0.0
            for i in 0..<expectedGx.count { worstGx = max(worstGx, abs(actualGx[i] - expectedGx[i])) }
            let gxPath = "\(geometry.transposeKernel)"
            let gxTolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(og * kh * kw).squareRoot()
            XCTAssertLessThan(worstGx, gxTolerance, "trial \(trial) input gradient (\(gxPath)): \(geometry)")
        }
    }

    /// The few-images forward path at full thread count (conv2d caps small ops at one
    /// thread, so this calls the kernel directly): one image on 2 and 3 threads, two
    /// images (or image-groups) on 3 and 4, every input plane padded on its own task;
    /// tall images split into many tiles, tiny ones whose last tile reads past its
    /// planes; strides 1-3, odd sizes, asymmetric padding, dilation, groups.
    func testFewImagesPaddedPlaneByPlaneAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let cases: [(n: Int, c: Int, og: Int, h: Int, w: Int, k: Int, s: Int, d: Int, top: Int, left: Int, groups: Int, threads: Int)] = [
            (1, 3, 20, 23, 19, 7, 2, 1, 3, 2, 1, 2), (1, 9, 17, 13, 15, 3, 1, 1, 1, 1, 1, 2),
            (1, 4, 10, 11, 17, 3, 3, 2, 2, 0, 2, 3), (2, 5, 33, 9, 10, 2, 1, 1, 0, 1, 1, 3),
            (1, 6, 8, 14, 9, 4, 2, 1, 1, 2, 1, 3), (1, 3, 16, 61, 29, 5, 2, 1, 2, 2, 1, 2),
            (1, 7, 9, 45, 13, 3, 1, 2, 2, 1, 1, 2), (1, 6, 12, 5, 6, 3, 1, 1, 1, 1, 3, 4),
            (3, 4, 5, 4, 7, 2, 1, 1, 1, 0, 1, 4),
        ]
        for (index, t) in cases.enumerated() {
            let ho = (t.h + 2 * t.top - t.d * (t.k - 1) - 1) / t.s + 1, wo = (t.w + 2 * t.left - t.d * (t.k - 1) - 1) / t.s + 1
            let g = ConvGeometry(batch: t.n, channels: t.c, height: t.h, width: t.w, outChannels: t.og, outHeight: ho,
                                 outWidth: wo, kernelH: t.k, kernelW: t.k, strideH: t.s, strideW: t.s,
                                 dilationH: t.d, dilationW: t.d, padTop: t.top, padLeft: t.left, groups: t.groups)
            // Small strided outputs dispatch to the gathered kernel (GatheredConvTests): call this one directly.
            XCTAssertTrue(g.fitsShiftedForward, "case \(index)")
            var rng = SplitMix(seed: UInt64(500 + index))
            let x = (0..<(t.n * t.c * t.h * t.w)).map { _ in Double(rng.next(2001)) / 1000 - 1 }
            let w = (0..<(t.og * g.columnRows)).map { _ in Double(rng.next(2001)) / 1000 - 1 }
            let b = (0..<t.og).map { _ in Double(rng.next(2001)) / 1000 - 1 }
            let expected = directSums(x, w, b, g)
            EngineConfig.threads = t.threads
            var actual = [Double](repeating: .nan, count: expected.count)
            try x.withUnsafeBufferPointer { xp in
                try w.withUnsafeBufferPointer { wp in
                    try b.withUnsafeBufferPointer { bp in
                        try actual.withUnsafeMutableBufferPointer { op in
                            try convForwardShiftedKernel(xp.baseAddress!, wp.baseAddress!, bp.baseAddress!, op.baseAddress!,
                                                         g, op: "test")
                        }
                    }
                }
            }
            var worst = 0.0
            for i in 0..<expected.count { worst = max(worst, abs(actual[i] - expected[i])) }
            XCTAssertLessThan(worst, 1e-11, "case \(index), \(t.threads) threads: \(g)")
        }
    }

    /// Most random geometries above must take the implicit-GEMM path, or the test proves little.
    func testSpatialKernelsUseTheShiftedKernel() {
        let g = ConvGeometry(batch: 2, channels: 8, height: 9, width: 9, outChannels: 5, outHeight: 9, outWidth: 9,
                             kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
                             padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(g.forwardKernel, .shifted)
        var strided = g
        strided.strideH = 2
        XCTAssertEqual(strided.forwardKernel, .gathered, "a small strided output (GatheredConvTests)")
        var pointwise = g
        (pointwise.kernelH, pointwise.kernelW, pointwise.padTop, pointwise.padLeft) = (1, 1, 0, 0)
        XCTAssertEqual(pointwise.forwardKernel, .pointwise, "1x1 is a plain GEMM")
        var firstLayer = g
        firstLayer.channels = 1
        XCTAssertEqual(firstLayer.weightGradKernel(elementSize: 4), .shallow, "K = 9")
    }

    /// A strided weight gradient on the implicit-GEMM path, on one and two threads
    /// (two threads and one image split the grid pixels).
    func testStridedWeightGradientAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let g = ConvGeometry(batch: 1, channels: 3, height: 13, width: 11, outChannels: 20, outHeight: 7, outWidth: 6,
                             kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                             padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(g.weightGradKernel(elementSize: 8), .shifted)
        let x = try testTensor(g.imageShape, seed: 1).setRequiresGrad(), w = try testTensor(g.weightShape, seed: 2).setRequiresGrad()
        for threads in [1, 2] {
            EngineConfig.threads = threads
            let y = try conv2d(x, w, stride: [2], padding: 1)
            XCTAssertEqual(y.shape, g.outShape)
            let v = try testTensor(y.shape, seed: 3)
            guard let gw = try grad([y], [w], gradOutputs: [v])[0] else { return XCTFail("no weight gradient") }
            let expected = directWeightGrad(x.toDoubles(), v.toDoubles(), g), actual = gw.toDoubles()
            for i in 0..<expected.count { XCTAssertEqual(actual[i], expected[i], accuracy: 1e-12, "threads \(threads)") }
        }
    }

    /// The shallow weight gradient (K < 16, stride 1) against direct sums: output
    /// widths and pixel counts off the vector width (vector body and scalar tail),
    /// channel counts off its 4-channel blocks and K off its 3-row blocks, dilation,
    /// asymmetric padding, padding beyond the kernel's reach, groups, both dtypes, 1-3 threads,
    /// and images wide enough to be taken in bands of rows.
    func testShallowWeightGradientAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        // (groups, cg, og, n, h, w, kh, kw, dilation, pads left/right/top/bottom)
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Int, [Int])] = [
            (1, 1, 32, 3, 28, 28, 3, 3, 1, [1, 1, 1, 1]), (1, 1, 5, 2, 9, 17, 3, 3, 1, [1, 1, 1, 1]),
            (1, 3, 7, 2, 11, 13, 2, 2, 1, [0, 1, 1, 0]), (2, 2, 6, 1, 7, 23, 1, 5, 2, [3, 0, 0, 2]),
            (1, 2, 9, 2, 12, 5, 3, 2, 2, [2, 2, 0, 1]), (1, 1, 4, 1, 1, 40, 1, 3, 1, [4, 4, 0, 0]),
            (1, 1, 2, 2, 6, 6, 4, 3, 1, [0, 0, 3, 3]),
            // Bands of output rows: two of 109 and 11 rows, and bands of one row.
            (1, 1, 5, 1, 120, 200, 3, 3, 1, [1, 1, 1, 1]), (1, 3, 2, 1, 2, 4400, 1, 5, 1, [2, 2, 0, 0]),
        ]
        for (index, c) in cases.enumerated() {
            let (groups, cg, og, n, h, wd, kh, kw, dil, pads) = c
            let ho = h + pads[2] + pads[3] - dil * (kh - 1), wo = wd + pads[0] + pads[1] - dil * (kw - 1)
            let g = ConvGeometry(batch: n, channels: groups * cg, height: h, width: wd, outChannels: groups * og,
                                 outHeight: ho, outWidth: wo, kernelH: kh, kernelW: kw, strideH: 1, strideW: 1,
                                 dilationH: dil, dilationW: dil, padTop: pads[2], padLeft: pads[0], groups: groups)
            XCTAssertEqual(g.weightGradKernel(elementSize: 4), .shallow, "case \(index)")
            for dtype in [DType.float64, .float32] {
                EngineConfig.threads = 1 + (index + (dtype == .float32 ? 1 : 0)) % 3
                let x = try testTensor(g.imageShape, seed: UInt64(index), dtype: dtype)
                let w = try testTensor(g.weightShape, seed: UInt64(50 + index), dtype: dtype).setRequiresGrad()
                let y = try conv2d(x, w, padding: .explicit(pads), dilation: [dil], groups: groups)
                XCTAssertEqual(y.shape, g.outShape, "case \(index)")
                let v = try testTensor(y.shape, seed: UInt64(100 + index), dtype: dtype)
                guard let gw = try grad([y], [w], gradOutputs: [v])[0] else { return XCTFail("no weight gradient") }
                let expected = directWeightGrad(x.toDoubles(), v.toDoubles(), g), actual = gw.toDoubles()
                let tolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(n * ho * wo).squareRoot()
                XCTAssertEqual(actual.count, expected.count)
                for i in 0..<min(actual.count, expected.count) {
                    XCTAssertEqual(actual[i], expected[i], accuracy: tolerance, "case \(index) \(dtype) element \(i)")
                }
            }
        }
    }

    /// The shifted weight gradient packs float32 output gradients of 32 channels in
    /// 16x16 register transposes: 40 channels (one full panel, one partial), output
    /// widths 37 and 16 (two blocks and a scalar tail; exactly one block), strides
    /// 1 and 2, one image (grid split over threads) and three (a task per image).
    func testShiftedWeightGradientTransposedPanelsAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        for (index, (n, width, stride)) in [(1, 37, 1), (3, 37, 1), (2, 31, 2), (1, 16, 1)].enumerated() {
            let wo = (width + 2 - 3) / stride + 1, ho = (9 + 2 - 3) / stride + 1
            let g = ConvGeometry(batch: n, channels: 3, height: 9, width: width, outChannels: 40, outHeight: ho,
                                 outWidth: wo, kernelH: 3, kernelW: 3, strideH: stride, strideW: stride,
                                 dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
            XCTAssertEqual(g.weightGradKernel(elementSize: 4), .shifted, "case \(index)")
            let x = try testTensor(g.imageShape, seed: UInt64(index), dtype: .float32)
            let w = try testTensor(g.weightShape, seed: UInt64(10 + index), dtype: .float32).setRequiresGrad()
            for threads in [1, 2] {
                EngineConfig.threads = threads
                let y = try conv2d(x, w, stride: [stride], padding: 1)
                XCTAssertEqual(y.shape, g.outShape, "case \(index)")
                let v = try testTensor(y.shape, seed: UInt64(20 + index), dtype: .float32)
                guard let gw = try grad([y], [w], gradOutputs: [v])[0] else { return XCTFail("no weight gradient") }
                let expected = directWeightGrad(x.toDoubles(), v.toDoubles(), g), actual = gw.toDoubles()
                let tolerance = 2e-5 * Double(n * ho * wo).squareRoot()
                var worst = 0.0
                for i in 0..<min(actual.count, expected.count) { worst = max(worst, abs(actual[i] - expected[i])) }
                XCTAssertEqual(actual.count, expected.count)
                XCTAssertLessThan(worst, tolerance, "case \(index), \(threads) threads")
            }
        }
    }

    /// The input gradient on the col2im path (strides above 1) adds into padded
    /// column-phase planes: strides 2 and 3 with even and odd left padding, dilation,
    /// both dtypes, and planes large enough (16 channels of 200x200 float64) that a
    /// task's channels are split into blocks of at most 2 MiB.
    func testCol2imInputGradientAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        // (c, og, h, w, kh, kw, stride, dilation, pads left/right/top/bottom, dtype, threads)
        let cases: [(Int, Int, Int, Int, Int, Int, [Int], Int, [Int], DType, Int)] = [
            (16, 4, 200, 200, 3, 3, [2, 2], 1, [1, 1, 1, 1], .float64, 1),
            (3, 5, 13, 17, 4, 4, [2, 2], 1, [1, 1, 1, 1], .float32, 2),
            (2, 3, 11, 19, 3, 2, [3, 3], 2, [2, 0, 1, 2], .float32, 1),
            (4, 2, 9, 14, 2, 3, [1, 3], 1, [0, 1, 0, 1], .float64, 3),
            (2, 6, 10, 21, 3, 5, [2, 3], 1, [3, 1, 2, 0], .float32, 2),
        ]
        for (index, c) in cases.enumerated() {
            let (channels, og, h, wd, kh, kw, stride, dil, pads, dtype, threads) = c
            EngineConfig.threads = threads
            let ho = (h + pads[2] + pads[3] - dil * (kh - 1) - 1) / stride[0] + 1
            let wo = (wd + pads[0] + pads[1] - dil * (kw - 1) - 1) / stride[1] + 1
            let g = ConvGeometry(batch: 2, channels: channels, height: h, width: wd, outChannels: og, outHeight: ho,
                                 outWidth: wo, kernelH: kh, kernelW: kw, strideH: stride[0], strideW: stride[1],
                                 dilationH: dil, dilationW: dil, padTop: pads[2], padLeft: pads[0], groups: 1)
            // Both col2im kernels add into the same planes (batched: small outputs over 2 images).
            XCTAssertTrue([.col2im, .batchedCol2im].contains(g.transposeKernel), "case \(index)")
            let x = try testTensor(g.imageShape, seed: UInt64(index), dtype: dtype).setRequiresGrad()
            let w = try testTensor(g.weightShape, seed: UInt64(20 + index), dtype: dtype)
            let y = try conv2d(x, w, stride: stride, padding: .explicit(pads), dilation: [dil])
            XCTAssertEqual(y.shape, g.outShape, "case \(index)")
            let v = try testTensor(y.shape, seed: UInt64(40 + index), dtype: dtype)
            guard let gx = try grad([y], [x], gradOutputs: [v])[0] else { return XCTFail("no input gradient") }
            let expected = directInputGrad(v.toDoubles(), w.toDoubles(), g), actual = gx.toDoubles()
            let tolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(og * kh * kw).squareRoot()
            XCTAssertEqual(actual.count, expected.count)
            var worst = 0.0
            for i in 0..<min(actual.count, expected.count) { worst = max(worst, abs(actual[i] - expected[i])) }
            XCTAssertLessThan(worst, tolerance, "case \(index): \(g)")
        }
    }

    /// conv_transpose2d with stride 2 scatter-adds float32 rows through the
    /// vectorised even-lane path (runs of 40, 16, 12, 5 pixels); the float64 run of
    /// the same values takes the scalar path and must agree.
    func testStrideTwoTransposeFloat32MatchesFloat64() throws {
        for width in [40, 16, 12, 5] {
            let x64 = try testTensor([2, 3, 4, width], seed: 8), w64 = try testTensor([3, 5, 4, 3], seed: 9)
            let x32 = try testTensor([2, 3, 4, width], seed: 8, dtype: .float32)
            let w32 = try testTensor([3, 5, 4, 3], seed: 9, dtype: .float32)
            let y64 = try convTranspose2d(x64, w64, stride: [2], padding: [1]).toDoubles()
            let y32 = try convTranspose2d(x32, w32, stride: [2], padding: [1]).toDoubles()
            XCTAssertEqual(y32.count, y64.count)
            var worst = 0.0
            for i in 0..<min(y32.count, y64.count) { worst = max(worst, abs(y32[i] - y64[i])) }
            XCTAssertLessThan(worst, 1e-5, "width \(width)")
        }
    }

    /// gx[n, ci, iy, ix] = Σ v[n, co, oy, ox] · w[co, ci, ky, kx] over the positions that read (iy, ix).
    private func directInputGrad(_ v: [Double], _ w: [Double], _ g: ConvGeometry) -> [Double] {
        var gx = [Double](repeating: 0, count: g.batch * g.channels * g.imagePixels)
        forEachConvTap(g) { o, k, i in gx[i] += v[o] * w[k] }
        return gx
    }

    /// gw[co, ci, ky, kx] = Σ v[n, co, oy, ox] · x[n, channel, iy, ix].
    private func directWeightGrad(_ x: [Double], _ v: [Double], _ g: ConvGeometry) -> [Double] {
        var gw = [Double](repeating: 0, count: g.outChannels * g.columnRows)
        forEachConvTap(g) { o, k, i in gw[k] += v[o] * x[i] }
        return gw
    }

    /// y[n, co, oy, ox] = b[co] + Σ w[co, ci, ky, kx] · x[n, channel, iy, ix].
    private func directSums(_ x: [Double], _ w: [Double], _ b: [Double], _ g: ConvGeometry) -> [Double] {
        var out = [Double](repeating: 0, count: g.batch * g.outChannels * g.outPixels)
        for i in 0..<out.count { out[i] = b[(i / g.outPixels) % g.outChannels] }
        forEachConvTap(g) { o, k, i in out[o] += w[k] * x[i] }
        return out
    }
}
