import XCTest
@testable import TenshEngine

final class ReductionTests: XCTestCase {
    func testMaxOverAllElementsSharesTheGradientAmongTies() throws {
        let x = try Tensor([1, 3, 3, 2], shape: [4], dtype: .float64).setRequiresGrad()
        let m = try max(x)
        XCTAssertEqual(try m.item(), 3)
        XCTAssertEqual(m.gradFn?.op, "Max")
        XCTAssertEqual(try XCTUnwrap(try grad(m, x)).toDoubles(), [0, 0.5, 0.5, 0])
        XCTAssertEqual(try XCTUnwrap(try grad(min(x), x)).toDoubles(), [1, 0, 0, 0])
    }

    func testMaxAlongDimSendsTheGradientToTheFirstTie() throws {
        let x = try Tensor([3, 3, 1, 0, 5, 5], shape: [2, 3], dtype: .float64).setRequiresGrad()
        let (v, i) = try max(x, dim: 1)
        XCTAssertEqual(v.toDoubles(), [3, 5])
        XCTAssertEqual(i.toInt64s(), [0, 1])
        XCTAssertEqual(i.dtype, .int64)
        XCTAssertEqual(try XCTUnwrap(try grad(sum(v), x)).toDoubles(), [1, 0, 0, 0, 1, 0])
        let (mv, mi) = try min(x, dim: 0, keepdim: true)
        XCTAssertEqual(mv.shape, [1, 3]); XCTAssertEqual(mi.toInt64s(), [1, 0, 0])
    }

    func testArgExtremesNaNAndIntegers() throws {
        let x = try Tensor([1, .nan, 2, .nan], shape: [4], dtype: .float32)
        XCTAssertTrue(try max(x).item().isNaN)
        XCTAssertEqual(try argmax(x).toInt64s(), [1])
        XCTAssertEqual(try argmin(x).toInt64s(), [1])
        let ints = try Tensor([4, -2, 7, 7], shape: [2, 2], dtype: .int64)
        XCTAssertEqual(try max(ints).toInt64s(), [7])
        XCTAssertEqual(try max(ints).dtype, .int64)
        XCTAssertEqual(try argmax(ints, dim: 1).toInt64s(), [0, 0])
        XCTAssertEqual(try argmin(ints, dim: 0, keepdim: true).shape, [1, 2])
        XCTAssertEqual(try argmax(ints, keepdim: true).shape, [1, 1])
        let flags = try Tensor([0, 1, 1], shape: [3], dtype: .bool)
        XCTAssertEqual(try max(flags, dim: 0).values.dtype, .bool)
        XCTAssertEqual(try argmax(flags).toInt64s(), [1])
    }

    func testZeroDimensionalInputs() throws {
        let s = try Tensor(scalar: 2.5, dtype: .float64).setRequiresGrad()
        XCTAssertEqual(try sum(s, dims: [0]).shape, [])
        XCTAssertEqual(try max(s, dim: -1).indices.toInt64s(), [0])
        XCTAssertEqual(try softmax(s, dim: 0).toDoubles(), [1])
        XCTAssertEqual(try XCTUnwrap(try grad(mean(s, dims: [0]), s)).toDoubles(), [1])
    }

    func testMeanIsItsOwnNode() throws {
        let x = try testTensor([2, 3], seed: 1).setRequiresGrad()
        let m = try mean(x, dims: [1])
        XCTAssertEqual(m.gradFn?.op, "Mean")
        XCTAssertEqual(try XCTUnwrap(try grad(sum(m), x)).toDoubles(), [Double](repeating: 1.0 / 3, count: 6))
        XCTAssertThrowsError(try mean(try ones([2], dtype: .int64))) { XCTAssertTrue("\($0)".contains("floating point")) }
    }

    func testVarianceEdgeCasesAndNormAtZero() throws {
        XCTAssertTrue(try variance(try ones([1])).item().isNaN) // N - 1 = 0, as torch
        XCTAssertEqual(try variance(try Tensor([1, 2, 3, 4], shape: [4]), correction: 0).item(), 1.25, accuracy: 1e-6)
        XCTAssertEqual(try std(try Tensor([1, 2, 3, 4], shape: [4], dtype: .float64)).item(), (5.0 / 3).squareRoot(), accuracy: 1e-12)
        let z = try zeros([3], dtype: .float64).setRequiresGrad()
        XCTAssertEqual(try XCTUnwrap(try grad(norm(z), z)).toDoubles(), [0, 0, 0])
        let v = try Tensor([3, -4], shape: [2], dtype: .float64)
        XCTAssertEqual(try norm(v).item(), 5)
        XCTAssertEqual(try norm(v, p: 1).item(), 7)
        XCTAssertEqual(try norm(v, p: .infinity).item(), 4)
    }

