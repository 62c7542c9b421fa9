import XCTest
@testable import TenshEngine

/// The direct shallow forward (ShallowConv.swift, first layers with K < 16 and
/// horizontal stride 1) against a naive loop and against the im2col GEMM path
/// it replaced: odd sizes, widths below and above one SIMD vector, padding 0-3
/// (asymmetric), vertical strides 1-2, dilation, groups, batches of 1 to 4
/// (single images split into row bands), 1-4 input channels, output channels
/// off the 8-row panel, 1-3 threads, float32 and float64.
final class ShallowConvTests: XCTestCase {
    private struct Case {
        let geometry: ConvGeometry
        let threads: Int
    }

    /// Random geometries with K < 16; every one must choose the shallow kernel (grouped
    /// ones have 2+ channels per group: one would be depthwise).
    private func randomCases(count: Int, seed: UInt64) -> [Case] {
        var rng = SplitMix(seed: seed), cases: [Case] = []
        while cases.count < count {
            let trial = cases.count
            let groups = trial % 5 == 4 ? 2 : 1, cg = groups == 2 ? 2 + rng.next(3) : 1 + rng.next(4), og = 1 + rng.next(trial % 3 == 0 ? 40 : 17)
            let kh = 1 + rng.next(3), kw = 1 + rng.next(3), dh = 1 + rng.next(2), dw = 1 + rng.next(2)
            let top = rng.next(4), bottom = rng.next(4), left = rng.next(4), right = rng.next(4)
            let h = 1 + rng.next(trial % 4 == 0 ? 40 : 13), wd = 1 + rng.next(trial % 4 == 1 ? 70 : 21)
            let sh = 1 + rng.next(2)
            let spanH = h + top + bottom - dh * (kh - 1), spanW = wd + left + right - dw * (kw - 1)
            guard cg * kh * kw < 16, spanH > 0, spanW > 0 else { continue }
            let g = ConvGeometry(batch: 1 + rng.next(4), channels: groups * cg, height: h, width: wd,
                                 outChannels: groups * og, outHeight: (spanH - 1) / sh + 1, outWidth: spanW,
                                 kernelH: kh, kernelW: kw, strideH: sh, strideW: 1, dilationH: dh, dilationW: dw,
                                 padTop: top, padLeft: left, groups: groups)
            if g.isPointwise || g.batch * g.groups * g.outHeight < 16 { continue }
            cases.append(Case(geometry: g, threads: 1 + rng.next(3)))
        }
        return cases
    }

    func testRandomGeometriesAgainstNaiveLoopFloat64() throws {
        for (index, c) in randomCases(count: 60, seed: 71).enumerated() {
            XCTAssertEqual(c.geometry.forwardKernel, .shallow, "case \(index): \(c.geometry)")
            let (actual, expected) = try run(Double.self, c, seed: UInt64(index))
            XCTAssertLessThan(worstConvError(actual, expected), 1e-11, "case \(index), \(c.threads) threads: \(c.geometry)")
        }
    }

    func testRandomGeometriesAgainstNaiveLoopFloat32() throws {
        for (index, c) in randomCases(count: 60, seed: 72).enumerated() {
            XCTAssertEqual(c.geometry.forwardKernel, .shallow, "case \(index): \(c.geometry)")
            let (actual, expected) = try run(Float.self, c, seed: UInt64(index))
            let tolerance = 2e-5 * Double(c.geometry.columnRows).squareRoot()
            XCTAssertLessThan(worstConvError(actual, expected), tolerance, "case \(index), \(c.threads) threads: \(c.geometry)")
        }
    }

