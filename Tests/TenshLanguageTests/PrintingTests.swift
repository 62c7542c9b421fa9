import XCTest
import TenshEngine
@testable import TenshLanguage

/// Tensor printing against PyTorch's repr (Fixtures/repr.json, from
/// scripts/fixtures/repr.py) and Python's float repr.
final class PrintingTests: XCTestCase {
    func testEveryTensorCaseMatchesTorchRepr() throws {
        let fixtures = try ReprFixtures.load()
        XCTAssertGreaterThanOrEqual(fixtures.tensors.count, 150)
        var failures = 0
        for c in fixtures.tensors {
            let t = try c.makeTensor()
            let actual = TensorRepr.repr(t, options: c.options?.printOptions ?? PrintOptions())
            if actual != c.expected {
                failures += 1
                XCTFail("\(c.name): \(ReprFixtures.firstDifference(actual, c.expected))\n--- expected\n\(c.expected)\n--- actual\n\(actual)")
            }
        }
        XCTAssertEqual(failures, 0, "\(failures) of \(fixtures.tensors.count) cases differ")
    }

    func testNumbersMatchPythonRepr() throws {
        let fixtures = try ReprFixtures.load()
        XCTAssertGreaterThanOrEqual(fixtures.numbers.count, 100)
        for c in fixtures.numbers {
            if let bits = c.bits {
                let pattern = try XCTUnwrap(UInt64(bits))
                let v = Double(bitPattern: pattern)
                XCTAssertEqual(NumberRepr.format(v), c.expected, "repr of bits \(bits)")
            } else {
                let i = try XCTUnwrap(Int(c.int ?? ""))
                XCTAssertEqual(NumberRepr.format(i), c.expected)
            }
        }
    }

    /// A broadcast view (stride 0) and a sliced-looking offset view print as
    /// their contiguous copies: the layout walk honours strides and offset.
    func testViewsPrintLikeTheirCopies() throws {
        let row = try Tensor([1.5, -2.25, 3], shape: [3], dtype: .float64)
        let view = try row.expanded([4, 3])
        XCTAssertEqual(view.strides, [0, 1])
        XCTAssertEqual(TensorRepr.repr(view), TensorRepr.repr(try view.cloned()))
        let big = try row.expanded([500, 3]) // 1500 elements: summarised
        XCTAssertEqual(TensorRepr.repr(big), TensorRepr.repr(try big.cloned()))
    }

    /// A huge tensor prints from its edges only, in its own summarised form.
    func testHugeTensorPrintsSummarised() throws {
        let t = try zeros([2000, 2000])
        let text = TensorRepr.repr(t)
        XCTAssertEqual(text.split(separator: "\n").count, 7)
        XCTAssertTrue(text.hasPrefix("tensor([[0., 0., 0.,  ..., 0., 0., 0.],"))
    }

    /// torch measures a one-line repr as its length + 2 (`len - rfind("\n") + 1`
    /// with rfind = -1), so `dtype=f64` wraps once the text passes 67 columns, not 69.
    func testSuffixWrapsAtTorchsBoundary() {
        let fits = "tensor(" + String(repeating: "x", count: 60)
        let wraps = fits + "x"
        XCTAssertEqual(TensorRepr.addSuffixes(fits, ["dtype=f64"], indent: 7, lineWidth: 80), fits + ", dtype=f64)")
        XCTAssertEqual(TensorRepr.addSuffixes(wraps, ["dtype=f64"], indent: 7, lineWidth: 80),
                       wraps + ",\n       dtype=f64)")
        XCTAssertEqual(TensorRepr.addSuffixes("tensor([1.]", [], indent: 7, lineWidth: 80), "tensor([1.])")
    }
}

extension PrintingTests {
    /// Python formats a NaN with the sign bit set as `nan`, where C prints `-nan`.
    func testNegativeNaNPrintsAsNaN() throws {
        let negative = try Tensor([-Double.nan, 1.5], shape: [2], dtype: .float64)
        XCTAssertEqual(negative.toDoubles()[0].sign, .minus)
        let positive = try Tensor([Double.nan, 1.5], shape: [2], dtype: .float64)
        XCTAssertEqual(TensorRepr.repr(negative), TensorRepr.repr(positive))
        XCTAssertFalse(TensorRepr.repr(try Tensor([-Double.nan, 1e9], shape: [2], dtype: .float32)).contains("-nan"))
    }
}
