import XCTest
@testable import TenshEngine

final class PoolingTests: XCTestCase {
    // MARK: PyTorch fixtures

    func testMaxPoolMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "max_pool2d")
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for c in cases {
            try c.check { try maxPool2d(XCTUnwrap($0["x"]), kernelSize: XCTUnwrap(c.ints("kernel_size")), stride: c.ints("stride"),
                                        padding: XCTUnwrap(c.ints("padding")), dilation: XCTUnwrap(c.ints("dilation")),
                                        ceilMode: XCTUnwrap(c.bool("ceil_mode"))) }
        }
    }

    func testAvgPoolMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "avg_pool2d")
        XCTAssertGreaterThanOrEqual(cases.count, 16)
        for c in cases {
            try c.check { try avgPool2d(XCTUnwrap($0["x"]), kernelSize: XCTUnwrap(c.ints("kernel_size")), stride: c.ints("stride"),
                                        padding: XCTUnwrap(c.ints("padding")), ceilMode: XCTUnwrap(c.bool("ceil_mode")),
                                        countIncludePad: XCTUnwrap(c.bool("count_include_pad"))) }
        }
    }

    func testAdaptiveAvgPoolMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "adaptive_avg_pool2d")
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for c in cases {
            try c.check { try adaptiveAvgPool2d(XCTUnwrap($0["x"]), outputSize: XCTUnwrap(c.ints("output_size"))) }
        }
    }

    func testUpsampleMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "upsample")
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for c in cases {
            // Stored as "1.7,2.3": FixtureArg has no list-of-floats case.
            let factors = try XCTUnwrap(c.arg("scale_factor")?.string).split(separator: ",").compactMap { Double(String($0)) }
            XCTAssertFalse(factors.isEmpty, c.name)
            let mode = try XCTUnwrap(c.arg("mode")?.string.flatMap(UpsampleMode.init(rawValue:)))
            try c.check { try upsample(XCTUnwrap($0["x"]), scaleFactor: factors, mode: mode) }
        }
    }

    // MARK: Semantics

    func testMaxPoolIndicesAndPaddingIsNegativeInfinity() throws {
        // All-negative input: zero padding would win; -inf padding must not.
        let x = try Tensor((0..<16).map { -1 - Double($0) }, shape: [1, 1, 4, 4], dtype: .float64)
        let (y, idx) = try maxPool2dWithIndices(x, kernelSize: [3], stride: [2], padding: [1])
        // Each window's largest value is its top-left real element (with zero padding it would be 0).
        XCTAssertEqual(y.toDoubles(), [-1, -2, -5, -6])
        XCTAssertEqual(idx.toInt64s(), [0, 1, 4, 5])
    }

    func testMaxPoolNaNWinsAndStaysLikeTorch() throws {
        // Window 1 holds a NaN followed by a larger number: the NaN must stay the maximum.
        let x = try Tensor([1, 2, .nan, 9, 3, 4, 5, 6], shape: [1, 1, 1, 8], dtype: .float32)
        let (y, idx) = try maxPool2dWithIndices(x, kernelSize: [1, 4])
        XCTAssertEqual(y.toDoubles()[0].isNaN, true)
        XCTAssertEqual(y.toDoubles()[1], 6)
        XCTAssertEqual(idx.toInt64s(), [2, 7])
    }

    func testMaxPoolGradientGoesToTheArgmaxAndAccumulatesOverlaps() throws {
        let x = try Tensor([1, 5, 2, 0, 3, 1, 4, 2, 0], shape: [1, 1, 3, 3], dtype: .float64).setRequiresGrad()
        // Overlapping 2x2 windows with stride 1: the 5 wins twice.
        let y = try maxPool2d(x, kernelSize: [2], stride: [1])
        XCTAssertEqual(y.toDoubles(), [5, 5, 4, 3])
        let g = try XCTUnwrap(grad([sum(y)], [x])[0])
        XCTAssertEqual(g.toDoubles(), [0, 2, 0, 0, 1, 0, 1, 0, 0])
    }

    func testCeilModeDropsAWindowStartingInRightPadding() throws {
        // torch: in=5, k=2, s=2, p=1, ceil → 3 windows, not 4 (the 4th would start in the right padding).
        let x = try testTensor([1, 1, 5, 5], seed: 3)
        XCTAssertEqual(try maxPool2d(x, kernelSize: [2], stride: [2], padding: [1], ceilMode: true).shape, [1, 1, 3, 3])
        XCTAssertEqual(try avgPool2d(x, kernelSize: [2], stride: [2], padding: [1], ceilMode: true).shape, [1, 1, 3, 3])
        XCTAssertEqual(try maxPool2d(x, kernelSize: [2], stride: [2], ceilMode: true).shape, [1, 1, 3, 3])
        XCTAssertEqual(try maxPool2d(x, kernelSize: [2], stride: [2], ceilMode: false).shape, [1, 1, 2, 2])
    }

    func testThreeDimensionalInputKeepsItsRank() throws {
        let x = try testTensor([2, 6, 6], seed: 4)
        XCTAssertEqual(try maxPool2d(x, kernelSize: [2]).shape, [2, 3, 3])
        XCTAssertEqual(try avgPool2d(x, kernelSize: [3]).shape, [2, 2, 2])
        XCTAssertEqual(try adaptiveAvgPool2d(x, outputSize: [4, 5]).shape, [2, 4, 5])
        XCTAssertEqual(try upsample(x, scaleFactor: [1.5], mode: .bilinear).shape, [2, 9, 9])
    }

    func testUpsampleBySizeAndNearestIntegerFactorRepeats() throws {
        let x = try Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2], dtype: .float32)
        let y = try upsample(x, scaleFactor: [2], mode: .nearest)
        XCTAssertEqual(y.toDoubles(), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        XCTAssertEqual(try upsample(x, size: [3, 5], mode: .bilinear).shape, [1, 1, 3, 5])
    }

    // MARK: Errors

    func testInvalidPoolingArgumentsAreClearErrors() throws {
        let x = try testTensor([1, 1, 5, 5], seed: 5)
        assertEngineErrorContains(try maxPool2d(x, kernelSize: [2], stride: [0]), contains: "stride must be positive, got [0, 0]")
        assertEngineErrorContains(try maxPool2d(x, kernelSize: [2], padding: [2]), contains: "padding should be at most half of the kernel size")
        assertEngineErrorContains(try avgPool2d(x, kernelSize: [7]), contains: "too small for kernel_size=[7, 7]")
        assertEngineErrorContains(try maxPool2d(x, kernelSize: [0, 2]), contains: "kernel size must be positive")
        assertEngineErrorContains(try maxPool2d(x, kernelSize: [1, 2, 3]), contains: "kernel_size must be one int or a pair")
        assertEngineErrorContains(try maxPool2d(testTensor([5, 5], seed: 1), kernelSize: [2]), contains: "got shape [5, 5]")
        assertEngineErrorContains(try maxPool2d(x.to(.int64), kernelSize: [2]), contains: "expected a float32 or float64 tensor")
        assertEngineErrorContains(try adaptiveAvgPool2d(x, outputSize: [0, 2]), contains: "output size must be positive")
        assertEngineErrorContains(try upsample(x, scaleFactor: [0]), contains: "scale_factor must be positive")
        assertEngineErrorContains(try upsample(x), contains: "give exactly one of scale_factor and size")
        assertEngineErrorContains(try upsample(x, scaleFactor: [0.1]), contains: "gives an empty output")
        // Absurd sizes are errors, not overflow traps or unbounded allocations.
        assertEngineErrorContains(try maxPool2d(x, kernelSize: [Int.max]), contains: "kernel_size [\(Int.max), \(Int.max)] is too large")
        assertEngineErrorContains(try upsample(x, size: [1 << 40, 1]), contains: "is too large (each side at most")
        assertEngineErrorContains(try upsample(x, scaleFactor: [1e300]), contains: "gives an output too large")
        assertEngineErrorContains(try adaptiveAvgPool2d(x, outputSize: [1 << 25]), contains: "is too large")
        let wide = try zeros([1, 1, 1, 20000], dtype: .float64)
        assertEngineErrorContains(try avgPool2d(wide, kernelSize: [1, 10000], stride: [1]), contains: "overlaps too much")
    }

    // MARK: Gradient checks (float64)

    func testGradcheckPooling() throws {
        let x = try testTensor([2, 2, 5, 6], seed: 11)
        assertGradcheck({ try maxPool2d($0[0], kernelSize: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2], ceilMode: true) }, [x], second: true)
        assertGradcheck({ try avgPool2d($0[0], kernelSize: [3], stride: [2], padding: [1], ceilMode: true, countIncludePad: false) }, [x], second: true)
        assertGradcheck({ try avgPool2d($0[0], kernelSize: [2, 3], stride: [1, 2], padding: [1], ceilMode: false) }, [x])
        assertGradcheck({ try adaptiveAvgPool2d($0[0], outputSize: [3, 4]) }, [x], second: true)
        assertGradcheck({ try upsample($0[0], scaleFactor: [1.7, 2], mode: .bilinear) }, [x], second: true)
        assertGradcheck({ try upsample($0[0], scaleFactor: [1.5], mode: .nearest) }, [x])
    }
}
