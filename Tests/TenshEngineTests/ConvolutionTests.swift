import XCTest
@testable import TenshEngine

/// The convolution family against PyTorch fixtures (scripts/fixtures/conv.py):
/// outputs and the gradients of every input, float32 and float64, at the default
/// tolerances (f32 1e-5, f64 1e-10; sums here are at most ~40 terms long).
final class ConvolutionTests: XCTestCase {
    func testConvolutionFixtures() throws {
        let cases = try Fixtures.load("conv")
        XCTAssertGreaterThanOrEqual(cases.count, 40)
        for c in cases { try checkCase(c) }
    }

    func testTransposedUnfoldFoldPadFixtures() throws {
        let cases = try Fixtures.load("conv_transpose")
        XCTAssertGreaterThanOrEqual(cases.count, 50)
        for c in cases { try checkCase(c) }
    }

    /// Runs one case: output, then gradients of every float input for the stored grad_output.
    private func checkCase(_ c: FixtureCase) throws {
        var inputs: [String: Tensor] = [:]
        for name in c.inputOrder {
            guard let t = c.inputs[name] else { return XCTFail("\(c.name): missing input \(name)") }
            inputs[name] = try t.tensor().setRequiresGrad()
        }
        let out = try ConvolutionTests.run(c, inputs)
        assertClose(out, try c.output.tensor(), "\(c.name) output")
        guard let gOut = c.gradOutput, let expected = c.grads else { return XCTFail("\(c.name): no gradients") }
        let leaves = c.inputOrder.compactMap { inputs[$0] }
        let grads = try grad([out], leaves, gradOutputs: [try gOut.tensor()])
        for (name, g) in zip(c.inputOrder, grads) {
            guard let e = expected[name], let g else { XCTFail("\(c.name): no gradient for \(name)"); continue }
            assertClose(g, try e.tensor(), "\(c.name) grad \(name)")
        }
    }

    /// Calls the tensh op a fixture case names, with its arguments.
    static func run(_ c: FixtureCase, _ inputs: [String: Tensor]) throws -> Tensor {
        guard let x = inputs["x"] else { throw EngineError.invalid("test", nil, "no x") }
        let w = inputs["w"] ?? x, b = inputs["b"]
        func ints(_ key: String) -> [Int] { c.args[key]?.ints ?? [] }
        func int(_ key: String) -> Int { c.args[key]?.int ?? 0 }
        func padding() -> ConvPadding {
            switch c.args["padding"]?.string {
            case "same": return .same
            case "valid": return .valid
            default: return .explicit(ints("padding"))
            }
        }
        let mode = PadMode(rawValue: c.args["padding_mode"]?.string ?? c.args["mode"]?.string ?? "constant") ?? .constant
        switch c.op {
        case "conv2d":
            return try conv2d(x, w, bias: b, stride: ints("stride"), padding: padding(), dilation: ints("dilation"),
                              groups: int("groups"), paddingMode: mode)
        case "conv1d":
            return try conv1d(x, w, bias: b, stride: int("stride"), padding: padding(), dilation: int("dilation"),
                              groups: int("groups"), paddingMode: mode)
        case "depthwise_conv2d":
            return try depthwiseConv2d(x, w, bias: b, stride: ints("stride"), padding: padding(), dilation: ints("dilation"))
        case "conv_transpose2d":
            return try convTranspose2d(x, w, bias: b, stride: ints("stride"), padding: ints("padding"),
                                       outputPadding: ints("output_padding"), groups: int("groups"), dilation: ints("dilation"))
        case "conv_transpose1d":
            return try convTranspose1d(x, w, bias: b, stride: int("stride"), padding: int("padding"),
                                       outputPadding: int("output_padding"), groups: int("groups"), dilation: int("dilation"))
        case "unfold":
            return try unfold(x, kernelSize: ints("kernel_size"), dilation: ints("dilation"), padding: ints("padding"), stride: ints("stride"))
        case "fold":
            return try fold(x, outputSize: ints("output_size"), kernelSize: ints("kernel_size"), dilation: ints("dilation"),
                            padding: ints("padding"), stride: ints("stride"))
        case "pad":
            return try pad(x, ints("pad"), mode: mode, value: c.args["value"]?.double ?? 0)
        default:
            throw EngineError.invalid("test", nil, "unknown op \(c.op)")
        }
    }

