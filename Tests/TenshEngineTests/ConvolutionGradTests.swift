import XCTest
@testable import TenshEngine

/// Float64 finite-difference checks of every convolution op, and second-order
/// checks (createGraph through the Conv2d / ConvTranspose2d / Conv2dBackwardWeight rules).
final class ConvolutionGradTests: XCTestCase {
    private func t(_ shape: [Int], _ seed: UInt64) throws -> Tensor { try testTensor(shape, seed: seed) }

    func testConv2dGradcheck() throws {
        let configs: [(stride: [Int], padding: ConvPadding, dilation: [Int], groups: Int, mode: PadMode)] = [
            ([1], 1, [1], 1, .constant), ([2, 1], [1, 0, 2, 1], [1, 2], 2, .constant),
            ([2], .same, [1], 1, .reflect), ([1, 2], [1, 2], [2, 1], 1, .replicate), ([3], .same, [1], 2, .circular),
        ]
        for (i, c) in configs.enumerated() {
            assertGradcheck({ try conv2d($0[0], $0[1], bias: $0[2], stride: c.stride, padding: c.padding, dilation: c.dilation,
                                         groups: c.groups, paddingMode: c.mode) },
                            [try t([2, 2, 5, 6], 1), try t([4, 2 / c.groups, 3, 2], 2), try t([4], 3)], "config \(i)")
        }
    }

    func testConv2dGradGradcheck() throws {
        assertGradcheck({ try conv2d($0[0], $0[1], bias: $0[2], stride: [2, 1], padding: [1, 1, 0, 1], dilation: [1, 2]) },
                        [try t([1, 2, 5, 6], 4), try t([3, 2, 2, 2], 5), try t([3], 6)], second: true)
        assertGradcheck({ try conv2d($0[0], $0[1], padding: .same, groups: 2, paddingMode: .reflect) },
                        [try t([1, 4, 4, 4], 7), try t([2, 2, 3, 3], 8)], second: true)
    }

    func testConvTranspose2dGradcheckAndGradGradcheck() throws {
        let f: ([Tensor]) throws -> Tensor = {
            try convTranspose2d($0[0], $0[1], bias: $0[2], stride: [2, 3], padding: [1, 0], outputPadding: [1, 2],
                                groups: 2, dilation: [1, 1])
        }
        let inputs = [try t([1, 4, 3, 3], 9), try t([4, 1, 3, 2], 10), try t([2], 11)]
        assertGradcheck(f, inputs)
        assertGradcheck(f, inputs, second: true)
        // output_padding allowed by dilation (stride 1) as in torch.
        assertGradcheck({ try convTranspose2d($0[0], $0[1], outputPadding: [1], dilation: [2]) },
                        [try t([1, 2, 3, 3], 12), try t([2, 3, 2, 2], 13)], second: true)
    }

    func testConv1dAndTranspose1dGradcheck() throws {
        assertGradcheck({ try conv1d($0[0], $0[1], bias: $0[2], stride: 2, padding: [2, 1], dilation: 2, groups: 2, paddingMode: .reflect) },
                        [try t([2, 2, 8], 14), try t([4, 1, 3], 15), try t([4], 16)])
        assertGradcheck({ try convTranspose1d($0[0], $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1) },
                        [try t([2, 2, 4], 17), try t([2, 3, 3], 18), try t([3], 19)])
    }

    func testDepthwiseGradcheck() throws {
        // Multiplier 1 takes the direct depthwise kernels (forward, transpose, weight gradient).
        assertGradcheck({ try depthwiseConv2d($0[0], $0[1], bias: $0[2], stride: [2, 1], padding: 1, dilation: [1, 2]) },
                        [try t([2, 3, 5, 6], 20), try t([3, 1, 3, 2], 21), try t([3], 22)], second: true)
    }

