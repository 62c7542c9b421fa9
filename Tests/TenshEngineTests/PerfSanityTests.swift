import Foundation
import XCTest
@testable import TenshEngine

/// Per-op overhead of the core path (run in release). Prints the numbers and
/// fails only on gross regressions, so it is not flaky on a busy machine.
final class PerfSanityTests: XCTestCase {
    /// Best-of-5 mean seconds per call of `body` over `iterations` calls.
    private func timePerCall(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { try body() }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = Swift.min(best, elapsed / Double(iterations))
        }
        return best
    }

    func testSmallOpOverheadAndLargeSum() throws {
        let a = try randn([8, 8], seed: 1), b = try randn([8, 8], seed: 2)
        let plain = try timePerCall(20_000) { _ = try add(a, b) }
        let ga = try randn([8, 8], seed: 3).setRequiresGrad()
        let recorded = try timePerCall(20_000) { _ = try add(ga, b) }
        let big = try randn([1_000_000], seed: 4)
        let sumTime = try timePerCall(20) { _ = try sum(big) }
        print(String(format: "perf: add 8x8 %.2f µs, with autograd %.2f µs, sum 1M f32 %.1f µs",
                     plain * 1e6, recorded * 1e6, sumTime * 1e6))
        XCTAssertLessThan(plain, 20e-6)
        XCTAssertLessThan(recorded, 40e-6)
        XCTAssertLessThan(sumTime, 10e-3)
        XCTAssertEqual(try sum(big).item(), big.toDoubles().reduce(0, +), accuracy: 1e-2)
    }

    /// Allocation cost must not grow with the number of cached buffers (it did:
    /// each allocation copied its size class's free list, 0.25 → 4.8 µs with 20,000 cached).
    func testAllocationCostDoesNotGrowWithTheCache() throws {
        let fresh = try timePerCall(20_000) { _ = try Tensor.empty([8, 8], .float32, op: "perf") }
        do {
            let many = try (0..<20_000).map { _ in try Tensor.empty([8, 8], .float32, op: "perf") }
            XCTAssertEqual(many.count, 20_000)
        } // all 20,000 buffers are now cached in one size class
        let crowded = try timePerCall(20_000) { _ = try Tensor.empty([8, 8], .float32, op: "perf") }
        print(String(format: "perf: allocate 8x8 %.2f µs, with 20,000 cached buffers %.2f µs", fresh * 1e6, crowded * 1e6))
        XCTAssertLessThan(crowded, Swift.max(fresh * 8, 2e-6)) // was 19x before the fix; 8x leaves room for a busy machine
        BufferCache.shared.trim()
    }
}
