import XCTest
@testable import TenshEngine

/// The Winograd F(2x2, 3x3) path (WinogradConv.swift) against the implicit-GEMM
/// path in float64, forward and input gradient: odd sizes (partial tiles),
/// padding 0-2 and asymmetric, tiles of one block spanning images, several
/// blocks, several K blocks (Cin > 256), channel counts off the micro-tile,
/// 1-3 threads.
///
/// Error bound (float32, values in [-1, 1]): with K = Cin, the direct sum has 9K
/// terms and the existing float32 tests allow 2e-5·√(9K). Winograd's terms are
/// bounded too: |U| ≤ 1.5²·max|g| (rows of G sum to at most 1.5 in absolute
/// value), |V| ≤ 2²·max|d| (two ±1 per row of Bᵀ), and each output sums 9 of the
/// M_ξ (three 1s per row of Aᵀ). So each M_ξ is a K-term dot product of terms
/// at most 9·max|g|·max|d|, whose rounding errors grow like √K·ε, and the
/// output adds 9 of them: a typical error of about 9·3·√K·ε ≈ 1.6e-6·√K
/// (ε = 6e-8), against the bound 6e-5·√K: a 40x margin, and what the float32
/// fixtures' 1e-5 relative tolerance needs at these sizes (observed: 0.7e-6 to
/// 7e-6 for Cin ≤ 40, 2.2e-5 for Cin = 300). The float64 runs of
/// the same code check the algebra itself to 1e-12.
final class WinogradConvTests: XCTestCase {
    /// (batch, Cin, Cout, H, W, padTop, padBottom, padLeft, padRight, threads)
    private let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, pads: [Int], threads: Int)] = [
        (1, 16, 16, 13, 11, [1, 1, 1, 1], 1), (2, 17, 20, 9, 7, [0, 0, 0, 0], 2),
        (3, 24, 19, 6, 15, [2, 0, 1, 2], 3), (1, 33, 40, 17, 37, [1, 1, 1, 1], 2),
        (1, 300, 18, 5, 6, [1, 1, 1, 1], 3), (1, 16, 16, 2, 2, [1, 1, 1, 1], 2),
        (1, 16, 17, 3, 3, [0, 0, 0, 0], 1), (4, 16, 24, 1, 9, [1, 1, 1, 1], 3),
        (5, 20, 16, 7, 8, [1, 0, 0, 1], 2),
        (2, 16, 16, 40, 30, [1, 1, 1, 1], 1), // 600 tiles: two blocks on one thread
    ]

    private func geometry(_ c: (n: Int, cin: Int, cout: Int, h: Int, w: Int, pads: [Int], threads: Int)) -> ConvGeometry {
        ConvGeometry(batch: c.n, channels: c.cin, height: c.h, width: c.w, outChannels: c.cout,
                     outHeight: c.h + c.pads[0] + c.pads[1] - 2, outWidth: c.w + c.pads[2] + c.pads[3] - 2,
                     kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
                     padTop: c.pads[0], padLeft: c.pads[2], groups: 1)
    }

    func testForwardAgainstImplicitGemm() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        for (index, c) in cases.enumerated() {
            let g = geometry(c)
            XCTAssertEqual(g.forwardKernel(elementSize: 4), .winograd, "case \(index)")
            XCTAssertEqual(g.forwardKernel(elementSize: 8), .shifted, "case \(index): float64 keeps the direct path")
            EngineConfig.threads = c.threads
            var rng = SplitMix(seed: UInt64(700 + index))
            let x = randomConvValues(g.batch * g.channels * g.imagePixels, &rng)
            let w = randomConvValues(g.outChannels * g.columnRows, &rng), b = randomConvValues(g.outChannels, &rng)
            let count = g.batch * g.outChannels * g.outPixels
            let expected: [Double] = try run(count) { try convForwardShiftedKernel(x, w, b, $0, g, op: "test") }
            let exact: [Double] = try run(count) { try convForwardWinogradKernel(x, w, b, $0, g, op: "test") }
            XCTAssertLessThan(worstConvError(exact, expected), 1e-12, "case \(index) float64: \(g)")
            let (xf, wf, bf) = (floats(x), floats(w), floats(b))
            let single: [Float] = try run(count) { try convForward(xf, wf, bf, $0, g, op: "test") }
            XCTAssertLessThan(worstConvError(single.map { Double($0) }, expected), bound(cin: g.channels),
                              "case \(index) float32, \(c.threads) threads: \(g)")
        }
    }

    func testInputGradientAgainstImplicitGemm() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        for (index, c) in cases.enumerated() {
            let g = geometry(c)
            guard let t = g.transposeAsForward else { XCTFail("case \(index): no transposed form"); continue }
            XCTAssertEqual(g.transposeKernel(elementSize: 4), .winogradFlipped(transposed: t), "case \(index)")
            XCTAssertEqual(g.transposeKernel(elementSize: 8), .shiftedFlipped(transposed: t), "case \(index)")
            EngineConfig.threads = c.threads
            var rng = SplitMix(seed: UInt64(800 + index))
            let v = randomConvValues(g.batch * g.outChannels * g.outPixels, &rng)
            let w = randomConvValues(g.outChannels * g.columnRows, &rng)
            let count = g.batch * g.channels * g.imagePixels
            let expected: [Double] = try run(count) { try convTransposeShiftedKernel(v, w, $0, g, transposed: t, op: "test") }
            let exact: [Double] = try run(count) { try convTransposeWinogradKernel(v, w, $0, transposed: t, op: "test") }
            XCTAssertLessThan(worstConvError(exact, expected), 1e-12, "case \(index) float64: \(g)")
            let (vf, wf) = (floats(v), floats(w))
            let single: [Float] = try run(count) { try convTranspose(vf, wf, $0, g, op: "test") }
            XCTAssertLessThan(worstConvError(single.map { Double($0) }, expected), bound(cin: g.outChannels),
                              "case \(index) float32, \(c.threads) threads: \(g)")
        }
    }

    /// The PyTorch fixtures named conv2d_winograd_* (scripts/fixtures/conv.py), which
    /// ConvolutionTests checks, must reach Winograd forward and backward, or they prove nothing.
    func testWinogradFixturesTakeTheWinogradPath() throws {
        let cases = try Fixtures.load("conv").filter { $0.name.hasPrefix("conv2d_winograd") }
        XCTAssertGreaterThanOrEqual(cases.count, 2)
        for c in cases {
            guard let x = c.inputs["x"]?.shape, let w = c.inputs["w"]?.shape, x.count == 4, w.count == 4
            else { XCTFail("\(c.name): shapes"); continue }
            XCTAssertEqual(Array(c.output.shape.prefix(2)), [x[0], w[0]], c.name)
            let pad = c.args["padding"]?.ints ?? []
            let g = ConvGeometry(batch: x[0], channels: x[1], height: x[2], width: x[3], outChannels: w[0],
                                 outHeight: c.output.shape[2], outWidth: c.output.shape[3], kernelH: w[2], kernelW: w[3],
                                 strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
                                 padTop: pad.first ?? -1, padLeft: pad.last ?? -1, groups: c.args["groups"]?.int ?? 0)
            XCTAssertEqual(g.forwardKernel(elementSize: 4), .winograd, c.name)
            guard let t = g.transposeAsForward else { XCTFail("\(c.name): no transposed form"); continue }
            XCTAssertEqual(g.transposeKernel(elementSize: 4), .winogradFlipped(transposed: t), c.name)
            XCTAssertEqual(c.inputs["x"]?.dtype, "f32", c.name)
        }
    }

    /// Geometries Winograd must leave to the other kernels.
    func testWinogradOnlyWhereItApplies() {
        let g = geometry(cases[0])
        var strided = g
        strided.strideH = 2
        XCTAssertEqual(strided.forwardKernel(elementSize: 4), strided.forwardKernel)
        XCTAssertNotEqual(strided.forwardKernel, .winograd)
        var dilated = g
        dilated.dilationW = 2
        XCTAssertEqual(dilated.forwardKernel(elementSize: 4), .shifted)
        var narrow = g
        narrow.channels = 15
        XCTAssertEqual(narrow.forwardKernel(elementSize: 4), .shifted, "K = Cin too short for the micro-kernel")
        var grouped = g
        (grouped.channels, grouped.outChannels, grouped.groups) = (32, 32, 2)
        XCTAssertEqual(grouped.forwardKernel(elementSize: 4), .shifted)
        var fiveByFive = g
        (fiveByFive.kernelH, fiveByFive.kernelW) = (5, 5)
        XCTAssertEqual(fiveByFive.forwardKernel(elementSize: 4), .shifted)
    }

    /// 2e-5·√(9K): the float32 bound of the direct-path tests (see the type's comment).
    private func bound(cin: Int) -> Double { 2e-5 * Double(9 * cin).squareRoot() }


    private func floats(_ values: [Double]) -> [Float] { values.map { Float($0) } }


    /// The output of `body` in a fresh buffer of `count` NaNs (so an unwritten element fails).
    private func run<T: GemmScalar>(_ count: Int, _ body: (UnsafeMutablePointer<T>) throws -> Void) throws -> [T] {
        var out = [T](repeating: .nan, count: count)
        try out.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            try body(base)
        }
        return out
    }
}