    /// The same sums as the im2col GEMM path that ran these shapes before (c8's shape,
    /// a single image split into row bands, a narrow one), in both dtypes.
    func testMatchesTheIm2colPath() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let shapes: [ConvGeometry] = [
            geometry(n: 6, c: 1, co: 32, h: 28, w: 28, k: 3, pad: 1),
            geometry(n: 1, c: 3, co: 19, h: 37, w: 45, k: 2, pad: 0),
            geometry(n: 3, c: 1, co: 9, h: 11, w: 5, k: 3, pad: 2),
        ]
        for (index, g) in shapes.enumerated() {
            XCTAssertEqual(g.forwardKernel, .shallow)
            for threads in 1...3 {
                EngineConfig.threads = threads
                let (d, dIm2col) = try bothPaths(Double.self, g, seed: UInt64(index))
                XCTAssertLessThan(worstConvError(d, dIm2col), 1e-12, "float64 case \(index), \(threads) threads")
                let (f, fIm2col) = try bothPaths(Float.self, g, seed: UInt64(index))
                XCTAssertLessThan(worstConvError(f, fIm2col), 2e-5 * Double(g.columnRows).squareRoot(),
                                  "float32 case \(index), \(threads) threads")
            }
        }
    }

    /// Through conv2d and autograd: the forward is the shallow kernel, and the
    /// gradients (other kernels) still agree with the naive loop's.
    func testConv2dTakesTheShallowKernel() throws {
        let g = geometry(n: 5, c: 1, co: 12, h: 9, w: 17, k: 3, pad: 1)
        XCTAssertEqual(g.forwardKernel, .shallow)
        let x = try testTensor(g.imageShape, seed: 1), w = try testTensor(g.weightShape, seed: 2)
        let b = try testTensor([g.outChannels], seed: 3)
        let y = try conv2d(x, w, bias: b, padding: .explicit([1, 1]))
        let expected = naiveConvForward(x.toDoubles(), w.toDoubles(), b.toDoubles(), g)
        XCTAssertLessThan(worstConvError(y.toDoubles(), expected), 1e-12)
    }

    /// Which kernel runs: horizontal stride 2, 1x1 and K ≥ 16 stay on their own paths.
    func testKernelChoice() {
        let g = geometry(n: 2, c: 1, co: 32, h: 28, w: 28, k: 3, pad: 1)
        XCTAssertEqual(g.forwardKernel, .shallow, "c8: K = 9")
        var strided = g
        (strided.strideW, strided.outWidth) = (2, 14)
        XCTAssertEqual(strided.forwardKernel, .im2col, "horizontal stride 2 gathers")
        var tall = g
        (tall.strideH, tall.outHeight) = (2, 14)
        XCTAssertEqual(tall.forwardKernel, .shallow, "vertical stride only skips rows")
        var pointwise = g
        (pointwise.kernelH, pointwise.kernelW, pointwise.padTop, pointwise.padLeft) = (1, 1, 0, 0)
        XCTAssertEqual(pointwise.forwardKernel, .pointwise)
        var oneRow = g // conv1d-like: one long row on one image splits better into im2col pixel tiles
        (oneRow.batch, oneRow.height, oneRow.outHeight, oneRow.kernelH, oneRow.padTop) = (1, 1, 1, 1, 0)
        XCTAssertEqual(oneRow.forwardKernel, .im2col)
        oneRow.batch = 16
        XCTAssertEqual(oneRow.forwardKernel, .shallow)
        var deep = g
        deep.channels = 2
        XCTAssertEqual(deep.forwardKernel, .shifted, "K = 18")
    }

    // MARK: - Helpers

    private func geometry(n: Int, c: Int, co: Int, h: Int, w: Int, k: Int, pad: Int) -> ConvGeometry {
        ConvGeometry(batch: n, channels: c, height: h, width: w, outChannels: co, outHeight: h + 2 * pad - k + 1,
                     outWidth: w + 2 * pad - k + 1, kernelH: k, kernelW: k, strideH: 1, strideW: 1,
                     dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad, groups: 1)
    }

    /// (the kernel's output through `convForward` on `threads`, the naive loop's).
    private func run<T: GemmScalar>(_: T.Type, _ c: Case, seed: UInt64) throws -> ([Double], [Double]) {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        EngineConfig.threads = c.threads
        let g = c.geometry, (x, w, b) = convTestInputs(g, seed: seed)
        let expected = naiveConvForward(x, w, b, g)
        let actual = try rawConvForward(T.self, x, w, b, g) { xp, wp, bp, op in
            try convForward(xp, wp, bp, op, g, op: "test")
        }
        return (actual, expected)
    }

    /// (shallow kernel, im2col GEMM kernel) on the same inputs.
    private func bothPaths<T: GemmScalar>(_: T.Type, _ g: ConvGeometry, seed: UInt64) throws -> ([Double], [Double]) {
        let (x, w, b) = convTestInputs(g, seed: seed)
        let shallow = try rawConvForward(T.self, x, w, b, g) { xp, wp, bp, op in
            try convForwardShallowKernel(xp, wp, bp, op, g, op: "test")
        }
        let im2col = try rawConvForward(T.self, x, w, b, g) { xp, wp, bp, op in
            try convForwardIm2colKernel(xp, wp, bp, op, g, pointwise: false, op: "test")
        }
        return (shallow, im2col)
    }
}

// MARK: - Shared by the convolution kernel tests

/// `count` values in [-1, 1], multiples of 1/1000 (exact sums in float64 for short reductions).
func randomConvValues(_ count: Int, _ rng: inout SplitMix) -> [Double] {
    (0..<count).map { _ in Double(rng.next(2001)) / 1000 - 1 }
}

func convTestInputs(_ g: ConvGeometry, seed: UInt64) -> (x: [Double], w: [Double], b: [Double]) {
    var rng = SplitMix(seed: 900 + seed)
    let x = randomConvValues(g.batch * g.channels * g.imagePixels, &rng)
    let w = randomConvValues(g.outChannels * g.columnRows, &rng)
    return (x, w, randomConvValues(g.outChannels, &rng))
}

