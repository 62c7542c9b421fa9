import XCTest
@testable import TenshEngine

/// The stride-1 implicit-GEMM forward (ShiftedConv.swift) against direct sums
/// over random geometries: asymmetric padding, dilation, groups, batches on
/// both task paths (one image per task, and tiles of pre-padded images),
/// several K blocks, channel counts off the micro-tile size, both dtypes.
final class ShiftedConvTests: XCTestCase {
    func testRandomStrideOneGeometriesAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 41)
        for trial in 0..<48 {
            let groups = 1 + rng.next(2), cg = 2 + rng.next(trial % 4 == 0 ? 40 : 6), og = 1 + rng.next(20)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 6 == 0 ? 40 : 12), wd = 1 + rng.next(trial % 5 == 0 ? 70 : 12)
            let kh = 1 + rng.next(4), kw = 1 + rng.next(4), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let pads = [rng.next(3), rng.next(3), rng.next(3), rng.next(3)] // left, right, top, bottom
            let ho = h + pads[2] + pads[3] - dh * (kh - 1), wo = wd + pads[0] + pads[1] - dw * (kw - 1)
            guard ho > 0, wo > 0 else { continue }
            let dtype: DType = trial % 2 == 0 ? .float64 : .float32
            EngineConfig.threads = 1 + rng.next(3)
            let x = try testTensor([n, groups * cg, h, wd], seed: UInt64(trial), dtype: dtype)
            let w = try testTensor([groups * og, cg, kh, kw], seed: UInt64(100 + trial), dtype: dtype)
            let b = try testTensor([groups * og], seed: UInt64(200 + trial), dtype: dtype)
            let y = try conv2d(x, w, bias: b, padding: .explicit(pads), dilation: [dh, dw], groups: groups)
            XCTAssertEqual(y.shape, [n, groups * og, ho, wo])
            let geometry = ConvGeometry(batch: n, channels: groups * cg, height: h, width: wd, outChannels: groups * og,
                                        outHeight: ho, outWidth: wo, kernelH: kh, kernelW: kw, strideH: 1, strideW: 1,
                                        dilationH: dh, dilationW: dw, padTop: pads[2], padLeft: pads[0], groups: groups)
            let expected = directSums(x.toDoubles(), w.toDoubles(), b.toDoubles(), geometry)
            let actual = y.toDoubles()
            var worst = 0.0
            for i in 0..<expected.count { worst = max(worst, abs(actual[i] - expected[i])) }
            let tolerance = dtype == .float64 ? 1e-11 : 2e-5 * Double(cg * kh * kw).squareRoot()
            let path = ShiftedLayout.applies(to: geometry) ? "shifted" : "im2col"
            XCTAssertLessThan(worst, tolerance, "trial \(trial) (\(path)): \(geometry)")
        }
    }

    /// Most random geometries above must take the implicit-GEMM path, or the test proves little.
    func testStrideOneGeometriesUseTheShiftedKernel() {
        let g = ConvGeometry(batch: 2, channels: 8, height: 9, width: 9, outChannels: 5, outHeight: 9, outWidth: 9,
                             kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
                             padTop: 1, padLeft: 1, groups: 1)
        XCTAssertTrue(ShiftedLayout.applies(to: g))
        var strided = g
        strided.strideH = 2
        XCTAssertFalse(ShiftedLayout.applies(to: strided))
    }

    private func directSums(_ x: [Double], _ w: [Double], _ b: [Double], _ g: ConvGeometry) -> [Double] {
        let cg = g.channelsPerGroup, og = g.outChannelsPerGroup
        var out = [Double](repeating: 0, count: g.batch * g.outChannels * g.outPixels)
        for n in 0..<g.batch { for co in 0..<g.outChannels { for oy in 0..<g.outHeight { for ox in 0..<g.outWidth {
            var s = b[co]
            for ci in 0..<cg { for ky in 0..<g.kernelH { for kx in 0..<g.kernelW {
                let iy = oy - g.padTop + ky * g.dilationH, ix = ox - g.padLeft + kx * g.dilationW
                guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                let channel = (co / og) * cg + ci
                s += w[((co * cg + ci) * g.kernelH + ky) * g.kernelW + kx] * x[((n * g.channels + channel) * g.height + iy) * g.width + ix]
            } } }
            out[((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox] = s
        } } } }
        return out
    }
}
