import XCTest
@testable import TenshEngine

/// The shifted weight gradient (ShiftedWeightGrad.swift) called directly (conv2d's
/// autograd caps small ops at one thread) against a naive loop: random geometries
/// with strides 1-4, odd sizes, asymmetric padding, dilation, groups, batches on
/// both task paths (a task per image, and one image's pixels split over threads),
/// pixel counts off the 128-pixel blocks, K off the 8-row micro-panels, output
/// channels off the 32-channel panels, 1-3 threads, float32 and float64; and the
/// stride-2 phase planes both kernels read.
final class ShiftedWeightGradTests: XCTestCase {
    func testRandomGeometriesAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 77)
        var tried = 0
        for trial in 0..<60 {
            let groups = 1 + rng.next(2), cg = 1 + rng.next(trial % 4 == 0 ? 20 : 5), og = 1 + rng.next(trial % 3 == 0 ? 40 : 20)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 5 == 0 ? 40 : 14), wd = 1 + rng.next(trial % 6 == 0 ? 60 : 14)
            let kh = 1 + rng.next(5), kw = 1 + rng.next(5), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let sh = 1 + rng.next(4), sw = 1 + rng.next(4)
            let top = rng.next(3), left = rng.next(3), bottom = rng.next(3), right = rng.next(3)
            let spanH = h + top + bottom - dh * (kh - 1), spanW = wd + left + right - dw * (kw - 1)
            guard spanH > 0, spanW > 0, kh * kw > 1 else { continue }
            let g = ConvGeometry(batch: n, channels: groups * cg, height: h, width: wd, outChannels: groups * og,
                                 outHeight: (spanH - 1) / sh + 1, outWidth: (spanW - 1) / sw + 1, kernelH: kh, kernelW: kw,
                                 strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, padTop: top, padLeft: left,
                                 groups: groups)
            tried += 1
            var values = SplitMix(seed: UInt64(300 + trial))
            let x = randomConvValues(g.batch * g.channels * g.imagePixels, &values)
            let v = randomConvValues(g.batch * g.outChannels * g.outPixels, &values)
            let expected = naiveWeightGrad(x, v, g)
            EngineConfig.threads = 1 + trial % 3
            let gw64 = try rawWeightGrad(Double.self, x, v, g)
            XCTAssertLessThan(worstConvError(gw64, expected), 1e-11, "trial \(trial) float64: \(g)")
            let gw32 = try rawWeightGrad(Float.self, x, v, g)
            let tolerance = 2e-5 * Double(n * g.outPixels).squareRoot()
            XCTAssertLessThan(worstConvError(gw32, expected), tolerance, "trial \(trial) float32: \(g)")
        }
        XCTAssertGreaterThan(tried, 40)
    }

    /// Large enough for several 128-pixel blocks and both task paths: c1's stem shape
    /// shrunk (one image, stride 2, K = 147 off the micro-panel), c6's weight gradient
    /// (stride 2, 4x4, a 17-wide grid under a 16-wide output), a stride-1 batch.
    func testNetworkShapesAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let shapes = [
            ConvGeometry(batch: 1, channels: 3, height: 45, width: 39, outChannels: 33, outHeight: 23, outWidth: 20,
                         kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: 3,
                         padLeft: 3, groups: 1),
            ConvGeometry(batch: 3, channels: 8, height: 32, width: 32, outChannels: 40, outHeight: 16, outWidth: 16,
                         kernelH: 4, kernelW: 4, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: 1,
                         padLeft: 1, groups: 1),
            ConvGeometry(batch: 2, channels: 5, height: 19, width: 21, outChannels: 64, outHeight: 19, outWidth: 21,
                         kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1,
                         padLeft: 1, groups: 1),
        ]
        for (index, g) in shapes.enumerated() {
            XCTAssertEqual(g.weightGradKernel(elementSize: 4), .shifted, "shape \(index)")
            var values = SplitMix(seed: UInt64(40 + index))
            let x = randomConvValues(g.batch * g.channels * g.imagePixels, &values)
            let v = randomConvValues(g.batch * g.outChannels * g.outPixels, &values)
            let expected = naiveWeightGrad(x, v, g)
            for threads in 1...3 {
                EngineConfig.threads = threads
                let gw64 = try rawWeightGrad(Double.self, x, v, g)
                XCTAssertLessThan(worstConvError(gw64, expected), 1e-11, "shape \(index), \(threads) threads")
                let gw32 = try rawWeightGrad(Float.self, x, v, g)
                let tolerance = 2e-5 * Double(g.batch * g.outPixels).squareRoot()
                XCTAssertLessThan(worstConvError(gw32, expected), tolerance, "shape \(index), \(threads) threads")
            }
        }
    }

    /// Horizontal stride 2 pads both column phases of a row in one pass (`padPlanePair`,
    /// 16 columns per phase at a time): rows 31-70 wide (vector body and scalar tails,
    /// odd widths), left padding 0-3 (either phase takes the even columns), stride 2
    /// or 1 vertically, through the shifted forward and the weight gradient, 1-2 threads.
    func testStrideTwoPhasePlanesAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 5)
        for trial in 0..<16 {
            let width = 31 + rng.next(40), height = 3 + rng.next(9), left = trial % 4, top = rng.next(3)
            let sh = 1 + trial % 2, k = 2 + rng.next(4)
            let g = ConvGeometry(batch: 1 + rng.next(2), channels: 2, height: height, width: width, outChannels: 17,
                                 outHeight: (height + 2 * top - k) / sh + 1, outWidth: (width + 2 * left - k) / 2 + 1,
                                 kernelH: k, kernelW: k, strideH: sh, strideW: 2, dilationH: 1, dilationW: 1,
                                 padTop: top, padLeft: left, groups: 1)
            guard g.outHeight > 0, g.outWidth > 0 else { continue }
            let (x, w, b) = convTestInputs(g, seed: UInt64(trial))
            EngineConfig.threads = 1 + trial % 2
            let expected = naiveConvForward(x, w, b, g)
            let y32 = try rawConvForward(Float.self, x, w, b, g) { try convForwardShiftedKernel($0, $1, $2, $3, g, op: "test") }
            XCTAssertLessThan(worstConvError(y32, expected), 1e-4, "trial \(trial) forward: \(g)")
            let y64 = try rawConvForward(Double.self, x, w, b, g) { try convForwardShiftedKernel($0, $1, $2, $3, g, op: "test") }
            XCTAssertLessThan(worstConvError(y64, expected), 1e-11, "trial \(trial) forward: \(g)")
            let v = randomConvValues(g.batch * g.outChannels * g.outPixels, &rng)
            let gw = try rawWeightGrad(Float.self, x, v, g)
            let tolerance = 2e-5 * Double(g.batch * g.outPixels).squareRoot()
            XCTAssertLessThan(worstConvError(gw, naiveWeightGrad(x, v, g)), tolerance, "trial \(trial) weight gradient: \(g)")
        }
    }

    private func rawWeightGrad<T: GemmScalar>(_: T.Type, _ x: [Double], _ v: [Double], _ g: ConvGeometry) throws -> [Double] {
        let xs = x.map { T($0) }, vs = v.map { T($0) }
        var gw = [T](repeating: T(Double.nan), count: g.outChannels * g.columnRows)
        try xs.withUnsafeBufferPointer { xp in
            try vs.withUnsafeBufferPointer { vp in
                try gw.withUnsafeMutableBufferPointer { gp in
                    guard let xb = xp.baseAddress, let vb = vp.baseAddress, let gb = gp.baseAddress else {
                        return XCTFail("empty buffer")
                    }
                    try convWeightGradShiftedKernel(xb, vb, gb, g, op: "test")
                }
            }
        }
        return gw.map { Double($0) }
    }

    /// gw[co, ci, ky, kx] = Σ v[n, co, oy, ox] · x[n, group channel ci, iy, ix], zero outside.
    private func naiveWeightGrad(_ x: [Double], _ v: [Double], _ g: ConvGeometry) -> [Double] {
        var gw = [Double](repeating: 0, count: g.outChannels * g.columnRows)
        forEachConvTap(g) { o, wi, xi in gw[wi] += v[o] * x[xi] }
        return gw
    }
}
