import XCTest
@testable import TenshEngine

final class DropoutInitTests: XCTestCase {
    func testDropoutZeroesAFractionAndScalesTheRest() throws {
        let x = try ones([100_000], dtype: .float64).setRequiresGrad()
        let y = try dropout(x, p: 0.3, seed: 1)
        let values = y.toDoubles()
        let zeros = values.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / 100_000, 0.3, accuracy: 0.01)
        XCTAssertTrue(values.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.7) < 1e-12 })
        // The gradient is the saved scaled mask: here equal to the output itself.
        let g = try XCTUnwrap(try grad(sum(y), x))
        XCTAssertEqual(g.toDoubles(), values)
        XCTAssertEqual(y.gradFn?.op, "Dropout")
    }

    func testDropoutEdgeProbabilitiesAndEval() throws {
        let x = try testTensor([4, 5], seed: 2).setRequiresGrad()
        let all = try dropout(x, p: 1, seed: 3)
        XCTAssertEqual(all.toDoubles(), [Double](repeating: 0, count: 20))
        XCTAssertEqual(try XCTUnwrap(try grad(sum(all), x)).toDoubles(), [Double](repeating: 0, count: 20))
        XCTAssertTrue(try dropout(x, p: 0) === x)
        XCTAssertTrue(try dropout(x, p: 0.5, train: false) === x)
        XCTAssertEqual(try dropout(x, p: 0.5, seed: 9).toDoubles(), try dropout(x, p: 0.5, seed: 9).toDoubles())
        XCTAssertThrowsError(try dropout(x, p: 1.5)) { XCTAssertTrue("\($0)".contains("between 0 and 1, but got 1.5")) }
    }

    func testDropoutGradcheck() throws {
        let x = try testTensor([3, 4], seed: 4)
        assertGradcheck({ try dropout($0[0], p: 0.4, seed: 21) }, [x])
        assertGradcheck({ try dropout2d($0[0], p: 0.4, seed: 22) }, [try testTensor([2, 3, 2, 2], seed: 5)])
    }

    func testDropout2dDropsWholeChannels() throws {
        let x = try ones([8, 16, 3, 3], dtype: .float32)
        let y = try dropout2d(x, p: 0.5, seed: 6)
        let v = y.toDoubles()
        var dropped = 0
        for ch in 0..<(8 * 16) {
            let channel = Array(v[(ch * 9)..<(ch * 9 + 9)])
            XCTAssertTrue(channel.allSatisfy { $0 == 0 } || channel.allSatisfy { $0 == 2 }, "channel \(ch): \(channel)")
            if channel[0] == 0 { dropped += 1 }
        }
        XCTAssertGreaterThan(dropped, 30)
        XCTAssertLessThan(dropped, 98)
        XCTAssertThrowsError(try dropout2d(try ones([4, 4]))) { XCTAssertTrue("\($0)".contains("[4, 4]")) }
    }

    func testHeNormalStatistics() throws {
        let w = try heNormal([64, 32, 3, 3], seed: 7)
        XCTAssertEqual(w.shape, [64, 32, 3, 3])
        let v = w.toDoubles(), n = Double(v.count)
        let mean = v.reduce(0, +) / n
        let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.005)
        XCTAssertEqual(sd, (2.0 / 288).squareRoot(), accuracy: 0.02 * (2.0 / 288).squareRoot())
    }

    func testXavierUniformBoundsAndVariance() throws {
        let w = try xavierUniform([50, 40, 3, 3], dtype: .float64, seed: 8)
        let a = (6.0 / Double(40 * 9 + 50 * 9)).squareRoot()
        let v = w.toDoubles()
        XCTAssertTrue(v.allSatisfy { $0 >= -a && $0 < a })
        XCTAssertGreaterThan(v.max() ?? 0, 0.99 * a)
        let variance = v.reduce(0) { $0 + $1 * $1 } / Double(v.count)
        XCTAssertEqual(variance, a * a / 3, accuracy: 0.03 * a * a / 3)
    }

    func testFansFollowTorch() throws {
        XCTAssertTrue(try fans([8, 4, 3, 3], op: "t") == (36, 72))
        XCTAssertTrue(try fans([10, 20], op: "t") == (20, 10))
        XCTAssertThrowsError(try heNormal([5])) { XCTAssertTrue("\($0)".contains("fewer than 2 dimensions, got [5]")) }
    }
}
