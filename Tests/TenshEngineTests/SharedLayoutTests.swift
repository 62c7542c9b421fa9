import XCTest
@testable import TenshEngine

/// The layouts small ops reuse instead of allocating: a broadcast shape that is
/// one operand's, an elementwise result's strides taken from a contiguous
/// operand, and an index without `...` that keeps the trailing dimensions.
final class SharedLayoutTests: XCTestCase {
    /// NumPy's rule written out independently: right-aligned, sizes equal or 1.
    private func numpyBroadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let n = Swift.max(a.count, b.count)
        var out: [Int] = []
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)], db = i < n - b.count ? 1 : b[i - (n - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            out.append(da == 1 ? db : da)
        }
        return out
    }

    func testBroadcastGivesNumPysShapeWhicheverOperandItComesFrom() throws {
        let cases: [([Int], [Int])] = [
            ([8, 8], []), ([], [8, 8]), ([8, 8], [8]), ([8], [8, 8]), ([1, 8], [8, 1]), ([3, 1, 5], [4, 1]),
            ([2, 1], [2, 3]), ([1], []), ([], [1]), ([5, 1], [1]), ([1], [5, 1]), ([0, 3], [1, 3]), ([1], [0]),
            ([2, 3], [1, 3]), ([1, 1], [1]), ([4, 1, 1], [1, 6, 1]), ([3], [4]), ([2, 3], [3, 2]), ([0], [2]),
        ]
        for (a, b) in cases {
            if let expected = numpyBroadcast(a, b) {
                XCTAssertEqual(try ShapeMath.broadcast(a, b, op: "add"), expected, "\(a) with \(b)")
            } else {
                XCTAssertThrowsError(try ShapeMath.broadcast(a, b, op: "add"), "\(a) with \(b)")
            }
        }
    }

    func testElementwiseResultsAreContiguousWhateverTheOperandsLayout() throws {
        let base = try Tensor((0..<12).map { Double($0) - 4.5 }, shape: [3, 4], dtype: .float32)
        let operands = [base, try base.transposed(0, 1), try base.indexed([.all, .slice(start: 1, end: 2)]),
                        try base.indexed([.slice(start: 1, end: 2)]), try base.indexed([.all, .at(2)]),
                        try base.indexed([.newAxis]), try base.indexed([.slice(start: nil, end: nil, step: 2)])]
        for x in operands {
            let expected = x.toDoubles()
            for out in [try mul(x, Tensor.wrapped(2, dtype: .float64)), try add(x, x), try sub(Tensor.wrapped(1, dtype: .int64), x)] {
                XCTAssertEqual(out.shape, x.shape)
                XCTAssertEqual(out.strides, ShapeMath.contiguousStrides(x.shape), "result of \(x.shape) strides \(x.strides)")
                XCTAssertEqual(out.offset, 0)
            }
            XCTAssertEqual(try mul(x, Tensor.wrapped(2, dtype: .float64)).toDoubles(), expected.map { $0 * 2 })
            XCTAssertEqual(try add(x, x).toDoubles(), expected.map { $0 + $0 })
            XCTAssertEqual(try sub(Tensor.wrapped(1, dtype: .int64), x).toDoubles(), expected.map { 1 - $0 })
        }
        // A row against a matrix, in both orders: the matrix's layout, the row read per row.
        let row = try Tensor([1, 2, 3, 4], shape: [4], dtype: .float32)
        XCTAssertEqual(try add(row, base).strides, [4, 1])
        XCTAssertEqual(try add(row, base).toDoubles(), try add(base, row).toDoubles())
    }

    func testAnIndexWithoutEllipsisKeepsTheTrailingDimensions() throws {
        let x = try Tensor((0..<60).map(Double.init), shape: [3, 4, 5], dtype: .float64)
        let pairs: [([TensorIndex], [TensorIndex])] = [
            ([.at(1)], [.at(1), .all, .all]),
            ([.at(-1), .slice(start: 1, end: 3)], [.at(-1), .slice(start: 1, end: 3), .all]),
            ([.newAxis], [.newAxis, .all, .all, .all]),
            ([.slice(start: 0, end: 2), .newAxis], [.slice(start: 0, end: 2), .newAxis, .all, .all]),
            ([.all, .at(2)], [.all, .at(2), .ellipsis]),
            ([], [.ellipsis]),
        ]
        for (short, full) in pairs {
            let a = try x.indexed(short), b = try x.indexed(full)
            XCTAssertEqual(a.shape, b.shape, "\(short)")
            XCTAssertEqual(a.strides, b.strides, "\(short)")
            XCTAssertEqual(a.offset, b.offset, "\(short)")
            XCTAssertEqual(a.toDoubles(), b.toDoubles(), "\(short)")
        }
        XCTAssertEqual(try x.indexed([.at(2)]).shape, [4, 5])
        XCTAssertEqual(try x.indexed([.at(2)]).toDoubles(), (40..<60).map(Double.init))
        XCTAssertThrowsError(try x.indexed([.at(0), .at(0), .at(0), .at(0)]))
        // The gradient of x[i] scatters into the row it read.
        let w = try Tensor((0..<12).map(Double.init), shape: [3, 4], dtype: .float64).setRequiresGrad()
        try backward(sum(w.indexed([.at(1)])))
        XCTAssertEqual(w.grad?.toDoubles(), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])
    }
}
