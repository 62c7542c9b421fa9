import XCTest
@testable import TenshEngine

/// The F(2x2, 2x2) phase-plane Winograd (PhaseWinogradConv.swift), float32
/// only, against naive loops in float64 and against the direct path:
/// stride-2 forwards with 3x3, 4x4 and mixed kernels, 5x5 to 7x7 (padded
/// planes) with every padding and 1-5 channels, c1 itself, the 4x4 transpose with
/// output_padding, paddings 0-2 (asymmetric for the forward), odd and tiny
/// sizes (empty phase planes), batches whose blocks span images, several
/// blocks and K blocks (K_ξ > 256), channel counts off the micro-tile, bias, 1-3 threads.
///
/// Error bound: the direct-path float32 tests' 2e-5·√K with K = C·Kh·Kw. The
/// transforms only add and subtract (|V| ≤ 4·max|d|, |U| ≤ 4·max|g|, each output
/// sums 9 M_ξ), so the error grows like that of F(2x2, 3x3), whose tests allow
/// 2e-5·√(9·C) for 36 multiplies per tile where these do at most 64.
final class PhaseWinogradConvTests: XCTestCase {
    func testRandomForwardsAgainstNaiveLoop() throws {
        try checkRandomForwards(seed: 4242, count: 40, inputSeed: 0) { rng, trial in
            let kh = 3 + rng.next(2), kw = trial % 4 == 0 ? 3 + rng.next(2) : kh
            let cin = 16 + rng.next(trial % 5 == 0 ? 60 : 20), cout = 16 + rng.next(trial % 3 == 0 ? 30 : 12)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 6 == 0 ? 40 : 17), w = 1 + rng.next(trial % 7 == 0 ? 45 : 17)
            let top = rng.next(3), left = rng.next(3), bottom = rng.next(3), right = rng.next(3)
            return Self.stride2(n: n, cin: cin, h: h, w: w, cout: cout, kh: kh, kw: kw, pads: (top, left, bottom, right))
        }
    }

    /// Wide kernels (5x5 to 7x7, the padded-plane path): 2 to 4 pieces per axis,
    /// 1-tap pieces, every padding 0 ..< k on each side, few input channels
    /// (the first layers they are chosen for), odd and tiny sizes, runs of
    /// tiles that meet the padded planes' edges.
    func testRandomWideForwardsAgainstNaiveLoop() throws {
        try checkRandomForwards(seed: 4545, count: 60, inputSeed: 100) { rng, trial in
            let kh = 5 + rng.next(3), kw = trial % 3 == 0 ? 5 + rng.next(3) : kh
            let cin = 1 + rng.next(5), cout = 1 + rng.next(trial % 4 == 0 ? 70 : 20)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 5 == 0 ? 70 : 25), w = 1 + rng.next(trial % 6 == 0 ? 75 : 25)
            let top = rng.next(kh), left = rng.next(kw), bottom = rng.next(kh), right = rng.next(kw)
            return Self.stride2(n: n, cin: cin, h: h, w: w, cout: cout, kh: kh, kw: kw, pads: (top, left, bottom, right))
        }
    }

    /// `count` random stride-2 forwards, each geometry from `draw` (nil: no output,
    /// drawn again), at 1-3 threads, against the naive loop at the direct paths' bound.
    private func checkRandomForwards(seed: UInt64, count: Int, inputSeed: UInt64,
                                     _ draw: (inout SplitMix, Int) -> ConvGeometry?) throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: seed)
        var trials = 0
        while trials < count {
            guard let g = draw(&rng, trials) else { continue }
            trials += 1
            EngineConfig.threads = 1 + rng.next(3)
            let (x, wt, b) = convTestInputs(g, seed: inputSeed + UInt64(trials))
            let expected = naiveConvForward(x, wt, b, g)
            let actual = try rawConvForward(Float.self, x, wt, b, g) {
                try convForwardPhaseWinogradKernel($0, $1, $2, $3, g, op: "test")
            }
            XCTAssertLessThan(worstConvError(actual, expected), 2e-5 * Double(g.columnRows).squareRoot(),
                              "\(EngineConfig.threads) threads: \(g)")
        }
    }

    /// The stride-2 geometry with these paddings (top, left, bottom, right), or nil when the kernel does not fit.
    private static func stride2(n: Int, cin: Int, h: Int, w: Int, cout: Int, kh: Int, kw: Int,
                                pads: (top: Int, left: Int, bottom: Int, right: Int)) -> ConvGeometry? {
        let spanH = h + pads.top + pads.bottom - kh, spanW = w + pads.left + pads.right - kw
        guard spanH >= 0, spanW >= 0 else { return nil }
        return ConvGeometry(batch: n, channels: cin, height: h, width: w, outChannels: cout,
                            outHeight: spanH / 2 + 1, outWidth: spanW / 2 + 1, kernelH: kh, kernelW: kw,
                            strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: pads.top, padLeft: pads.left,
                            groups: 1)
    }

    /// c1 itself (7x7 stride 2 padding 3, 3 → 64, 224², with bias) through the dispatch, 1 and 2 threads.
    func testStemGeometry() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let g = BenchGeometry.c1
        XCTAssertEqual(g.forwardKernel(elementSize: 4), .phaseWinograd)
        let (x, wt, b) = convTestInputs(g, seed: 7)
        let expected = naiveConvForward(x, wt, b, g)
        for threads in 1...2 {
            EngineConfig.threads = threads
            let actual = try rawConvForward(Float.self, x, wt, b, g) {
                try convForward($0, $1, $2, $3, g, op: "test")
            }
            XCTAssertLessThan(worstConvError(actual, expected), 2e-5 * Double(g.columnRows).squareRoot(),
                              "\(threads) threads")
        }
    }

    func testRandomTransposesAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        var rng = SplitMix(seed: 4343)
        for trial in 0..<30 {
            // conv_transpose2d of pixels [n, cp, h, w] to an image of (h − 1)·2 − 2p + 4 + op rows.
            let cp = 16 + rng.next(trial % 5 == 0 ? 280 : 20), ci = 16 + rng.next(trial % 3 == 0 ? 30 : 12)
            let n = 1 + rng.next(3), h = 1 + rng.next(trial % 6 == 0 ? 30 : 12), w = 1 + rng.next(trial % 7 == 0 ? 35 : 12)
            let pad = rng.next(3), opH = rng.next(2), opW = rng.next(2)
            let imageH = (h - 1) * 2 - 2 * pad + 4 + opH, imageW = (w - 1) * 2 - 2 * pad + 4 + opW
            guard imageH > 0, imageW > 0 else { continue }
            let g = ConvGeometry(batch: n, channels: ci, height: imageH, width: imageW, outChannels: cp,
                                 outHeight: h, outWidth: w, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2,
                                 dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad, groups: 1)
            EngineConfig.threads = 1 + rng.next(3)
            var values = SplitMix(seed: 500 + UInt64(trial))
            let pixels = randomConvValues(n * cp * h * w, &values), wt = randomConvValues(cp * ci * 16, &values)
            let expected = naiveConvTranspose(pixels, wt, g)
            var image = [Float](repeating: .nan, count: n * ci * g.imagePixels)
            let (pf, wf) = (pixels.map { Float($0) }, wt.map { Float($0) })
            try pf.withUnsafeBufferPointer { p in
                try wf.withUnsafeBufferPointer { wp in
                    try image.withUnsafeMutableBufferPointer { ip in
                        guard let p = p.baseAddress, let wp = wp.baseAddress, let ip = ip.baseAddress else { return }
                        try convTransposePhaseWinogradKernel(p, wp, ip, g, op: "test")
                    }
                }
            }
            XCTAssertLessThan(worstConvError(image.map { Double($0) }, expected), 2e-5 * Double(cp * 16).squareRoot(),
                              "\(EngineConfig.threads) threads: \(g)")
        }
    }

    /// The dispatch: the stride-2 3x3 and 4x4 shapes of c4 and c6 (forward,
    /// c6's transpose and its input gradient) in float32; never float64, and not
    /// the geometries the rule leaves out (few tiles, few channels).
    func testChosenWhereItApplies() {
        let c4 = BenchGeometry.c4
        XCTAssertEqual(c4.forwardKernel(elementSize: 4), .phaseWinograd)
        XCTAssertEqual(c4.forwardKernel(elementSize: 8), c4.forwardKernel)
        XCTAssertNotEqual(c4.transposeKernel(elementSize: 4), .phaseWinograd, "3x3's transpose stays on col2im")
        // c6: conv_transpose2d 128 → 64, 16² → 32² (image side 64 channels, pixel side 128).
        let c6 = BenchGeometry.c6
        XCTAssertEqual(c6.transposeKernel(elementSize: 4), .phaseWinograd)
        XCTAssertEqual(c6.forwardKernel(elementSize: 4), .phaseWinograd, "c6's input gradient")
        XCTAssertEqual(c6.transposeKernel(elementSize: 8), c6.transposeKernel)
        XCTAssertEqual(c6.forwardKernel(elementSize: 8), c6.forwardKernel)
        XCTAssertNotEqual(c6.transposeKernel, .phaseWinograd)
        XCTAssertNotEqual(c6.forwardKernel, .phaseWinograd)
        let left: [(String, (inout ConvGeometry) -> Void)] = [
            ("3x3 with 64 output channels", { $0.outChannels = 64 }),
            ("3x3 with 32 input channels", { $0.channels = 32 }),
            ("few tiles: 7x7 outputs of 2 images", { ($0.batch, $0.height, $0.width, $0.outHeight, $0.outWidth) = (2, 14, 14, 7, 7) }),
            ("8x8", { ($0.kernelH, $0.kernelW) = (8, 8) }),
            ("5x3", { ($0.kernelH, $0.kernelW) = (5, 3) }),
            ("stride (2, 1)", { $0.strideW = 1 }),
            ("stride 3", { ($0.strideH, $0.strideW) = (3, 3) }),
            ("dilation 2", { $0.dilationH = 2 }),
            ("2 groups", { $0.groups = 2 }),
        ]
        for (name, change) in left {
            var g = c4
            change(&g)
            XCTAssertNotEqual(g.forwardKernel(elementSize: 4), .phaseWinograd, name)
        }
        var narrow = c6
        narrow.channels = 16
        XCTAssertNotEqual(narrow.transposeKernel(elementSize: 4), .phaseWinograd, "16 image channels")
        XCTAssertNotEqual(narrow.forwardKernel(elementSize: 4), .phaseWinograd, "16 input channels")
        var small = c6
        (small.batch, small.height, small.width, small.outHeight, small.outWidth) = (4, 16, 16, 8, 8)
        XCTAssertNotEqual(small.transposeKernel(elementSize: 4), .phaseWinograd, "64 tiles per output phase")
    }

    /// The wide-kernel rule: c1, its 5x5 variant and 16+ input channels in float32,
    /// never float64; not 1-channel or 16-output-channel stems, nor few tiles.
    func testWideChosenWhereItApplies() {
        let c1 = BenchGeometry.c1
        XCTAssertEqual(c1.forwardKernel(elementSize: 4), .phaseWinograd)
        XCTAssertEqual(c1.forwardKernel(elementSize: 8), c1.forwardKernel)
        XCTAssertNotEqual(c1.forwardKernel, .phaseWinograd)
        var deeper = c1
        (deeper.batch, deeper.channels, deeper.outChannels, deeper.height, deeper.width) = (8, 16, 32, 64, 64)
        (deeper.outHeight, deeper.outWidth, deeper.kernelH, deeper.kernelW, deeper.padTop, deeper.padLeft) =
            (32, 32, 5, 5, 2, 2)
        XCTAssertEqual(deeper.forwardKernel(elementSize: 4), .phaseWinograd, "16 → 32, 5x5")
        var stem5 = c1
        (stem5.kernelH, stem5.kernelW, stem5.padTop, stem5.padLeft) = (5, 5, 2, 2)
        XCTAssertEqual(stem5.forwardKernel(elementSize: 4), .phaseWinograd, "3 → 64, 5x5")
        let left: [(String, (inout ConvGeometry) -> Void)] = [
            ("1 input channel", { $0.channels = 1 }),
            ("16 output channels", { $0.outChannels = 16 }),
            ("3 → 32 over 256 tiles", {
                ($0.outChannels, $0.height, $0.width, $0.outHeight, $0.outWidth) = (32, 64, 64, 32, 32)
            }),
            ("few tiles: 3 channels at 32²", { ($0.height, $0.width, $0.outHeight, $0.outWidth) = (32, 32, 16, 16) }),
            ("few tiles: 16 channels at 32²", {
                ($0.channels, $0.height, $0.width, $0.outHeight, $0.outWidth) = (16, 32, 32, 16, 16)
            }),
            ("7x3", { ($0.kernelW, $0.padLeft) = (3, 1) }),
            ("stride 1", { ($0.strideH, $0.strideW) = (1, 1) }),
        ]
        for (name, change) in left {
            var g = c1
            change(&g)
            XCTAssertNotEqual(g.forwardKernel(elementSize: 4), .phaseWinograd, name)
        }
    }

    /// The public ops reach it: conv2d and conv_transpose2d in float32 against float64 (with bias).
    /// The public ops reach it (the shapes are asserted to dispatch here): conv2d and
    /// conv_transpose2d with bias and output_padding in float32, against float64.
    func testPublicOpsMatchFloat64() throws {
        var rng = SplitMix(seed: 99)
        func tensors(_ values: [Double], _ shape: [Int]) throws -> (Tensor, Tensor) {
            (try Tensor(values, shape: shape), try Tensor(values, shape: shape, dtype: .float64))
        }
        let conv = ConvGeometry(batch: 4, channels: 64, height: 31, width: 33, outChannels: 128, outHeight: 16,
                                outWidth: 17, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1,
                                dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(conv.forwardKernel(elementSize: 4), .phaseWinograd)
        let (x32, x64) = try tensors(randomConvValues(conv.batch * 64 * 31 * 33, &rng), conv.imageShape)
        let (w32, w64) = try tensors(randomConvValues(128 * 64 * 9, &rng), conv.weightShape)
        let (b32, b64) = try tensors(randomConvValues(128, &rng), [128])
        let y32 = try conv2d(x32, w32, bias: b32, stride: [2], padding: 1)
        let y64 = try conv2d(x64, w64, bias: b64, stride: [2], padding: 1)
        XCTAssertEqual(y32.shape, conv.outShape)
        XCTAssertLessThan(worstConvError(y32.toDoubles(), y64.toDoubles()), 2e-5 * (64.0 * 9).squareRoot())
        // conv_transpose2d 40 → 32 channels, 15x17 → 31x35 (output_padding 1).
        let transpose = ConvGeometry(batch: 4, channels: 32, height: 31, width: 35, outChannels: 40, outHeight: 15,
                                     outWidth: 17, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2, dilationH: 1,
                                     dilationW: 1, padTop: 1, padLeft: 1, groups: 1)
        XCTAssertEqual(transpose.transposeKernel(elementSize: 4), .phaseWinograd)
        let (p32, p64) = try tensors(randomConvValues(4 * 40 * 15 * 17, &rng), transpose.outShape)
        let (t32w, t64w) = try tensors(randomConvValues(40 * 32 * 16, &rng), [40, 32, 4, 4])
        let (c32, c64) = try tensors(randomConvValues(32, &rng), [32])
        let t32 = try convTranspose2d(p32, t32w, bias: c32, stride: [2], padding: [1], outputPadding: [1])
        let t64 = try convTranspose2d(p64, t64w, bias: c64, stride: [2], padding: [1], outputPadding: [1])
        XCTAssertEqual(t32.shape, transpose.imageShape)
        XCTAssertLessThan(worstConvError(t32.toDoubles(), t64.toDoubles()), 2e-5 * (40.0 * 16).squareRoot())
    }

    /// image[n, ci, iy, ix] = Σ pixels[n, co, oy, ox]·w[co, ci, ky, kx] over iy = 2·oy − pad + ky (and x alike).
    private func naiveConvTranspose(_ pixels: [Double], _ w: [Double], _ g: ConvGeometry) -> [Double] {
        var image = [Double](repeating: 0, count: g.batch * g.channels * g.imagePixels)
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let v = pixels[((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox]
                        for ci in 0..<g.channels {
                            for ky in 0..<g.kernelH {
                                let iy = oy * g.strideH - g.padTop + ky
                                guard iy >= 0 && iy < g.height else { continue }
                                for kx in 0..<g.kernelW {
                                    let ix = ox * g.strideW - g.padLeft + kx
                                    guard ix >= 0 && ix < g.width else { continue }
                                    image[((n * g.channels + ci) * g.height + iy) * g.width + ix] +=
                                        v * w[((co * g.channels + ci) * g.kernelH + ky) * g.kernelW + kx]
                                }
                            }
                        }
                    }
                }
            }
        }
        return image
    }
}