func rawConvForward<T: GemmScalar>(
    _: T.Type, _ x: [Double], _ w: [Double], _ b: [Double], _ g: ConvGeometry,
    _ body: (UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) throws -> Void
) throws -> [Double] {
    let xs = x.map { T($0) }, ws = w.map { T($0) }, bs = b.map { T($0) }
    var out = [T](repeating: T(Double.nan), count: g.batch * g.outChannels * g.outPixels)
    try xs.withUnsafeBufferPointer { xp in
        try ws.withUnsafeBufferPointer { wp in
            try bs.withUnsafeBufferPointer { bp in
                try out.withUnsafeMutableBufferPointer { op in
                    guard let xb = xp.baseAddress, let wb = wp.baseAddress, let bb = bp.baseAddress,
                          let ob = op.baseAddress else { return XCTFail("empty buffer") }
                    try body(xb, wb, bb, ob)
                }
            }
        }
    }
    return out.map { Double($0) }
}

/// Calls visit(output index, weight index, image index) for every output pixel
/// and kernel tap of `g` that lands inside the image, in the order n, co, oy,
/// ox, ci, ky, kx: the one loop nest of the naive forward, transpose and weight gradient.
func forEachConvTap(_ g: ConvGeometry, _ visit: (_ out: Int, _ weight: Int, _ image: Int) -> Void) {
    let cg = g.channelsPerGroup, og = g.outChannelsPerGroup
    for n in 0..<g.batch { for co in 0..<g.outChannels { for oy in 0..<g.outHeight { for ox in 0..<g.outWidth {
        let out = ((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox
        for ci in 0..<cg { for ky in 0..<g.kernelH { for kx in 0..<g.kernelW {
            let iy = oy * g.strideH - g.padTop + ky * g.dilationH, ix = ox * g.strideW - g.padLeft + kx * g.dilationW
            guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
            let channel = (co / og) * cg + ci
            visit(out, ((co * cg + ci) * g.kernelH + ky) * g.kernelW + kx,
                  ((n * g.channels + channel) * g.height + iy) * g.width + ix)
        } } }
    } } } }
}

/// y[n, co, oy, ox] = b[co] + Σ w[co, ci, ky, kx] · x[n, group channel ci, iy, ix], zero outside.
func naiveConvForward(_ x: [Double], _ w: [Double], _ b: [Double], _ g: ConvGeometry) -> [Double] {
    var out = (0..<(g.batch * g.outChannels * g.outPixels)).map { b[$0 / g.outPixels % g.outChannels] }
    forEachConvTap(g) { o, wi, xi in out[o] += w[wi] * x[xi] }
    return out
}

func worstConvError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for i in 0..<a.count {
        let d = abs(a[i] - b[i])
        if d.isNaN { return .infinity } // an output never written
        worst = max(worst, d)
    }
    return worst
}

/// The implicit-GEMM forward's direct panels (ShiftedConv.swift): with one K block,
/// whole 8-channel panels whose 32 (float32) or 16 (float64) grid pixels lie in one
/// output row are written by the micro-kernel straight into the output, the rest
/// go through the scratch tile. Rows wide enough for both kinds, channel counts
/// with a partial last panel, bias, strides 1 and 2, one and several images, 1-3
/// threads, both dtypes, against the naive loop.
final class ShiftedDirectPanelTests: XCTestCase {
    func testDirectPanelsAgainstNaiveLoop() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let shapes: [(n: Int, c: Int, co: Int, h: Int, w: Int, k: Int, s: Int, pad: Int)] = [
            (1, 3, 20, 45, 77, 7, 2, 3), (2, 4, 17, 9, 70, 3, 1, 1), (3, 2, 8, 6, 41, 5, 1, 2), (1, 16, 24, 7, 35, 1, 2, 0),
        ]
        for (index, t) in shapes.enumerated() {
            let ho = (t.h + 2 * t.pad - t.k) / t.s + 1, wo = (t.w + 2 * t.pad - t.k) / t.s + 1
            let g = ConvGeometry(batch: t.n, channels: t.c, height: t.h, width: t.w, outChannels: t.co, outHeight: ho,
                                 outWidth: wo, kernelH: t.k, kernelW: t.k, strideH: t.s, strideW: t.s,
                                 dilationH: 1, dilationW: 1, padTop: t.pad, padLeft: t.pad, groups: 1)
            // Called directly: the strided shapes dispatch to the gathered kernel.
            XCTAssertTrue(g.fitsShiftedForward, "case \(index)")
            XCTAssertLessThanOrEqual(g.columnRows, GemmBlocking.kc, "one K block: direct panels apply")
            let (x, w, b) = convTestInputs(g, seed: UInt64(index))
            let expected = naiveConvForward(x, w, b, g)
            for threads in 1...3 {
                EngineConfig.threads = threads
                let d = try rawConvForward(Double.self, x, w, b, g) { try convForwardShiftedKernel($0, $1, $2, $3, g, op: "test") }
                XCTAssertLessThan(worstConvError(d, expected), 1e-11, "float64 case \(index), \(threads) threads")
                let f = try rawConvForward(Float.self, x, w, b, g) { try convForwardShiftedKernel($0, $1, $2, $3, g, op: "test") }
                XCTAssertLessThan(worstConvError(f, expected), 2e-5 * Double(g.columnRows).squareRoot(),
                                  "float32 case \(index), \(threads) threads")
            }
        }
    }
}
