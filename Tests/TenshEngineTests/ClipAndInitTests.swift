import XCTest
@testable import TenshEngine

final class ClipAndInitTests: XCTestCase {
    func testClipGradNormScalesEveryGradientByOneFactor() throws {
        let a = try Tensor([1, 2], shape: [2], dtype: .float64).setRequiresGrad()
        let b = try Tensor([3], shape: [1], dtype: .float64).setRequiresGrad()
        let c = try Tensor([3], shape: [1], dtype: .float64).setRequiresGrad() // no grad: skipped
        a.grad = try Tensor([3, 4], shape: [2], dtype: .float64)
        b.grad = try Tensor([12], shape: [1], dtype: .float64)
        let total = try clipGradNorm([a, b, c], maxNorm: 6.5)
        XCTAssertEqual(try total.item(), 13, accuracy: 1e-12)
        let factor = 6.5 / (13 + 1e-6)
        assertValues(a.grad?.toDoubles() ?? [], [3 * factor, 4 * factor], accuracy: 1e-15)
        assertValues(b.grad?.toDoubles() ?? [], [12 * factor], accuracy: 1e-15)
        XCTAssertNil(c.grad)
        // Below the limit the factor clamps to 1 and the gradients keep their values.
        XCTAssertEqual(try clipGradNorm([a], maxNorm: 100).item(), 5 * factor, accuracy: 1e-12)
        assertValues(a.grad?.toDoubles() ?? [], [3 * factor, 4 * factor], accuracy: 1e-15)
        XCTAssertEqual(try clipGradNorm([a, b], maxNorm: 1, normType: .infinity).item(), 12 * factor, accuracy: 1e-12)
        XCTAssertThrowsError(try clipGradNorm([a], maxNorm: 1, normType: 0))
    }

    func testKaimingUniformAndBiasBounds() throws {
        let w = try kaimingUniform([64, 16, 3, 3], seed: 5)
        let bound = 1 / (16.0 * 9).squareRoot() // a = √5 makes the bound 1/√fan_in, as PyTorch's layers have it
        let values = w.toDoubles()
        XCTAssertTrue(values.allSatisfy { abs($0) <= bound })
        XCTAssertGreaterThan(values.max() ?? 0, bound * 0.95)
        XCTAssertLessThan(values.min() ?? 0, -bound * 0.95)
        XCTAssertEqual(values.reduce(0, +) / Double(values.count), 0, accuracy: bound * 0.05)
        XCTAssertEqual(try kaimingUniform([4, 3], seed: 1).toDoubles(), try kaimingUniform([4, 3], seed: 1).toDoubles())
        let b = try layerBias(10, weightShape: [10, 4], dtype: .float64, seed: 2)
        XCTAssertEqual(b.dtype, .float64)
        XCTAssertTrue(b.toDoubles().allSatisfy { abs($0) <= 0.5 })
        XCTAssertThrowsError(try kaimingUniform([4], seed: 1))
    }
}

/// Asserts two lists of numbers have the same length and agree within `accuracy`.
func assertValues(_ actual: [Double], _ expected: [Double], accuracy: Double,
                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, file: file, line: line) }
}