    /// <conv2d(x, w), y> == <x, conv_transpose2d(y, w)> (the transpose is the adjoint) over random configurations.
    func testAdjointIdentity() throws {
        var rng = SplitMix(seed: 42)
        for trial in 0..<24 {
            let groups = [1, 1, 2, 3][rng.next(4)]
            let cin = groups * (1 + rng.next(2)), cout = groups * (1 + rng.next(3))
            let kh = 1 + rng.next(3), kw = 1 + rng.next(3), s = [1 + rng.next(3), 1 + rng.next(2)]
            let d = [1 + rng.next(2), 1 + rng.next(2)], p = [rng.next(2), rng.next(2)]
            let h = 6 + rng.next(5), wd = 6 + rng.next(5)
            let x = try testTensor([2, cin, h, wd], seed: UInt64(trial * 3 + 1))
            let w = try testTensor([cout, cin / groups, kh, kw], seed: UInt64(trial * 3 + 2))
            let y0 = try conv2d(x, w, stride: s, padding: .explicit(p), dilation: d, groups: groups)
            let y = try testTensor(y0.shape, seed: UInt64(trial * 3 + 3))
            let (ho, wo) = (y0.shape[2], y0.shape[3])
            let op = [h - ((ho - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + 1), wd - ((wo - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + 1)]
            let xt = try convTranspose2d(y, w, stride: s, padding: p, outputPadding: op, groups: groups, dilation: d)
            XCTAssertEqual(xt.shape, x.shape)
            let lhs = try sum(mul(y0, y)).item(), rhs = try sum(mul(x, xt)).item()
            XCTAssertEqual(lhs, rhs, accuracy: 1e-10 * max(1, abs(lhs)), "trial \(trial)")
        }
    }

    func testConvIsOneGraphNodeWithAttributes() throws {
        let x = try testTensor([1, 2, 5, 5], seed: 1).setRequiresGrad()
        let w = try testTensor([3, 2, 3, 3], seed: 2).setRequiresGrad()
        let y = try conv2d(x, w, stride: [2], padding: 1)
        XCTAssertEqual(y.gradFn?.op, "Conv2d")
        XCTAssertEqual(y.gradFn?.inputs.count, 2)
        XCTAssertEqual(y.gradFn?.attributes.first { $0.name == "stride" }?.value, "[2, 2]")
        let t = try convTranspose2d(y, w, stride: [2], padding: [1])
        XCTAssertEqual(t.gradFn?.op, "ConvTranspose2d")
    }

    func testStridedInputsAndEmptyBatch() throws {
        // A broadcast (stride-0) batch gives the same result as its contiguous copy.
        let base = try testTensor([1, 2, 6, 5], seed: 8)
        let w = try testTensor([3, 2, 2, 3], seed: 9)
        let expanded = try base.expanded([3, 2, 6, 5])
        XCTAssertFalse(expanded.isContiguous)
        assertClose(try conv2d(expanded, w, padding: 1), try conv2d(try expanded.contiguous().cloned(), w, padding: 1))
        let empty = try conv2d(try zeros([0, 2, 6, 5], dtype: .float64), w, stride: [2])
        XCTAssertEqual(empty.shape, [0, 3, 3, 2])
        let emptyT = try convTranspose2d(try zeros([0, 3, 3, 2], dtype: .float64), w, stride: [2])
        XCTAssertEqual(emptyT.shape, [0, 2, 6, 5]) // (3−1)·2 + 2, (2−1)·2 + 3
    }

    /// One small image with many output channels: the forward splits output
    /// channels, the weight gradient's GEMM spreads over threads; results must not
    /// depend on the thread count.
    func testOutputChannelSplitMatchesSingleThread() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let x = try testTensor([1, 20, 5, 6], seed: 14), w = try testTensor([70, 20, 3, 3], seed: 15)
        let b = try testTensor([70], seed: 16)
        let pointwise = try testTensor([70, 20, 1, 1], seed: 17)
        let v = try testTensor([1, 70, 5, 6], seed: 18)
        func weightGrad() throws -> Tensor? {
            let wl = try w.detached().setRequiresGrad()
            return try grad([try conv2d(x, wl, padding: 1)], [wl], gradOutputs: [v])[0]
        }
        EngineConfig.threads = 1
        let reference = try conv2d(x, w, bias: b, padding: 1), pointwiseReference = try conv2d(x, pointwise)
        guard let gwReference = try weightGrad() else { return XCTFail("no weight gradient") }
        for threads in [2, 3, 8] {
            EngineConfig.threads = threads
            assertClose(try conv2d(x, w, bias: b, padding: 1), reference, "threads \(threads)")
            assertClose(try conv2d(x, pointwise), pointwiseReference, "1x1, threads \(threads)")
            guard let gw = try weightGrad() else { return XCTFail("no weight gradient") }
            assertClose(gw, gwReference, "weight gradient, threads \(threads)")
        }
    }

    func testUnbatchedInputs() throws {
        let x = try testTensor([2, 6, 5], seed: 10), w = try testTensor([3, 2, 3, 3], seed: 11)
        let y = try conv2d(x, w, padding: 1)
        XCTAssertEqual(y.shape, [3, 6, 5])
        assertClose(y, try conv2d(try x.reshaped([1, 2, 6, 5]), w, padding: 1).reshaped([3, 6, 5]))
        XCTAssertEqual(try convTranspose2d(y, w, padding: [1]).shape, [2, 6, 5])
        let seq = try testTensor([2, 7], seed: 12)
        XCTAssertEqual(try conv1d(seq, try testTensor([4, 2, 3], seed: 13)).shape, [4, 5])
    }

    func testPadIntegerAndBoolTensors() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .int64)
        let p = try pad(x, [1, 0, 0, 1], mode: .constant, value: 9)
        XCTAssertEqual(p.dtype, .int64)
        XCTAssertEqual(p.toInt64s(), [9, 1, 2, 3, 9, 4, 5, 6, 9, 9, 9, 9])
        let r = try pad(x, [2, 1], mode: .reflect)
        XCTAssertEqual(r.toInt64s(), [3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5])
        let b = try pad(try Tensor([1, 0], shape: [2], dtype: .bool), [1, 1], mode: .circular)
        XCTAssertEqual(b.toDoubles(), [0, 1, 0, 1])
    }

    func testSamePaddingKeepsCeilSizeForAnyStride() throws {
        let x = try testTensor([1, 1, 7, 8], seed: 3)
        let w = try testTensor([1, 1, 3, 2], seed: 4)
        for s in 1...3 {
            let y = try conv2d(x, w, stride: [s], padding: .same)
            XCTAssertEqual(y.shape, [1, 1, (7 + s - 1) / s, (8 + s - 1) / s])
        }
    }

    /// Images spanning many column tiles and channel blocks, on several thread
    /// counts: the forward against a direct sum; the input and weight gradients
    /// through <conv(x, w), y> = <x, ∂x> = <w, ∂w> (both are linear maps).
    func testMultiTileConvolutionAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let (n, cin, h, wd, cout, groups) = (3, 128, 40, 36, 6, 2)
        let (cg, og, ho, wo) = (cin / groups, cout / groups, 20, 18)
        let x = try testTensor([n, cin, h, wd], seed: 5).setRequiresGrad()
        let w = try testTensor([cout, cg, 3, 3], seed: 6).setRequiresGrad()
        let xs = x.toDoubles(), ws = w.toDoubles()
        let geometry = ConvGeometry(batch: n, channels: cin, height: h, width: wd, outChannels: cout, outHeight: ho,
                                    outWidth: wo, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, dilationH: 1,
                                    dilationW: 1, padTop: 1, padLeft: 1, groups: groups)
        XCTAssertLessThan(geometry.pixelTile(elementSize: 8), ho * wo, "the image must span several column tiles")
        for threads in [1, 2, 8] {
            EngineConfig.threads = threads
            let y = try conv2d(x, w, stride: [2], padding: 1, groups: groups)
            XCTAssertEqual(y.shape, [n, cout, ho, wo])
            let ys = y.toDoubles()
            var worst = 0.0
            for b in 0..<n { for co in 0..<cout { for oy in 0..<ho { for ox in 0..<wo {
                var s = 0.0
                for ci in 0..<cg { for ky in 0..<3 { for kx in 0..<3 {
                    let iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx
                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                    s += ws[((co * cg + ci) * 3 + ky) * 3 + kx] * xs[((b * cin + (co / og) * cg + ci) * h + iy) * wd + ix]
                } } }
                worst = max(worst, abs(s - ys[((b * cout + co) * ho + oy) * wo + ox]))
            } } } }
            XCTAssertLessThan(worst, 1e-10, "threads \(threads)")
            let v = try testTensor(y.shape, seed: 7)
            let grads = try grad([y], [x, w], gradOutputs: [v])
            let lhs = try sum(mul(y, v)).item()
            guard let gx = grads[0], let gw = grads[1] else { return XCTFail("missing gradients") }
            XCTAssertEqual(try sum(mul(x, gx)).item(), lhs, accuracy: 1e-9 * max(1, abs(lhs)))
            XCTAssertEqual(try sum(mul(w, gw)).item(), lhs, accuracy: 1e-9 * max(1, abs(lhs)))
        }
    }

    /// A 1x1 convolution whose 210-pixel images span two column tiles of unequal
    /// size (the pointwise forward and weight gradient split pixels into tiles
    /// of equal size, in multiples of 32): forward and weight gradient against
    /// direct sums at 1, 2 and 3 threads.
    func testPointwiseMultiTileAgainstDirectSums() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        let (n, cin, h, wd, cout) = (3, 640, 15, 14, 12)
        let pixels = h * wd
        let x = try testTensor([n, cin, h, wd], seed: 11).setRequiresGrad()
        let w = try testTensor([cout, cin, 1, 1], seed: 12).setRequiresGrad()
        let v = try testTensor([n, cout, h, wd], seed: 13)
        let xs = x.toDoubles(), ws = w.toDoubles(), vs = v.toDoubles()
        let geometry = ConvGeometry(batch: n, channels: cin, height: h, width: wd, outChannels: cout, outHeight: h,
                                    outWidth: wd, kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, dilationH: 1,
                                    dilationW: 1, padTop: 0, padLeft: 0, groups: 1)
        let largest = geometry.pixelTile(elementSize: 8)
        XCTAssertLessThan(largest, pixels, "the image must span several column tiles")
        XCTAssertNotEqual(pixels % largest, 0, "the last tile must be short")
        for threads in [1, 2, 3] {
            EngineConfig.threads = threads
            let y = try conv2d(x, w)
            let ys = y.toDoubles()
            var worst = 0.0
            for b in 0..<n { for co in 0..<cout { for p in 0..<pixels {
                var s = 0.0
                for ci in 0..<cin { s += ws[co * cin + ci] * xs[(b * cin + ci) * pixels + p] }
                worst = max(worst, abs(s - ys[(b * cout + co) * pixels + p]))
            } } }
            XCTAssertLessThan(worst, 1e-10, "forward, threads \(threads)")
            guard let gw = try grad([y], [w], gradOutputs: [v])[0] else { return XCTFail("missing weight gradient") }
            let gws = gw.toDoubles()
            worst = 0
            for co in 0..<cout { for ci in 0..<cin {
                var s = 0.0
                for b in 0..<n { for p in 0..<pixels { s += vs[(b * cout + co) * pixels + p] * xs[(b * cin + ci) * pixels + p] } }
                worst = max(worst, abs(s - gws[co * cin + ci]))
            } }
            XCTAssertLessThan(worst, 1e-10, "weight gradient, threads \(threads)")
        }
    }}

/// A small deterministic generator for test configurations.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
