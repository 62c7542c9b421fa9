import XCTest
@testable import TenshEngine

/// The paths small ops take without a copy: a binary op reading a broadcast row
/// in place, and max/min/amax/amin of every element read in any layout. Each
/// is checked against the same op on materialised (contiguous, full-shape) operands.
final class SmallOpFastPathTests: XCTestCase {
    private func values(_ count: Int, seed: Int) -> [Double] {
        (0..<count).map { Double(($0 * 7 + seed * 13) % 23) - 11 + 0.25 * Double(seed) }
    }

    private let ops: [(String, (Tensor, Tensor) throws -> Tensor)] = [
        ("add", add), ("sub", sub), ("mul", mul), ("maximum", maximum), ("eq", eq), ("lt", lt), ("ge", ge),
    ]

    func testARowOperandGivesWhatItsBroadcastCopyGives() throws {
        let cases: [([Int], [Int])] = [([3, 5], [5]), ([2, 3, 4], [3, 4]), ([2, 3, 4], [4]), ([5, 1], [1]), ([4, 7], [7])]
        for (full, row) in cases {
            for dtype in [DType.float32, .float64, .int64] {
                let a = try Tensor(values(full.reduce(1, *), seed: 1), shape: full, dtype: dtype)
                let b = try Tensor(values(row.reduce(1, *), seed: 2), shape: row, dtype: dtype)
                let copy = try b.expanded(full).contiguous()
                for (name, f) in ops {
                    XCTAssertEqual(try f(a, b).toDoubles(), try f(a, copy).toDoubles(), "\(name)(\(full), \(row)) \(dtype)")
                    XCTAssertEqual(try f(b, a).toDoubles(), try f(copy, a).toDoubles(), "\(name)(\(row), \(full)) \(dtype)")
                    XCTAssertEqual(try f(a, b).shape, full)
                }
            }
        }
    }

    func testStridedMixedAndBoolRowsGiveWhatTheirCopiesGive() throws {
        let a = try Tensor(values(12, seed: 3), shape: [3, 4], dtype: .float32)
        let strided = try Tensor(values(8, seed: 4), shape: [8], dtype: .float32).indexed([.slice(start: nil, end: nil, step: 2)])
        XCTAssertEqual(try add(a, strided).toDoubles(), try add(a, strided.contiguous().expanded([3, 4]).contiguous()).toDoubles())
        let wide = try Tensor(values(4, seed: 5), shape: [4], dtype: .float64)
        XCTAssertEqual(try mul(a, wide).toDoubles(), try mul(a, wide.expanded([3, 4]).contiguous()).toDoubles())
        let mask = try gt(a, Tensor.wrapped(0, dtype: .int64)), row = try Tensor([1, 0, 1, 1], shape: [4], dtype: .bool)
        XCTAssertEqual(try logicalAnd(mask, row).toDoubles(), try logicalAnd(mask, row.expanded([3, 4]).contiguous()).toDoubles())
        let ints = try Tensor([2, 3, 4, 5, 6, 7], shape: [2, 3], dtype: .int64)
        XCTAssertEqual(try pow(ints, Tensor([0, 1, 2], shape: [3], dtype: .int64)).toInt64s(), [1, 3, 16, 1, 6, 49])
        XCTAssertThrowsError(try pow(ints, Tensor([0, -1, 2], shape: [3], dtype: .int64)))
    }

    /// Rows that straddle the boundary of the loop's chunks (2^20 elements, not a multiple of 3).
    func testARowAcrossChunkBoundariesGivesWhatItsCopyGives() throws {
        let rows = (1 << 20) / 3 + 2
        let a = try Tensor(values(rows * 3, seed: 6), shape: [rows, 3], dtype: .float32)
        let b = try Tensor([0.5, -1.5, 2], shape: [3], dtype: .float32)
        XCTAssertEqual(try sub(a, b).toDoubles(), try sub(a, b.expanded([rows, 3]).contiguous()).toDoubles())
    }

    func testExtremeOfEveryElementReadsAnyLayout() throws {
        let base = try Tensor(values(60, seed: 7), shape: [3, 4, 5], dtype: .float64)
        let views = [base, try base.transposed(0, 2), try base.indexed([.all, .slice(start: 1, end: nil, step: 2)]),
                     try base.indexed([.at(1), .all, .at(-1)])]
        for v in views {
            let all = v.toDoubles()
            XCTAssertEqual(try max(v).item(), all.max(), "max of \(v.shape)")
            XCTAssertEqual(try min(v).item(), all.min(), "min of \(v.shape)")
            XCTAssertEqual(try amax(v, keepdim: true).shape, [Int](repeating: 1, count: v.rank))
            XCTAssertEqual(try amin(v, dims: Array(0..<v.rank)).toDoubles(), [all.min() ?? 0])
        }
        XCTAssertEqual(try max(Tensor(scalar: -2.5, dtype: .float32)).item(), -2.5)
        let ints = try Tensor([4, -9, 7, 6], shape: [2, 2], dtype: .int64).transposed(0, 1)
        XCTAssertEqual(try min(ints).toInt64s(), [-9])
        XCTAssertEqual(try min(ints).dtype, .int64)
        let flags = try Tensor([0, 1, 0], shape: [3], dtype: .bool)
        XCTAssertEqual(try max(flags).dtype, .bool)
        XCTAssertEqual(try max(flags).toDoubles(), [1])
    }

    func testNaNWinsTheExtremeOfEveryElementWhereverItIs() throws {
        for position in [0, 3, 5] {
            var data: [Double] = [1, 2, 3, 4, 5, 6]
            data[position] = .nan
            let x = try Tensor(data, shape: [2, 3], dtype: .float32).transposed(0, 1)
            XCTAssertTrue(try max(x).item().isNaN, "NaN at \(position)")
            XCTAssertTrue(try min(x).item().isNaN, "NaN at \(position)")
        }
    }

    func testNoGraphIsRecordedWithoutGradButIsWithIt() throws {
        let x = try Tensor([1, 2, 3, 4], shape: [2, 2], dtype: .float64)
        XCTAssertNil(try add(x, x).gradFn)
        XCTAssertNil(try max(x).gradFn)
        XCTAssertNil(try sum(x).gradFn)
        let w = try Tensor([1, 5, 3, 5], shape: [2, 2], dtype: .float64).setRequiresGrad()
        XCTAssertEqual(try max(w).gradFn?.op, "Max")
        XCTAssertEqual(try add(w, x).gradFn?.op, "Add")
        XCTAssertEqual(try w.reshaped([4]).gradFn?.op, "View")
        XCTAssertNil(try GradMode.noGrad { try mul(w, x) }.gradFn)
    }
}
