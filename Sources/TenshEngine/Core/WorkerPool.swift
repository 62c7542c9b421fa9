import Synchronization
import Foundation

/// The threads behind `parallelFor`: workers that live for the process and spin
/// briefly between jobs, so back-to-back parallel loops (an op's phases, or
/// consecutive ops) start on every core at once instead of waking a sleeping
/// thread each time (as OpenMP's spinning threads do).
///
/// One job runs at a time. The caller publishes it in `state` (a generation,
/// a closed bit, how many workers may join and how many are inside), then runs
/// iterations itself, taking indices from the shared counter `next` like the
/// workers. A worker joins only by a compare-and-swap on the exact state it saw
/// (same generation, open, below the limit), so it can never join a later job
/// by mistake, and leaves by a decrement. When the indices run out the caller
/// waits only for the workers inside (never for one that has not woken up yet:
/// on a loaded machine the caller may run every index alone), then sets the
/// closed bit; no worker touches the body after that.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    // state bits: 0..<8 workers inside, 8..<16 workers allowed in, 16 closed, 17... generation.
    private static let countMask: UInt64 = 0xFF
    private static let limitShift: UInt64 = 8
    private static let closedBit: UInt64 = 1 << 16
    private static let generationShift: UInt64 = 17
    /// Workers at most (the count fits 8 bits; `EngineConfig.threads` is at most 256).
    static let maxWorkers = 255

    private let state = Atomic<UInt64>(closedBit)
    private let next = Atomic<Int>(0)
    /// Taken by the thread whose job runs; a `parallelFor` that finds it taken runs serially.
    private let busy = Atomic<Bool>(false)
    private let parked = Atomic<Int>(0)
    private let callerWaiting = Atomic<Bool>(false)
    /// How long a worker spins for the next job before parking (0: park at once).
    private let spinNanos = Atomic<UInt64>(0)
    private let workerCount = Atomic<Int>(0)
    private let spawnLock = Mutex<Void>(())
    private let wake = NSCondition()
    private let done = NSCondition()
    private let cores = ProcessInfo.processInfo.activeProcessorCount
    /// The running job: written by the caller only while no worker is inside
    /// (the previous job is closed), read by workers only after joining.
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private nonisolated(unsafe) var count = 0

    /// Spin time between jobs: longer than the gap between an op's parallel
    /// loops and between consecutive ops of a model, short enough that an idle
    /// program stops using the cores at once.
    static let spinBetweenJobs: UInt64 = 100_000

    private static func generation(_ s: UInt64) -> UInt64 { s >> generationShift }
    private static func inside(_ s: UInt64) -> Int { Int(s & countMask) }
    private static func limit(_ s: UInt64) -> Int { Int((s >> limitShift) & countMask) }
    private static func isClosed(_ s: UInt64) -> Bool { s & closedBit != 0 }

    /// Runs `body(i)` for every i in 0..<n exactly once, on this thread and up to
    /// `threads - 1` workers. Serially when another job is running (a nested call,
    /// or a second thread's call at the same time).
    func run(_ n: Int, threads: Int, _ body: (Int) -> Void) {
        let helpers = min(threads, n, WorkerPool.maxWorkers + 1) - 1
        if helpers <= 0 || busy.exchange(true, ordering: .acquiring) {
            for i in 0..<n { body(i) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(upTo: helpers)
        spinNanos.store(threads <= cores ? WorkerPool.spinBetweenJobs : 0, ordering: .relaxed)
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            count = n
            next.store(0, ordering: .relaxed)
            let generation = WorkerPool.generation(state.load(ordering: .relaxed)) &+ 1
            // Publishes body and count (sequentially consistent, see `park`).
            state.store(generation << WorkerPool.generationShift | UInt64(helpers) << WorkerPool.limitShift,
                        ordering: .sequentiallyConsistent)
            if parked.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock(); wake.broadcast(); wake.unlock()
            }
            runIndices(escapable, n)
            close(spin: threads <= cores)
            self.body = nil
        }
    }

    /// Takes indices from the shared counter until they run out.
    private func runIndices(_ body: (Int) -> Void, _ n: Int) {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= n { return }
            body(i)
        }
    }

    /// Waits until no worker is inside the job, then closes it so none can join.
    private func close(spin: Bool) {
        var spins = spin ? 20_000 : 0
        while true {
            let s = state.load(ordering: .acquiring)
            if WorkerPool.inside(s) == 0 {
                if state.compareExchange(expected: s, desired: s | WorkerPool.closedBit,
                                         ordering: .acquiringAndReleasing).exchanged { return }
            } else if spins > 0 {
                spins -= 1
            } else {
                waitForWorkersToLeave()
            }
        }
    }

    /// Blocks until the workers inside have left. No lost wake-up: this stores
    /// `callerWaiting` then reads the count, a leaving worker decrements the count
    /// then reads `callerWaiting` (all sequentially consistent), so either this
    /// sees 0 or the worker sees the flag and broadcasts under `done`'s lock,
    /// which this thread holds from the flag's store until it waits.
    private func waitForWorkersToLeave() {
        done.lock()
        callerWaiting.store(true, ordering: .sequentiallyConsistent)
        while WorkerPool.inside(state.load(ordering: .sequentiallyConsistent)) != 0 { done.wait() }
        callerWaiting.store(false, ordering: .relaxed)
        done.unlock()
    }

    private func startWorkers(upTo wanted: Int) {
        if workerCount.load(ordering: .relaxed) >= wanted { return }
        spawnLock.withLock { _ in
            while workerCount.load(ordering: .relaxed) < wanted {
                // The generation before this job: the new worker can join it.
                let seen = WorkerPool.generation(state.load(ordering: .relaxed))
                let thread = Thread { [unowned self] in self.workerLoop(seen: seen) }
                thread.name = "tensh-worker"
                thread.start()
                workerCount.add(1, ordering: .relaxed)
            }
        }
    }

    private func workerLoop(seen start: UInt64) {
        var seen = start
        while true {
            let s = waitForJob(after: seen)
            seen = WorkerPool.generation(s)
            tryJoin(s)
        }
    }

    /// Joins the job of state `s` if it is still open and has room, runs
    /// iterations, and leaves.
    private func tryJoin(_ s: UInt64) {
        var current = s
        while true {
            if WorkerPool.isClosed(current) || WorkerPool.generation(current) != WorkerPool.generation(s)
                || WorkerPool.inside(current) >= WorkerPool.limit(current) { return }
            let (joined, actual) = state.compareExchange(expected: current, desired: current &+ 1,
                                                         ordering: .acquiringAndReleasing)
            if joined { break }
            current = actual
        }
        runJoinedJob()
        let left = state.subtract(1, ordering: .sequentiallyConsistent).newValue
        if WorkerPool.inside(left) == 0 && callerWaiting.load(ordering: .sequentiallyConsistent) {
            done.lock(); done.broadcast(); done.unlock()
        }
    }

    /// Kept out of line so the worker's reference to the body is released
    /// before it leaves (the caller's `withoutActuallyEscaping` checks that).
    @inline(never)
    private func runJoinedJob() {
        guard let body else { return }
        runIndices(body, count)
    }

    /// Returns the first state whose generation differs from `seen`: spinning
    /// for `spinNanos`, then parked on `wake`.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        let budget = spinNanos.load(ordering: .relaxed)
        if budget > 0 {
            let start = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            while true {
                let s = state.load(ordering: .acquiring)
                if WorkerPool.generation(s) != seen { return s }
                polls &+= 1
                if polls & 63 == 0 && DispatchTime.now().uptimeNanoseconds &- start > budget { break }
            }
        }
        return park(after: seen)
    }

    /// No lost wake-up: the worker increments `parked` then reads `state`, the
    /// caller stores `state` then reads `parked` (all sequentially consistent), so
    /// either the worker sees the new job or the caller sees it parked and
    /// broadcasts under `wake`'s lock, which the worker holds from the increment
    /// until it waits.
    private func park(after seen: UInt64) -> UInt64 {
        wake.lock()
        parked.add(1, ordering: .sequentiallyConsistent)
        var s = state.load(ordering: .sequentiallyConsistent)
        while WorkerPool.generation(s) == seen {
            wake.wait()
            s = state.load(ordering: .sequentiallyConsistent)
        }
        parked.subtract(1, ordering: .relaxed)
        wake.unlock()
        return s
    }
}
