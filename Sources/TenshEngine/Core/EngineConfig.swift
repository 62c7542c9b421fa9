import Synchronization
import Foundation

/// Process-wide engine settings, like `torch.set_num_threads`.
public enum EngineConfig {
    private static let threadCount = Atomic<Int>(defaultThreads())
    private static let tensorByteLimit = Atomic<Int>(8 << 30)
    /// A cap on `threads` for the op running on this thread (see `withThreads(forWork:)`).
    @TaskLocal static var opThreadLimit = Int.max

    /// Threads the kernels spread work over (`--threads`, `TENSH_THREADS`);
    /// inside a small op, 1.
    public static var threads: Int {
        get { min(threadCount.load(ordering: .relaxed), opThreadLimit) }
        set { threadCount.store(max(1, min(newValue, 256)), ordering: .relaxed) }
    }

    /// The largest single allocation the engine attempts (default 8 GiB).
    public static var maxTensorBytes: Int {
        get { tensorByteLimit.load(ordering: .relaxed) }
        set { tensorByteLimit.store(max(0, newValue), ordering: .relaxed) }
    }

    static func defaultThreads() -> Int {
        if let s = ProcessInfo.processInfo.environment["TENSH_THREADS"], let n = Int(s), n > 0 { return min(n, 256) }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// Cooperative cancellation (Ctrl-C). A signal handler calls `request()`;
/// kernels and interpreter loops call `check()` between chunks of work.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)

    /// Safe to call from a signal handler: a lock-free atomic store.
    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func reset() { flag.store(false, ordering: .relaxed) }
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Throws `cancelled` (and clears the request) when Ctrl-C was pressed.
    public static func check(_ op: String = "") throws {
        if flag.load(ordering: .relaxed) {
            flag.store(false, ordering: .relaxed)
            throw EngineError(.cancelled, op: op, "interrupted")
        }
    }
}

/// Elements between cancellation checks in long elementwise loops: ~1 ms of work,
/// so Ctrl-C lands within 100 ms while small ops never pay for a check.
let cancellationChunk = 1 << 20

/// Runs `body` over `0..<n` in chunks of `cancellationChunk`, stopping early when
/// Ctrl-C was requested. The caller must `try Cancellation.check(op)` afterwards,
/// so a partly written result is never returned.
@inline(__always)
func chunkedLoop(_ n: Int, _ body: (Range<Int>) -> Void) {
    if n <= cancellationChunk { body(0..<n); return }
    var start = 0
    while start < n {
        if Cancellation.isRequested { return }
        let end = Swift.min(n, start &+ cancellationChunk)
        body(start..<end)
        start = end
    }
}

/// Multiply-adds one op needs before a second thread pays: about 40 µs of
/// one core's work on small shapes. Below it, waking a worker (its core may be
/// halted, or busy with another process) and moving the operands into that
/// core's cache cost more than the half of the work it would take: a training
/// step on a batch of 8x8 images ran slower on two threads than on one.
let parallelWorkThreshold = 1 << 22

/// Threads worth using for an op of `work` multiply-adds: one for small work,
/// else the configured count.
func threadsWorthUsing(work: Int) -> Int {
    work < parallelWorkThreshold ? 1 : EngineConfig.threads
}

/// Runs `body` (one op's kernels) on this thread alone when `work` multiply-adds
/// are too few to split: every `EngineConfig.threads` read inside sees 1, so
/// the kernels' task splits and per-thread partial sums are those of one
/// thread. The split depends only on the shapes, never on timing.
func withThreads<R>(forWork work: Int, _ body: () throws -> R) rethrows -> R {
    if work >= parallelWorkThreshold || EngineConfig.threads == 1 { return try body() }
    return try EngineConfig.$opThreadLimit.withValue(1, operation: body)
}

/// Runs `body(i)` for i in 0..<n over up to `threads` threads (this one and
/// the `WorkerPool`'s workers, which take indices dynamically), serially when
/// called inside another `parallelFor` or while another thread's runs.
/// `body` must only write disjoint memory per index, and what it computes must
/// depend on the index alone, never on the thread that runs it.
@inline(__always)
func parallelFor(_ n: Int, threads: Int = EngineConfig.threads, _ body: (Int) -> Void) {
    if n <= 1 || threads <= 1 {
        for i in 0..<n { body(i) }
    } else {
        WorkerPool.shared.run(n, threads: threads, body)
    }
}
