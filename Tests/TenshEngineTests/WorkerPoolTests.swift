import Foundation
import XCTest
@testable import TenshEngine

/// `parallelFor` over the persistent worker pool: every index exactly once, at
/// most `threads` threads, nested and concurrent calls, and many back-to-back
/// jobs without a lost wake-up. Nothing here depends on speed: a hang is bounded
/// by a generous expectation timeout.
final class WorkerPoolTests: XCTestCase {
    /// Runs-per-index and the threads that ran them, for one `parallelFor`.
    private final class Record: @unchecked Sendable {
        let lock = NSLock()
        var runs: [Int]
        var threads = Set<ObjectIdentifier>()
        init(_ n: Int) { runs = Array(repeating: 0, count: n) }
        func ran(_ i: Int) {
            lock.lock(); defer { lock.unlock() }
            runs[i] += 1
            threads.insert(ObjectIdentifier(Thread.current))
        }
    }

    /// A counter shared with the threads of a test.
    private final class Total: @unchecked Sendable {
        let lock = NSLock()
        var values: [Int]
        init(_ n: Int) { values = Array(repeating: 0, count: n) }
        func add(_ v: Int, at i: Int = 0) { lock.lock(); values[i] += v; lock.unlock() }
        var snapshot: [Int] { lock.lock(); defer { lock.unlock() }; return values }
    }

    /// Runs `work` on a separate thread and fails (instead of hanging) if it
    /// has not finished after `timeout` seconds.
    private func runBounded(timeout: TimeInterval = 300, _ work: @escaping @Sendable () -> Void) {
        let finished = expectation(description: "finished")
        let thread = Thread { work(); finished.fulfill() }
        thread.start()
        wait(for: [finished], timeout: timeout)
    }

    func testEveryIndexRunsExactlyOnceOnAtMostThreadsThreads() {
        for threads in 1...4 {
            for n in [0, 1, 2, 3, 1000] {
                let record = Record(n)
                parallelFor(n, threads: threads) { record.ran($0) }
                XCTAssertEqual(record.runs, Array(repeating: 1, count: n), "n \(n), threads \(threads)")
                XCTAssertLessThanOrEqual(record.threads.count, max(1, min(n, threads)), "n \(n), threads \(threads)")
            }
        }
    }

    func testNestedParallelForRunsSeriallyAndCompletes() {
        runBounded {
            let outer = 6, inner = 50
            let record = Record(outer * inner)
            let innerAlone = Total(outer)
            parallelFor(outer, threads: 2) { i in
                let mine = Record(inner)
                parallelFor(inner, threads: 2) { j in record.ran(i * inner + j); mine.ran(j) }
                // 1 when the inner loop ran on the thread that called it, alone.
                innerAlone.add(mine.threads == [ObjectIdentifier(Thread.current)] ? 1 : 0, at: i)
            }
            XCTAssertEqual(record.runs, Array(repeating: 1, count: outer * inner))
            XCTAssertEqual(innerAlone.snapshot, Array(repeating: 1, count: outer))
        }
    }

    func testCallsFromTwoThreadsAtOnceGiveCorrectResults() {
        let callers = 2, jobs = 300, n = 64
        let finished = (0..<callers).map { expectation(description: "caller \($0)") }
        let sums = Total(callers)
        for c in 0..<callers {
            let thread = Thread {
                let out = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
                defer { out.deallocate() }
                var total = 0
                for job in 0..<jobs {
                    parallelFor(n, threads: 2) { i in out[i] = (c + 1) * (i + job) }
                    total += out.reduce(0, +)
                }
                sums.add(total, at: c)
                finished[c].fulfill()
            }
            thread.start()
        }
        wait(for: finished, timeout: 300)
        // Σ_job Σ_i (c+1)(i+job) = (c+1)(jobs·n(n-1)/2 + n·jobs(jobs-1)/2)
        let expected = (0..<callers).map { (($0 + 1) * (jobs * n * (n - 1) / 2 + n * jobs * (jobs - 1) / 2)) }
        XCTAssertEqual(sums.snapshot, expected)
    }

    func testManyBackToBackTinyJobsComplete() {
        for threads in [2, 4] {
            let jobs = 10_000
            let total = Total(1)
            runBounded {
                let out = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3)
                defer { out.deallocate() }
                for job in 0..<jobs {
                    parallelFor(3, threads: threads) { i in out[i] = job + i }
                    total.add(out[0] + out[1] + out[2])
                }
            }
            // Σ_job (3·job + 3)
            XCTAssertEqual(total.snapshot[0], 3 * jobs * (jobs - 1) / 2 + 3 * jobs, "threads \(threads)")
        }
    }

    func testEngineThreadLimitReachesTheKernelsThroughThePool() throws {
        // A small op inside `withThreads(forWork:)` reads 1 thread: parallelFor's default runs it here.
        let record = Record(8)
        withThreads(forWork: 1) { parallelFor(8) { record.ran($0) } }
        XCTAssertEqual(record.runs, Array(repeating: 1, count: 8))
        XCTAssertEqual(record.threads, [ObjectIdentifier(Thread.current)])
    }
}
