import XCTest
@testable import TenshEngine

/// The batched col2im transpose (BatchedCol2im.swift: GEMM columns across images,
/// a ring of image slots) against direct sums: strides 1-3, kernels 1x1-5x5,
/// dilation, asymmetric padding and extra bottom/right rows (conv_transpose's
/// output_padding), groups, batches of 1-24 (images spanning several tiles and
/// tiles spanning many images, slots reused), channel blocks with a short last
/// block, image ranges when channels cannot feed the threads, several K blocks,
/// 1-3 threads, float32 and float64; and where the dispatch takes it.
final class BatchedCol2imTests: XCTestCase {
    func testRandomGeometriesAgainstDirectSums() throws {
        var rng = SplitMix(seed: 97)
        var trial = 0
        while trial < 80 {
            let groups = 1 + rng.next(3), cg = 1 + rng.next(trial % 4 == 0 ? 40 : 9), og = 1 + rng.next(trial % 5 == 0 ? 40 : 12)
            let kh = 1 + rng.next(5), kw = 1 + rng.next(5), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let sh = 1 + rng.next(3), sw = 1 + rng.next(3)
            let top = rng.next(3), left = rng.next(3), bottom = rng.next(3), right = rng.next(3)
            let h = 1 + rng.next(trial % 6 == 0 ? 40 : 13), wd = 1 + rng.next(trial % 7 == 0 ? 50 : 13)
            let spanH = h + top + bottom - dh * (kh - 1), spanW = wd + left + right - dw * (kw - 1)
            guard spanH > 0, spanW > 0 else { continue }
            // Extra image rows/columns no output reads: conv_transpose's output_padding.
            let g = ConvGeometry(batch: 1 + rng.next(trial % 3 == 0 ? 24 : 5), channels: groups * cg,
                                 height: h + rng.next(sh), width: wd + rng.next(sw), outChannels: groups * og,
                                 outHeight: (spanH - 1) / sh + 1, outWidth: (spanW - 1) / sw + 1, kernelH: kh, kernelW: kw,
                                 strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, padTop: top, padLeft: left,
                                 groups: groups)
            try check(g, threads: [1 + rng.next(3)], seed: UInt64(trial), label: "trial \(trial)")
            trial += 1
        }
    }

    /// Shapes that reach the plan's corners: several Wᵀ blocks by the L2 budget
    /// (with a short last one) and two K blocks (og = 300); tiles over many small
    /// images (the ring reused); tiles shorter than one image; channels too few
    /// for the threads (image ranges); a c4-like layer at reduced size.
    func testPlanCornersAgainstDirectSums() throws {
        let shapes: [(n: Int, c: Int, co: Int, h: Int, w: Int, k: Int, s: Int, pad: Int)] = [
            (20, 50, 300, 7, 9, 3, 2, 1), (3, 40, 24, 61, 45, 3, 2, 1), (5, 1, 7, 9, 11, 3, 2, 0),
            (2, 64, 96, 28, 28, 3, 2, 1), (7, 2, 33, 5, 5, 5, 3, 2),
        ]
        for (index, t) in shapes.enumerated() {
            let ho = (t.h + 2 * t.pad - t.k) / t.s + 1, wo = (t.w + 2 * t.pad - t.k) / t.s + 1
            let g = ConvGeometry(batch: t.n, channels: t.c, height: t.h, width: t.w, outChannels: t.co, outHeight: ho,
                                 outWidth: wo, kernelH: t.k, kernelW: t.k, strideH: t.s, strideW: t.s,
                                 dilationH: 1, dilationW: 1, padTop: t.pad, padLeft: t.pad, groups: 1)
            try check(g, threads: [1, 2, 3], seed: UInt64(index), label: "shape \(index)")
        }
        let corner = ConvGeometry(batch: 20, channels: 50, height: 7, width: 9, outChannels: 300, outHeight: 4, outWidth: 5,
                                  kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                                  padTop: 1, padLeft: 1, groups: 1)
        let plan = BatchedCol2imPlan(Double.self, corner, threads: 1)
        XCTAssertGreaterThan(plan.blocks, 1, "the L2 budget splits the channels")
        XCTAssertNotEqual(50 % plan.blockSize, 0, "a short last block")
        XCTAssertLessThan(plan.slots, corner.batch, "slots are reused")
        XCTAssertGreaterThan(plan.tileCols, corner.outPixels, "a tile spans several images")
        let few = ConvGeometry(batch: 5, channels: 1, height: 9, width: 11, outChannels: 7, outHeight: 4, outWidth: 5,
                               kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                               padTop: 0, padLeft: 0, groups: 1)
        XCTAssertEqual(BatchedCol2imPlan(Float.self, few, threads: 3).imageRanges, 3)
    }

