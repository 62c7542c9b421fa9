import XCTest
@testable import TenshEngine

final class AutogradCoreTests: XCTestCase {
    func testBroadcastAddAndMulGradients() throws {
        let a = try testTensor([2, 3], seed: 1).setRequiresGrad()
        let b = try testTensor([3], seed: 2).setRequiresGrad()
        let y = try sum(mul(add(a, b), a))
        let g = try grad([y], [a, b])
        // d/da Σ (a+b)·a = 2a + b ; d/db = Σ_rows a
        assertClose(try XCTUnwrap(g[0]), try add(mul(a, Tensor.wrapped(2, dtype: .int64)), b).detached())
        assertClose(try XCTUnwrap(g[1]), try sum(a, dims: [0]).detached())
    }

    func testGradcheckBinaryAndUnaryOps() throws {
        let x = try testTensor([2, 3], seed: 3), y = try add(testTensor([1, 3], seed: 4), Tensor.wrapped(2, dtype: .int64))
        assertGradcheck({ try div(mul($0[0], exp($0[0])), $0[1]) }, [x, y])
        assertGradcheck({ try pow($0[1], $0[0]) }, [x, y])
        assertGradcheck({ try tanh(sin($0[0])) }, [x], second: true)
        assertGradcheck({ try gelu($0[0]) }, [x], second: true)
        assertGradcheck({ try sigmoid($0[0]) }, [x], second: true)
    }

    func testGradcheckDetectsAWrongRule() throws {
        // sign() has no rule, so the analytic gradient of x*sign(x)... is |x|' = sign(x): fine.
        // A function whose analytic gradient ignores a dependency must fail the check.
        let x = try testTensor([3], seed: 5)
        let r = try gradcheck({ try mul($0[0], $0[0].detached()) }, [x])
        XCTAssertFalse(r.passed)
    }

    func testBackwardAccumulatesIntoLeaves() throws {
        let w = try testTensor([4], seed: 6).setRequiresGrad()
        try backward(sum(mul(w, w)))
        try backward(sum(w))
        let expected = try add(mul(w, Tensor.wrapped(2, dtype: .int64)), Tensor.wrapped(1, dtype: .int64)).detached()
        assertClose(try XCTUnwrap(w.grad), expected)
    }

    func testUnusedInputIsAnErrorUnlessAllowed() throws {
        let a = try testTensor([2], seed: 7).setRequiresGrad(), b = try testTensor([2], seed: 8).setRequiresGrad()
        let y = try sum(a)
        XCTAssertThrowsError(try grad([y], [a, b]))
        let g = try grad([y], [a, b], allowUnused: true)
        XCTAssertNil(g[1])
    }

    func testDeepGraphDoesNotOverflowTheStack() throws {
        let x = try testTensor([1], seed: 9).setRequiresGrad()
        var y = x
        for _ in 0..<50_000 { y = try add(y, Tensor.wrapped(1, dtype: .int64)) }
        let g = try XCTUnwrap(try grad(sum(y), x))
        XCTAssertEqual(g.toDoubles(), [1])
    }

    func testUnreferencedGraphIsFreed() throws {
        weak var weakNode: Node?
        weak var weakIntermediate: Tensor?
        do {
            let x = try testTensor([3], seed: 10).setRequiresGrad()
            let h = try exp(x)
            let y = try sum(h)
            weakNode = y.gradFn
            weakIntermediate = h
            XCTAssertNotNil(weakNode)
        }
        XCTAssertNil(weakNode)
        XCTAssertNil(weakIntermediate)
    }

    func testHigherOrderGradient() throws {
        let x = try testTensor([3], seed: 11).setRequiresGrad()
        let y = try sum(mul(mul(x, x), x)) // Σ x³
        let g = try XCTUnwrap(try grad(y, x, createGraph: true)) // 3x²
        let gg = try XCTUnwrap(try grad(sum(g), x)) // 6x
        assertClose(gg, try mul(x, Tensor.wrapped(6, dtype: .int64)).detached())
    }

    func testTypePromotion() throws {
        let f = try ones([2]), d = try ones([2], dtype: .float64), i = try ones([2], dtype: .int64)
        XCTAssertEqual(try add(f, d).dtype, .float64)
        XCTAssertEqual(try add(i, f).dtype, .float32)
        XCTAssertEqual(try add(f, Tensor.wrapped(2.5, dtype: .float64)).dtype, .float32)
        XCTAssertEqual(try add(i, Tensor.wrapped(2.5, dtype: .float64)).dtype, .float32)
        XCTAssertEqual(try add(i, Tensor.wrapped(2, dtype: .int64)).dtype, .int64)
        XCTAssertEqual(try div(i, i).dtype, .float32)
        XCTAssertEqual(try add(f, Tensor(scalar: 1, dtype: .float64)).dtype, .float32)
    }

    func testShapeErrorsAreThrownWithShapes() throws {
        XCTAssertThrowsError(try add(ones([2, 3]), ones([4]))) { e in
            XCTAssertTrue("\(e)".contains("[2, 3]") && "\(e)".contains("[4]"), "\(e)")
        }
        XCTAssertThrowsError(try zeros([-1, 2]))
        XCTAssertThrowsError(try zeros([Int.max, 4]))
        XCTAssertThrowsError(try zeros([1 << 40])) // above the 8 GiB default limit
    }
}
