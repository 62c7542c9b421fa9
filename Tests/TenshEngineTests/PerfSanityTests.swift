import Foundation
import XCTest
@testable import TenshEngine

/// Per-op overhead of the core path, in thread CPU time (the load on the machine
/// does not count) and in units of `calibrationUnit`, a fixed serial integer loop
/// of about 10 µs (a faster or slower machine moves both). The bounds sit 40x to
/// 90x above what the ops take, so only a gross regression fails; the numbers
/// are printed.
final class PerfSanityTests: XCTestCase {
    func testSmallOpOverheadAndLargeSum() throws {
        let a = try randn([8, 8], seed: 1), b = try randn([8, 8], seed: 2)
        let ga = try randn([8, 8], seed: 3).setRequiresGrad()
        let big = try randn([1_000_000], seed: 4)
        let (plain, recorded, sumTime) = try onOneThread {
            (try bestCPUSeconds(calls: 20_000) { for _ in 0..<20_000 { _ = try add(a, b) } },
             try bestCPUSeconds(calls: 20_000) { for _ in 0..<20_000 { _ = try add(ga, b) } },
             try bestCPUSeconds(calls: 20) { for _ in 0..<20 { _ = try sum(big) } })
        }
        let unit = calibrationUnit
        print(String(format: "perf: add 8x8 %.2f µs, with autograd %.2f µs, sum 1M f32 %.1f µs (calibration unit %.1f µs)",
                     plain * 1e6, recorded * 1e6, sumTime * 1e6, unit * 1e6))
        XCTAssertLessThan(plain, 2 * unit)
        XCTAssertLessThan(recorded, 4 * unit)
        XCTAssertLessThan(sumTime, 1000 * unit)
        XCTAssertEqual(try sum(big).item(), big.toDoubles().reduce(0, +), accuracy: 1e-2)
    }

    /// Allocation cost must not grow with the number of cached buffers (it did:
    /// each allocation copied its size class's free list, 0.25 → 4.8 µs with 20,000
    /// cached). One size class holds 20,000 buffers while another holds none, and
    /// allocations from the two are timed in alternating rounds.
    func testAllocationCostDoesNotGrowWithTheCache() throws {
        BufferCache.shared.trim()
        do {
            let many = try (0..<20_000).map { _ in try Tensor.empty([8, 8], .float32, op: "perf") }
            XCTAssertEqual(many.count, 20_000)
        } // all 20,000 buffers of 256 bytes are now cached; none of 512 bytes
        var crowdedBest = Double.infinity, emptyBest = Double.infinity
        for _ in 0..<5 {
            crowdedBest = min(crowdedBest, try bestCPUSeconds(rounds: 1, calls: 20_000) {
                for _ in 0..<20_000 { _ = try Tensor.empty([8, 8], .float32, op: "perf") }
            })
            emptyBest = min(emptyBest, try bestCPUSeconds(rounds: 1, calls: 20_000) {
                for _ in 0..<20_000 { _ = try Tensor.empty([8, 16], .float32, op: "perf") }
            })
        }
        print(String(format: "perf: allocate with 20,000 cached buffers %.2f µs, with a few %.2f µs", crowdedBest * 1e6,
                     emptyBest * 1e6))
        XCTAssertLessThan(crowdedBest, max(emptyBest * 8, 0.2 * calibrationUnit)) // was 19x before the fix
        BufferCache.shared.trim()
    }
}
