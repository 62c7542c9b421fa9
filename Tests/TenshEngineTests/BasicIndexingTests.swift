import XCTest
@testable import TenshEngine

/// `Tensor.indexed` (the language's `x[...]`) and `updateInPlace` (its optimiser step).
final class BasicIndexingTests: XCTestCase {
    /// Python-slice reference on row-major values of a [4, 5] tensor.
    func reference(_ values: [Double], rows: [Int], cols: [Int]) -> [Double] {
        rows.flatMap { r in cols.map { c in values[r * 5 + c] } }
    }

    func testSlicesAndSelectsMatchPythonSemantics() throws {
        for dtype in [DType.float32, .float64, .int64] {
            let x = try arange(0, 20, dtype: dtype).reshaped([4, 5])
            let v = x.toDoubles()
            let a = try x.indexed([.slice(start: 1, end: 3, step: 1), .slice(start: nil, end: nil, step: 2)])
            XCTAssertEqual(a.shape, [2, 3])
            XCTAssertEqual(a.toDoubles(), reference(v, rows: [1, 2], cols: [0, 2, 4]))
            XCTAssertTrue(a.storage === x.storage, "a slice is a view")
            let b = try x.indexed([.at(-1)])
            XCTAssertEqual(b.shape, [5])
            XCTAssertEqual(b.toDoubles(), reference(v, rows: [3], cols: [0, 1, 2, 3, 4]))
            let c = try x.indexed([.slice(start: -10, end: 100, step: 3), .at(2)])
            XCTAssertEqual(c.toDoubles(), reference(v, rows: [0, 3], cols: [2]))
            let empty = try x.indexed([.slice(start: 3, end: 1, step: 1)])
            XCTAssertEqual(empty.shape, [0, 5])
            XCTAssertEqual(b.dtype, dtype)
        }
    }

    func testEllipsisAndNewAxis() throws {
        let x = try arange(0, 24, dtype: .float64).reshaped([2, 3, 4])
        let last = try x.indexed([.ellipsis, .at(-1)])
        XCTAssertEqual(last.shape, [2, 3])
        XCTAssertEqual(last.toDoubles(), [3, 7, 11, 15, 19, 23])
        XCTAssertEqual(try x.indexed([.newAxis, .at(0), .all, .newAxis]).shape, [1, 3, 1, 4])
        XCTAssertThrowsError(try x.indexed([.ellipsis, .ellipsis]))
        // A huge step neither overflows nor traps.
        XCTAssertEqual(try x.indexed([.slice(start: nil, end: nil, step: Int.max)]).shape, [1, 3, 4])
    }

    func testIndexOfAView() throws {
        let x = try arange(0, 24, dtype: .float64).reshaped([2, 3, 4])
        let inner = try x.indexed([.at(1)]).indexed([.slice(start: nil, end: nil, step: 2), .at(3)])
        XCTAssertEqual(inner.toDoubles(), [15, 23])
    }

    func testErrorsNameTheProblem() throws {
        let x = try zeros([2, 3])
        XCTAssertThrowsError(try x.indexed([.at(2)])) { e in
            XCTAssertTrue((e as? EngineError)?.message.hasPrefix("index: index 2 is out of bounds for dimension 0 with size 2") ?? false)
        }
        XCTAssertThrowsError(try x.indexed([.at(0), .at(0), .at(0)]))
        XCTAssertThrowsError(try x.indexed([.slice(start: nil, end: nil, step: 0)])) { e in
            XCTAssertEqual((e as? EngineError)?.argument, "step")
        }
    }

    func testGradientsFirstAndSecondOrder() throws {
        let x = try testTensor([4, 5], seed: 11)
        assertGradcheck({ try mul($0[0].indexed([.slice(start: 1, end: nil, step: 2), .at(-2)]), $0[0].indexed([.at(0), .slice(start: 0, end: 2, step: 1)])) }, [x], second: true)
        assertGradcheck({ try exp($0[0].indexed([.slice(start: nil, end: nil, step: 3)])) }, [x], second: true)
    }

    func testGradientScattersIntoPlace() throws {
        let x = try zeros([3, 2], dtype: .float64).setRequiresGrad()
        let y = try sum(x.indexed([.slice(start: 1, end: nil, step: 1), .at(0)]))
        let g = try XCTUnwrap(try grad([y], [x])[0])
        XCTAssertEqual(g.toDoubles(), [0, 0, 1, 0, 1, 0])
    }

    func testUpdateInPlaceKeepsTheLeaf() throws {
        let w = try Tensor([1, 2, 3], shape: [3], dtype: .float64).setRequiresGrad()
        let alias = w.detached()
        let step = try GradMode.noGrad { try sub(w, Tensor.wrapped(0.5, dtype: .float64)) }
        try updateInPlace(w, with: step)
        XCTAssertEqual(w.toDoubles(), [0.5, 1.5, 2.5])
        XCTAssertEqual(alias.toDoubles(), [0.5, 1.5, 2.5], "shares storage: other names see the update")
        XCTAssertTrue(w.isLeaf)
        XCTAssertTrue(w.requiresGrad)
        try updateInPlace(w, with: Tensor.wrapped(7, dtype: .int64))
        XCTAssertEqual(w.toDoubles(), [7, 7, 7], "broadcast and converted")
    }

    func testUpdateInPlaceErrors() throws {
        let w = try zeros([3]).setRequiresGrad()
        XCTAssertThrowsError(try updateInPlace(w, with: zeros([2, 3])))
        let y = try mul(w, w)
        XCTAssertThrowsError(try updateInPlace(y, with: zeros([3]))) { e in
            XCTAssertEqual((e as? EngineError)?.kind, .autograd)
        }
    }

    func testUpdateInPlaceOnAStridedLeaf() throws {
        let base = try arange(0, 6, dtype: .float32).reshaped([2, 3])
        let column = try base.indexed([.slice(start: nil, end: nil, step: 1), .at(1)])
        try updateInPlace(column, with: Tensor([9, 8], shape: [2], dtype: .float32))
        XCTAssertEqual(base.toDoubles(), [0, 9, 2, 3, 8, 5])
    }
}