    func testSoftmaxFamilyIsNumericallyStable() throws {
        let big = try Tensor([1000, 1000, -1000], shape: [3], dtype: .float32)
        assertClose(try softmax(big, dim: 0), try Tensor([0.5, 0.5, 0], shape: [3]))
        assertClose(try logSoftmax(big, dim: 0), try Tensor([-0.6931472, -0.6931472, -2000.6931], shape: [3]))
        XCTAssertEqual(try logsumexp(big).item(), 1000 + 0.6931471805599453, accuracy: 1e-3)
        let minusInf = try Tensor([-.infinity, -.infinity], shape: [2], dtype: .float64)
        XCTAssertEqual(try logsumexp(minusInf).item(), -.infinity)
        XCTAssertEqual(try logsumexp(try Tensor([.infinity, 1], shape: [2], dtype: .float64)).item(), .infinity)
        XCTAssertEqual(try softmax(zeros([2, 0]), dim: 1).shape, [2, 0])
        XCTAssertEqual(try logSoftmax(zeros([0, 3]), dim: 1).shape, [0, 3])
        XCTAssertEqual(try logsumexp(zeros([2, 0]), dims: [1]).toDoubles(), [-.infinity, -.infinity])
    }

    func testReductionErrors() throws {
        let x = try zeros([2, 3])
        XCTAssertThrowsError(try sum(x, dims: [2])) { XCTAssertEqual("\($0)", "sum: dimension 2 is out of range for a tensor of rank 2 (expected -2...1)") }
        XCTAssertThrowsError(try amax(x, dims: [1, -1])) { XCTAssertTrue("\($0)".contains("more than once")) }
        XCTAssertThrowsError(try max(try zeros([0]))) { XCTAssertTrue("\($0)".contains("size 0")) }
        XCTAssertThrowsError(try max(try zeros([2, 0]), dim: 1)) { XCTAssertTrue("\($0)".contains("non-zero size")) }
        XCTAssertThrowsError(try softmax(try ones([2], dtype: .int64), dim: 0)) { XCTAssertTrue("\($0)".hasPrefix("softmax: softmax needs a floating point tensor, got i64")) }
        XCTAssertThrowsError(try norm(x, p: 0)) { XCTAssertTrue("\($0)".contains("p must be positive")) }
        XCTAssertThrowsError(try variance(try ones([2], dtype: .int64))) { XCTAssertTrue("\($0)".hasPrefix("var:")) }
        XCTAssertThrowsError(try logSoftmax(x, dim: 5)) { XCTAssertTrue("\($0)".hasPrefix("log_softmax: dimension 5")) }
    }

    func testGradcheckReductions() throws {
        let x = try testTensor([3, 4], seed: 2)
        assertGradcheck({ try sum($0[0], dims: [1], keepdim: true) }, [x])
        assertGradcheck({ try mean($0[0], dims: [0]) }, [x], second: true)
        assertGradcheck({ try max($0[0]) }, [x])
        assertGradcheck({ try min($0[0]) }, [x])
        assertGradcheck({ try max($0[0], dim: 1).values }, [x], second: true)
        assertGradcheck({ try min($0[0], dim: 0, keepdim: true).values }, [x])
        assertGradcheck({ try amax($0[0], dims: [0, 1], keepdim: true) }, [x])
        assertGradcheck({ try amin($0[0], dims: [1]) }, [x])
        assertGradcheck({ try variance($0[0], dims: [1]) }, [x], second: true)
        assertGradcheck({ try variance($0[0], correction: 0) }, [x])
        assertGradcheck({ try std($0[0], dims: [0], keepdim: true) }, [x], second: true)
        assertGradcheck({ try norm($0[0]) }, [x], second: true)
        assertGradcheck({ try norm($0[0], p: 1, dims: [1]) }, [x])
        assertGradcheck({ try norm($0[0], p: .infinity, dims: [0]) }, [x])
        assertGradcheck({ try norm($0[0], p: 3, dims: [1], keepdim: true) }, [x], second: true)
    }

    func testGradgradcheckSoftmaxFamily() throws {
        let x = try testTensor([3, 5], seed: 3)
        for second in [false, true] {
            assertGradcheck({ try softmax($0[0], dim: 1) }, [x], second: second)
            assertGradcheck({ try softmax($0[0], dim: 0) }, [x], second: second)
            assertGradcheck({ try logSoftmax($0[0], dim: -1) }, [x], second: second)
            assertGradcheck({ try logsumexp($0[0], dims: [1]) }, [x], second: second)
            assertGradcheck({ try logsumexp($0[0], dims: [0, 1], keepdim: true) }, [x], second: second)
        }
    }
}
