import Foundation
import XCTest
@testable import TenshEngine

/// A training loop must not leak: graphs are freed each step, the buffer cache
/// reaches a steady size, and resident memory stays flat.
final class MemoryTests: XCTestCase {
    /// Resident set size in bytes, from /proc/self/statm.
    private func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    /// ASan/TSan hold freed memory in quarantine, so RSS is no measure of leaks under them.
    private var underSanitizer: Bool { runningUnderSanitizer }

    func testTrainingStepsDoNotLeak() throws {
        let x = try randn([16, 8], dtype: .float64, seed: 1)
        let w = try randn([8, 8], dtype: .float64, seed: 2).setRequiresGrad()
        let b = try zeros([8], dtype: .float64).setRequiresGrad()
        let lr = Tensor.wrapped(1e-3, dtype: .float64)
        var cacheAt: [Int: Int] = [:], rssAt: [Int: Int] = [:]
        weak var weakLoss: Tensor?, weakHidden: Tensor?, weakNode: Node?, weakGrad: Tensor?
        for step in 1...2_000 {
            try {
                let hidden = try relu(add(matmul(x, w), b))
                let loss = try sum(mul(hidden, hidden))
                let gs = try grad([loss], [w, b])
                try noGrad {
                    // In-place style update of the leaves: new values copied into their storage.
                    for (p, g) in zip([w, b], gs) {
                        copyStrided(try sub(p, mul(XCTUnwrap(g), lr)), into: p)
                    }
                }
                weakLoss = loss; weakHidden = hidden; weakNode = loss.gradFn; weakGrad = gs[0]
            }()
            XCTAssertNil(weakLoss, "step \(step)"); XCTAssertNil(weakHidden); XCTAssertNil(weakNode); XCTAssertNil(weakGrad)
            if step == 200 || step == 2_000 { cacheAt[step] = BufferCache.shared.cachedByteCount; rssAt[step] = residentBytes() }
        }
        XCTAssertTrue(w.isLeaf && w.gradFn == nil)
        // The same step needs the same buffers: the cache holds what one step uses, no more.
        XCTAssertEqual(cacheAt[2_000], cacheAt[200], "buffer cache grew from \(cacheAt[200] ?? 0) to \(cacheAt[2_000] ?? 0) bytes")
        let growth = (rssAt[2_000] ?? 0) - (rssAt[200] ?? 0)
        if !underSanitizer { XCTAssertLessThan(growth, 4 << 20, "RSS grew by \(growth) bytes over 1,800 steps") }
    }
}