    /// The direct depthwise kernels (SIMD runs on wide rows, scalar edges, channel
    /// multipliers) against the GEMM path on the equivalent dense weight (zero
    /// except where output channel co reads input channel co / m).
    func testDepthwiseMatchesDenseConvolutionOnWideImages() throws {
        // (width, stride, dilation, pad, multiplier); multiplier 1 with stride 1 takes the
        // gather-only transpose, and widths off the vector size the masked dot-product tails.
        let configs = [(40, 1, 1, 1, 1), (37, 1, 2, 3, 2), (19, 2, 1, 1, 1), (70, 1, 3, 0, 3),
                       (16, 1, 2, 2, 1), (5, 1, 1, 0, 1), (33, 1, 1, 2, 1)]
        for dtype in [DType.float64, .float32] {
            for (i, config) in configs.enumerated() { try checkDepthwise(config, index: i, dtype: dtype) }
        }
    }

    private func checkDepthwise(_ config: (Int, Int, Int, Int, Int), index i: Int, dtype: DType) throws {
        let (width, stride, dilation, pad, m) = config
        let c = 3, cout = 3 * m
        let x = try testTensor([2, c, 9, width], seed: UInt64(30 + i), dtype: dtype).setRequiresGrad()
        let w = try testTensor([cout, 1, 3, 3], seed: UInt64(40 + i), dtype: dtype).setRequiresGrad()
        let b = try testTensor([cout], seed: UInt64(50 + i), dtype: dtype)
        var dense = [Double](repeating: 0, count: cout * c * 9)
        let ws = w.toDoubles()
        for co in 0..<cout { for k in 0..<9 { dense[(co * c + co / m) * 9 + k] = ws[co * 9 + k] } }
        let wd = try Tensor(dense, shape: [cout, c, 3, 3], dtype: dtype).setRequiresGrad()
        let y = try depthwiseConv2d(x, w, bias: b, stride: [1, stride], padding: .explicit([pad]), dilation: [dilation])
        let yd = try conv2d(x, wd, bias: b, stride: [1, stride], padding: .explicit([pad]), dilation: [dilation])
        assertClose(y, yd, "config \(i)")
        let v = try testTensor(y.shape, seed: UInt64(60 + i), dtype: dtype)
        let g = try grad([y], [x, w], gradOutputs: [v]), gd = try grad([yd], [x, wd], gradOutputs: [v])
        guard let gx = g[0], let gw = g[1], let gxd = gd[0], let gwd = gd[1] else { return XCTFail("missing gradients") }
        assertClose(gx, gxd, "config \(i) input grad")
        let all = gwd.toDoubles()
        let used = (0..<cout).flatMap { co in (0..<9).map { all[(co * c + co / m) * 9 + $0] } }
        assertClose(gw, try Tensor(used, shape: [cout, 1, 3, 3], dtype: dtype), "config \(i) weight grad \(dtype)")
    }

    func testUnfoldFoldGradcheck() throws {
        assertGradcheck({ try unfold($0[0], kernelSize: [2, 3], dilation: [1, 2], padding: [1], stride: [2, 1]) },
                        [try t([1, 2, 4, 5], 23)])
        assertGradcheck({ try fold($0[0], outputSize: [4, 5], kernelSize: [2, 3], padding: [1, 0], stride: [1, 2]) },
                        [try t([1, 12, 10], 24)], second: true)
    }

    func testPadGradcheckAllModes() throws {
        for mode in PadMode.allCases {
            assertGradcheck({ try pad($0[0], [2, 1, 1, 2], mode: mode, value: 0.25) }, [try t([1, 2, 3, 4], 25)],
                            second: true, "mode \(mode)")
        }
    }

    /// Gradients skip work for inputs that do not require grad, and still match.
    func testOnlyNeededGradientsAreComputed() throws {
        let x = try t([1, 2, 5, 5], 26)
        let w = try t([3, 2, 3, 3], 27).setRequiresGrad()
        let y = try conv2d(x, w, padding: 1)
        let gw = try grad(try sum(y), w)
        XCTAssertEqual(gw?.shape, [3, 2, 3, 3])
        XCTAssertNil(x.grad)
        XCTAssertThrowsError(try grad([try sum(y)], [x]))
    }
}