    /// The dispatch: c4's input gradient (14x14 outputs, 196 of 224 columns) takes the
    /// batched kernel; whole-panel images (c6's 16x16), a single image, stride 1
    /// (the shifted transpose) and 1x1 kernels keep their own.
    func testKernelChoice() {
        let c4 = BenchGeometry.c4
        XCTAssertEqual(c4.transposeKernel(elementSize: 4), .batchedCol2im)
        XCTAssertEqual(c4.transposeKernel(elementSize: 8), .batchedCol2im)
        var single = c4
        single.batch = 1
        XCTAssertEqual(single.transposeKernel, .col2im, "one image: nothing to batch")
        let c6 = BenchGeometry.c6
        XCTAssertNotEqual(c6.transposeKernel, .batchedCol2im, "256 pixels: whole panels")
        var stride1 = c4
        (stride1.strideH, stride1.strideW, stride1.outHeight, stride1.outWidth) = (1, 1, 28, 28)
        XCTAssertEqual(stride1.transposeKernel, .shiftedFlipped(transposed: stride1.transposeAsForward ?? stride1))
        var pointwise = stride1
        (pointwise.kernelH, pointwise.kernelW, pointwise.padTop, pointwise.padLeft) = (1, 1, 0, 0)
        XCTAssertEqual(pointwise.transposeKernel, .pointwise)
    }

    /// Through conv2d's autograd: the input gradient of a small c4-like layer (6 images of
    /// 25 pixels: 150 columns in 5 panels, not 6 x 32 = 192).
    func testConv2dInputGradient() throws {
        for dtype in [DType.float32, .float64] {
            let x = try testTensor([6, 6, 9, 9], seed: 1, dtype: dtype).setRequiresGrad()
            let w = try testTensor([20, 6, 3, 3], seed: 2, dtype: dtype)
            let y = try conv2d(x, w, stride: [2, 2], padding: .explicit([1, 1]))
            let g = ConvGeometry(batch: 6, channels: 6, height: 9, width: 9, outChannels: 20, outHeight: 5, outWidth: 5,
                                 kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
                                 padTop: 1, padLeft: 1, groups: 1)
            XCTAssertEqual(g.transposeKernel, .batchedCol2im)
            let v = try testTensor(y.shape, seed: 3, dtype: dtype)
            guard let gx = try grad([y], [x], gradOutputs: [v])[0] else { return XCTFail("no input gradient") }
            let expected = directTranspose(v.toDoubles(), w.toDoubles(), g)
            let tolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(20 * 9).squareRoot()
            XCTAssertLessThan(worstConvError(gx.toDoubles(), expected), tolerance, "\(dtype)")
        }
    }

    // MARK: - Helpers

    private func check(_ g: ConvGeometry, threads: [Int], seed: UInt64, label: String) throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 500 + seed)
        let v = randomConvValues(g.batch * g.outChannels * g.outPixels, &rng)
        let w = randomConvValues(g.outChannels * g.columnRows, &rng)
        let expected = directTranspose(v, w, g)
        for count in threads {
            EngineConfig.threads = count
            let d = try rawTranspose(Double.self, v, w, g)
            XCTAssertLessThan(worstConvError(d, expected), 1e-11, "float64 \(label), \(count) threads: \(g)")
            let f = try rawTranspose(Float.self, v, w, g)
            let tolerance = 2e-5 * Double(g.outChannelsPerGroup * g.kernelH * g.kernelW).squareRoot()
            XCTAssertLessThan(worstConvError(f, expected), tolerance, "float32 \(label), \(count) threads: \(g)")
        }
    }

    /// The batched kernel on raw buffers, its output filled with NaN first (every element must be written).
    private func rawTranspose<T: GemmScalar>(_: T.Type, _ v: [Double], _ w: [Double], _ g: ConvGeometry) throws -> [Double] {
        let vs = v.map { T($0) }, ws = w.map { T($0) }
        var out = [T](repeating: T(Double.nan), count: g.batch * g.channels * g.imagePixels)
        try vs.withUnsafeBufferPointer { vp in
            try ws.withUnsafeBufferPointer { wp in
                try out.withUnsafeMutableBufferPointer { op in
                    guard let vb = vp.baseAddress, let wb = wp.baseAddress, let ob = op.baseAddress else { return }
                    try convTransposeBatchedCol2imKernel(vb, wb, ob, g, op: "test")
                }
            }
        }
        return out.map { Double($0) }
    }

    /// gx[n, ci, iy, ix] = Σ v[n, co, oy, ox] · w[co, ci, ky, kx] over the outputs that read (iy, ix).
    private func directTranspose(_ v: [Double], _ w: [Double], _ g: ConvGeometry) -> [Double] {
        var gx = [Double](repeating: 0, count: g.batch * g.channels * g.imagePixels)
        forEachConvTap(g) { o, wi, xi in gx[xi] += v[o] * w[wi] }
        return gx
    }
}
