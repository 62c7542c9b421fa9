import Foundation
@testable import TenshEngine

/// Speed checks that neither the machine's speed nor its load can fail: work
/// runs on one thread and is timed in that thread's CPU time (time other
/// processes take from the core does not count), and every bound is a multiple
/// of a reference measured in the same process (a faster or slower machine moves
/// both), with a wide margin.

/// CPU seconds this thread has used.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The least thread CPU time of `rounds` runs of `body`, divided by `calls`
/// (when `body` makes that many calls of the thing measured).
func bestCPUSeconds(rounds: Int = 5, calls: Int = 1, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = threadCPUSeconds()
        try body()
        best = min(best, threadCPUSeconds() - start)
    }
    return best / Double(calls)
}

/// Runs `body` with the engine on one thread, so its work is this thread's CPU time.
func onOneThread<R>(_ body: () throws -> R) rethrows -> R {
    let saved = EngineConfig.threads
    EngineConfig.threads = 1
    defer { EngineConfig.threads = saved }
    return try body()
}

/// The reference unit: CPU seconds of 5,000 steps of xorshift64, a serial chain of
/// six shifts and xors that no compiler folds (about 10 µs on the development machine).
let calibrationUnit: Double = bestCPUSeconds(rounds: 20) {
    var x: UInt64 = 88172645463325252
    for _ in 0..<5_000 {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
    }
    blackHole(x)
}

nonisolated(unsafe) private var sink: UInt64 = 0

/// Keeps a value alive so the optimiser cannot drop the loop that computed it.
@inline(never)
func blackHole(_ value: UInt64) { sink &+= value }

/// FLOP per CPU second of the packed float32 GEMM on one thread (256³, a product that
/// stays in L2): the reference rate the convolution speed checks are relative to.
func packedGemmRate() -> Double {
    let s = 256
    let a = UnsafeMutablePointer<Float>.allocate(capacity: s * s), b = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
    let c = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    for i in 0..<s * s { a[i] = Float(i % 7) * 0.1; b[i] = Float(i % 5) * 0.1 }
    let seconds = bestCPUSeconds(rounds: 5, calls: 10) {
        for _ in 0..<10 {
            sgemm(m: s, n: s, k: s, alpha: 1, MatrixView(a, rs: s, cs: 1), MatrixView(b, rs: s, cs: 1),
                  beta: 0, c, rsC: s, csC: 1, threads: 1)
        }
    }
    return 2 * Double(s * s * s) / seconds
}

