import XCTest
@testable import TenshEngine

/// Autograd under stress: views of views, detach, repeated backward, higher
/// order through every op family, and very long graphs of several shapes.
final class AutogradRobustnessTests: XCTestCase {
    func testGradientOfViewsOfViews() throws {
        let x = try testTensor([4, 6], seed: 1)
        // permute → narrow → strided slice → unsqueeze → expand → reshape, then a nonlinearity.
        assertGradcheck({ xs in
            let v = try xs[0].permuted([1, 0]).narrowed(0, start: 1, length: 4)
                .indexed([.slice(start: nil, end: nil, step: 2), .all]).unsqueezed(0)
                .expanded([3, 2, 4]).reshaped([6, 4])
            return try mul(v, v)
        }, [x], second: true)
    }

    func testViewGradientLandsOnTheRightElements() throws {
        let x = try testTensor([3, 4], seed: 2).setRequiresGrad()
        let v = try x.transposed(0, 1).indexed([.at(1), .slice(start: 0, end: 3, step: 2)]) // x[0, 1] and x[2, 1]
        let g = try XCTUnwrap(try grad(sum(v), x))
        var expected = [Double](repeating: 0, count: 12)
        expected[1] = 1; expected[9] = 1
        XCTAssertEqual(g.toDoubles(), expected)
    }

    func testDetachedStopsTheGradient() throws {
        let x = try testTensor([3], seed: 3).setRequiresGrad()
        // d/dx Σ x · stop(x) = stop(x), not 2x.
        let g = try XCTUnwrap(try grad(sum(mul(x, x.detached())), x))
        XCTAssertEqual(g.toDoubles(), x.toDoubles())
        XCTAssertFalse(x.detached().requiresGrad)
        XCTAssertNil(x.detached().gradFn)
    }

    func testBackwardTwiceAccumulatesAndGradTwiceRepeats() throws {
        let x = try testTensor([3], seed: 4).setRequiresGrad()
        let y = try sum(exp(x))
        try backward(y)
        try backward(y) // the graph is kept: a second pass adds the same gradient again
        let once = try exp(x.detached())
        assertClose(try XCTUnwrap(x.grad), try mul(once, Tensor.wrapped(2, dtype: .int64)))
        let g1 = try XCTUnwrap(try grad(y, x)), g2 = try XCTUnwrap(try grad(y, x))
        XCTAssertEqual(g1.toDoubles(), g2.toDoubles())
        assertClose(g1, once)
    }

    func testGradgradcheckSpotChecksEveryFamily() throws {
        let a = try testTensor([2, 3], seed: 5), b = try add(testTensor([2, 3], seed: 6), Tensor.wrapped(2, dtype: .int64))
        let m = try testTensor([3, 2], seed: 7), idx = try Tensor([2, 0, 2], shape: [3], dtype: .int64)
        let families: [(String, ([Tensor]) throws -> Tensor)] = [
            ("binary", { try div(mul($0[0], $0[1]), add($0[1], $0[0])) }),
            ("pow", { try pow($0[1], $0[0]) }),
            ("maximum", { try maximum($0[0], mul($0[1], Tensor.wrapped(0.1, dtype: .float64))) }),
            ("unary", { try add(log($0[1]), mul(sqrt($0[1]), erf($0[0]))) }),
            ("activations", { try add(leakyRelu($0[0], negativeSlope: 0.2), mul(sigmoid($0[0]), tanh($0[1]))) }),
            ("where/clamp", { try `where`(gt($0[0], Tensor.wrapped(0, dtype: .int64)), mul($0[0], $0[1]), clamp($0[1], min: 2.2)) }),
            ("reductions", { try add(mean(mul($0[0], $0[0]), dims: [1]), sum(mul($0[0], $0[1]), dims: [1])) }),
            ("spread", { try add(variance($0[0], dims: [1]), mul(std($0[1]), norm($0[0], p: 3))) }),
            ("extremes", { try mul(amax($0[0], dims: [1]), amin($0[1], dims: [1])) }),
            ("softmax", { try mul(softmax($0[0], dim: 1), logSoftmax($0[1], dim: 0)) }),
            ("logsumexp", { try mul(logsumexp($0[0], dims: [1]), $0[1].narrowed(1, start: 0, length: 1).squeezed(1)) }),
            ("matmul", { try matmul($0[0], mul(m, $0[1].T)) }),
            ("join", { try mul(cat([$0[0], $0[1]], dim: 1), flip(stack([$0[1], $0[0]], dim: 1).reshaped([2, 6]), dims: [1])) }),
            ("index_select", { try mul(indexSelect($0[0], dim: 1, index: idx), $0[1]) }),
        ]
        for (name, f) in families {
            assertGradcheck(f, [a, b], second: true, name)
        }
    }

    /// Builds `length` ops with `step`, checks the head is freed (weakly observed)
    /// without overflowing the stack, and that backward through it works.
    private func assertLongChainIsFreed(_ name: String, length: Int, backwardToo: Bool = false,
                                        _ step: (Tensor) throws -> Tensor) throws {
        weak var weakHead: Tensor?
        weak var weakNode: Node?
        try {
            let x = try testTensor([2], seed: 8).setRequiresGrad()
            var y = x
            for _ in 0..<length { y = try step(y) }
            weakHead = y
            weakNode = y.gradFn
            XCTAssertNotNil(weakNode, name)
            if backwardToo {
                let g = try XCTUnwrap(try grad(sum(y), x), name)
                XCTAssertEqual(g.shape, [2], name)
                XCTAssertTrue(g.toDoubles().allSatisfy(\.isFinite), name)
            }
        }()
        XCTAssertNil(weakHead, "\(name): the chain's head is still alive")
        XCTAssertNil(weakNode, "\(name): the chain's node is still alive")
    }

    func testHundredThousandOpChainsOfEveryShapeAreFreed() throws {
        let one = Tensor.wrapped(1e-6, dtype: .float64)
        try assertLongChainIsFreed("add", length: 100_000, backwardToo: true) { try add($0, one) }
        // Closures that capture their input (sin's rule keeps x).
        try assertLongChainIsFreed("sin", length: 100_000) { try sin($0) }
        // Views of views.
        try assertLongChainIsFreed("views", length: 100_000) { try $0.unsqueezed(0).squeezed(0) }
        try assertLongChainIsFreed("reshape", length: 100_000) { try $0.reshaped([1, 2]).reshaped([2]) }
        // Multi-input nodes: cat keeps the whole list of inputs, each used twice.
        try assertLongChainIsFreed("cat", length: 100_000) { try cat([$0, $0]).narrowed(0, start: 1, length: 2) }
        // A tensor used by both operands.
        try assertLongChainIsFreed("mul self", length: 100_000) { try mul($0, $0) }
    }

    func testLongCreateGraphGradientIsFreed() throws {
        weak var weakGrad: Tensor?
        try {
            let x = try testTensor([2], seed: 9).setRequiresGrad()
            var y = x
            for _ in 0..<30_000 { y = try sin(y) }
            let g = try XCTUnwrap(try grad(sum(y), x, createGraph: true))
            XCTAssertNotNil(g.gradFn) // the gradient has its own (long) graph
            weakGrad = g
        }()
        XCTAssertNil(weakGrad)
    }
}
