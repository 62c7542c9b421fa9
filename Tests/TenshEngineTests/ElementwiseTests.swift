import XCTest
@testable import TenshEngine

/// Gradient checks and edge cases of the existing arithmetic (Arithmetic.swift)
/// and unary (Unary.swift) ops; their values are compared with PyTorch in OpsFixtureTests.
final class ElementwiseTests: XCTestCase {
    func testGradgradcheckActivations() throws {
        let x = try mul(testTensor([3, 4], seed: 1), Tensor.wrapped(3, dtype: .int64))
        for second in [false, true] {
            assertGradcheck({ try tanh($0[0]) }, [x], second: second, "tanh")
            assertGradcheck({ try sigmoid($0[0]) }, [x], second: second, "sigmoid")
            assertGradcheck({ try gelu($0[0]) }, [x], second: second, "gelu")
            assertGradcheck({ try relu($0[0]) }, [x], second: second, "relu")
            assertGradcheck({ try leakyRelu($0[0], negativeSlope: 0.2) }, [x], second: second, "leaky_relu")
        }
    }

    func testGradcheckUnaryOps() throws {
        let x = try testTensor([2, 5], seed: 2)
        let positive = try add(abs(x), Tensor.wrapped(0.3, dtype: .float64))
        assertGradcheck({ try neg($0[0]) }, [x])
        assertGradcheck({ try exp($0[0]) }, [x], second: true)
        assertGradcheck({ try log($0[0]) }, [positive], second: true)
        assertGradcheck({ try sqrt($0[0]) }, [positive], second: true)
        assertGradcheck({ try sin($0[0]) }, [x], second: true)
        assertGradcheck({ try cos($0[0]) }, [x], second: true)
        assertGradcheck({ try abs($0[0]) }, [x])
        assertGradcheck({ try erf($0[0]) }, [x], second: true)
        assertGradcheck({ try clamp($0[0], min: -0.4, max: 0.5) }, [x])
        assertGradcheck({ try clamp($0[0], max: 0.1) }, [x])
    }

    func testGradcheckBroadcastingBinaryOps() throws {
        let a = try testTensor([2, 3], seed: 3), b = try testTensor([3], seed: 4)
        let positive = try add(abs(testTensor([2, 1], seed: 5)), Tensor.wrapped(0.5, dtype: .float64))
        assertGradcheck({ try add($0[0], $0[1]) }, [a, b])
        assertGradcheck({ try sub($0[0], $0[1]) }, [a, b])
        assertGradcheck({ try mul($0[0], $0[1]) }, [a, b], second: true)
        assertGradcheck({ try div($0[0], $0[1]) }, [a, positive], second: true)
        assertGradcheck({ try pow($0[1], $0[0]) }, [a, positive], second: true)
        assertGradcheck({ try maximum($0[0], $0[1]) }, [a, b])
        assertGradcheck({ try minimum($0[0], $0[1]) }, [a, b])
        let cond = try gt(testTensor([2, 3], seed: 6), Tensor.wrapped(0, dtype: .int64))
        assertGradcheck({ try `where`(cond, $0[0], $0[1]) }, [a, b], second: true)
    }

    func testBroadcastingAndPromotionResults() throws {
        let a = try ones([2, 1, 3]), b = try ones([4, 1], dtype: .float64)
        let c = try add(a, b)
        XCTAssertEqual(c.shape, [2, 4, 3]); XCTAssertEqual(c.dtype, .float64)
        XCTAssertEqual(try mul(a, Tensor.wrapped(2.5, dtype: .float64)).dtype, .float32)
        XCTAssertEqual(try div(ones([2], dtype: .int64), ones([2], dtype: .int64)).dtype, .float32)
        XCTAssertEqual(try eq(a, a).dtype, .bool)
        XCTAssertThrowsError(try add(ones([2, 3]), ones([4]))) {
            XCTAssertEqual("\($0)", "add: shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)")
        }
    }

    func testTiesSplitTheGradientOfMaximum() throws {
        let a = try Tensor([1, 2], shape: [2], dtype: .float64).setRequiresGrad()
        let b = try Tensor([1, 3], shape: [2], dtype: .float64).setRequiresGrad()
        let g = try grad([sum(maximum(a, b))], [a, b])
        XCTAssertEqual(g[0]?.toDoubles(), [0.5, 0])
        XCTAssertEqual(g[1]?.toDoubles(), [0.5, 1])
    }
}
