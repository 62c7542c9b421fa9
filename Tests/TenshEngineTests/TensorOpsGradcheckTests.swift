import XCTest
@testable import TenshEngine

/// Float64 finite-difference checks of every differentiable op added for the
/// PyTorch habits (indexing, assignment, in-place methods, gather/scatter,
/// sorting, scans, floored remainder, interpolate), and second order where the
/// gradient is itself recorded.
final class TensorOpsGradcheckTests: XCTestCase {
    private func ints(_ values: [Double], _ shape: [Int]? = nil) throws -> Tensor {
        try Tensor(values, shape: shape ?? [values.count], dtype: .int64)
    }

    func testAdvancedIndexing() throws {
        let idx = try ints([2, 0, 2, -1]), mask = try gt(testTensor([3, 4], seed: 9), .wrapped(0, dtype: .int64))
        let forms: [[TensorIndex]] = [[.tensor(idx)], [.all, .tensor(try ints([1, 3]))], [.tensor(mask)],
                                      [.tensor(try ints([0, 2])), .all, .tensor(try ints([3, 1]))]]
        for (k, form) in forms.enumerated() {
            let shape = k == 3 ? [3, 2, 4] : [3, 4]
            assertGradcheck({ try $0[0].indexed(form) }, [try testTensor(shape, seed: UInt64(k))], "form \(k)")
            assertGradcheck({ try $0[0].indexed(form) }, [try testTensor(shape, seed: UInt64(k))], second: true, "form \(k)")
        }
    }

    func testIndexAssignment() throws {
        let idx = try ints([3, 0]), mask = try gt(testTensor([3, 4], seed: 5), .wrapped(0, dtype: .int64))
        let cases: [([TensorIndex], [Int])] = [([.at(1)], [4]), ([.all, .slice(start: 1, end: 3)], [3, 1]),
                                               ([.all, .tensor(idx)], [3, 2]), ([.tensor(mask)], [])]
        for (index, valueShape) in cases {
            assertGradcheck({ xs in
                let y = try xs[0] * 1
                try y.assign(xs[1] * 3, at: index)
                return try y * y
            }, [try testTensor([3, 4], seed: 1), try testTensor(valueShape, seed: 2)], "\(index)")
        }
    }

    func testInPlaceMethods() throws {
        let methods: [(String, (Tensor, Tensor) throws -> Void)] = [
            ("add_", { try addInPlace($0, $1) }), ("mul_", { try mulInPlace($0, $1) }),
            ("copy_", { try copyInPlace(into: $0, from: $1) }), ("fill_", { try fillInPlace($0, sum($1)) }),
            ("clamp_", { t, _ in try clampInPlace(t, min: -0.3, max: 0.4) }), ("zero_", { t, _ in try zeroInPlace(t) }),
        ]
        for (name, method) in methods {
            for viewed in [false, true] {
                assertGradcheck({ xs in
                    let y = try xs[0] * 2
                    try method(viewed ? y.indexed([.all, .slice(start: 1)]) : y, xs[1])
                    return try y * y
                }, [try testTensor([2, 3], seed: 3), try testTensor(viewed ? [2] : [3], seed: 4)], "\(name) view \(viewed)")
            }
        }
    }

    func testGatherScatterMaskedFill() throws {
        let index = try ints([0, 2, 1, 1, 0, 0], [3, 2])
        let x = try testTensor([3, 4], seed: 6), src = try testTensor([3, 2], seed: 7)
        assertGradcheck({ try gather($0[0], dim: 1, index: index) }, [x])
        assertGradcheck({ try gather($0[0], dim: 1, index: index) }, [x], second: true)
        assertGradcheck({ try scatterAdd($0[0], dim: 1, index: index, src: $0[1]) }, [x, src])
        assertGradcheck({ try scatterAdd($0[0], dim: 1, index: index, src: $0[1]) }, [x, src], second: true)
        let mask = try gt(testTensor([4], seed: 8), .wrapped(0, dtype: .int64))
        assertGradcheck({ try maskedFill($0[0], mask: mask, value: sum($0[1])) }, [x, try testTensor([2], seed: 9)])
    }

    func testSortTopkCumsum() throws {
        let x = try testTensor([3, 5], seed: 10)
        assertGradcheck({ try sort($0[0], dim: 1).values }, [x])
        assertGradcheck({ try sort($0[0], dim: 0, descending: true).values }, [x], second: true)
        assertGradcheck({ try topk($0[0], 2, dim: 1).values }, [x])
        assertGradcheck({ try topk($0[0], 3, dim: 0, largest: false).values }, [x])
        assertGradcheck({ try cumsum($0[0], dim: 1) }, [x])
        assertGradcheck({ try cumsum($0[0], dim: 0) }, [x], second: true)
    }

    func testRemainderAndRounding() throws {
        let a = try testTensor([3, 4], seed: 11) * 5
        let b = try add(abs(testTensor([4], seed: 12)), .wrapped(0.5, dtype: .float64))
        assertGradcheck({ try remainder($0[0], $0[1]) }, [a, b])
        for f in [floor, ceil, trunc] as [(Tensor) throws -> Tensor] {
            assertGradcheck({ try f($0[0]) }, [a])
        }
        assertGradcheck({ try round($0[0], decimals: 1) }, [a])
    }

    func testInterpolate() throws {
        let x = try testTensor([1, 2, 4, 5], seed: 13)
        for mode in InterpolationMode.allCases {
            assertGradcheck({ try interpolate($0[0], size: [6, 3], mode: mode) }, [x], "\(mode)")
            assertGradcheck({ try interpolate($0[0], scaleFactor: [1.5], mode: mode) }, [x], second: true, "\(mode)")
        }
        for mode in [InterpolationMode.bilinear, .bicubic] {
            assertGradcheck({ try interpolate($0[0], size: [7, 4], mode: mode, alignCorners: true) }, [x], "\(mode)")
        }
    }
}
