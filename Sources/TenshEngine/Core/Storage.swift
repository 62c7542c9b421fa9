import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A reference-counted block of raw memory holding a tensor's elements.
/// Views share one Storage; the block goes back to the cache on deinit.
public final class Storage {
    public let bytes: UnsafeMutableRawPointer
    public let byteCount: Int
    /// How many in-place modifications the elements have had (PyTorch's version
    /// counter). Every view of the storage shares it; autograd records it with each
    /// saved tensor and refuses a backward pass that would read changed values.
    public private(set) var version = 0

    /// Called by every in-place write a user can cause (not by kernels filling fresh outputs).
    func bumpVersion() { version &+= 1 }

    /// Zero-filled storage of `byteCount` bytes (at least 1), within the allocation limit.
    init(byteCount: Int, op: String, zeroed: Bool = true) throws {
        self.byteCount = byteCount
        self.bytes = try BufferCache.shared.allocate(byteCount: byteCount, op: op)
        if zeroed { try Storage.zero(bytes, byteCount: max(byteCount, 1), op: op) }
    }

    /// memset in 16 MiB chunks with a Ctrl-C check between them: fresh memory takes
    /// page faults as it is zeroed (a 1 GiB tensor took over a second on a loaded machine).
    private static func zero(_ p: UnsafeMutableRawPointer, byteCount: Int, op: String) throws {
        let chunk = 16 << 20
        var start = 0
        while start < byteCount {
            if start > 0 { try Cancellation.check(op) }
            memset(p + start, 0, min(chunk, byteCount - start))
            start += chunk
        }
    }

    /// Storage for a few bytes (a scalar): below any sensible limit, so not checked.
    init(smallByteCount: Int) {
        self.byteCount = smallByteCount
        self.bytes = BufferCache.shared.allocateSmall(byteCount: smallByteCount)
        memset(bytes, 0, max(smallByteCount, 1))
    }

    deinit { BufferCache.shared.release(bytes, byteCount: byteCount) }
}

/// Caching allocator: freed buffers are kept by size class and handed out again,
/// so a training loop does not page-fault fresh memory on every step.
final class BufferCache: @unchecked Sendable {
    static let shared = BufferCache()

    /// Free buffers by size class: an array slot per power of two up to 1 MiB (no
    /// hashing on the hot path: a Dictionary cost ~800 instructions per small op), a
    /// dictionary for the larger classes.
    private struct FreeLists {
        var small = [[UnsafeMutableRawPointer]](repeating: [], count: 21) // index: log2(size class)
        var large: [Int: [UnsafeMutableRawPointer]] = [:]
    }
    private let lock = Mutex<FreeLists>(FreeLists())
    private let cachedBytes = Atomic<Int>(0)
    /// Cap on bytes kept for reuse; beyond it freed buffers go back to the system.
    private let maxCachedBytes = 1 << 30

    /// Buffers up to this size (64 float32 elements) come from malloc and go back
    /// to it, uncached: 16-byte aligned rather than 64 (kernels load unaligned).
    static let maxMallocSize = 256

    /// Size classes: powers of two up to 1 MiB, then multiples of 1 MiB.
    static func sizeClass(_ n: Int) -> Int {
        let n = max(n, 64)
        if n <= 1 << 20 { return 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount) }
        return (n + (1 << 20) - 1) & ~((1 << 20) - 1)
    }

    func allocate(byteCount: Int, op: String) throws -> UnsafeMutableRawPointer {
        let limit = EngineConfig.maxTensorBytes
        // The 1 << 62 cap keeps size-class rounding from overflowing whatever the limit is set to.
        guard byteCount >= 0, byteCount <= limit, byteCount <= 1 << 62 else {
            throw EngineError(.resourceLimit, op: op, argument: nil,
                              "a tensor of \(byteCount) bytes exceeds the allocation limit of \(limit) bytes")
        }
        let size = Self.sizeClass(byteCount)
        // A scalar or a small vector: malloc's per-thread cache hands it out with no
        // lock and no atomic (the locked free lists cost four atomics a tensor).
        if size <= Self.maxMallocSize, let p = malloc(size) { return p }
        // Popped in place: copying the list out and back made every allocation O(cached buffers).
        let reused: UnsafeMutableRawPointer? = lock.withLock { cache in
            size <= 1 << 20 ? cache.small[size.trailingZeroBitCount].popLast() : cache.large[size]?.popLast()
        }
        if let p = reused {
            cachedBytes.subtract(size, ordering: .relaxed)
            return p
        }
        guard let p = aligned_alloc(64, size) else {
            throw EngineError(.resourceLimit, op: op, "out of memory allocating \(byteCount) bytes")
        }
        return p
    }

    func allocateSmall(byteCount: Int) -> UnsafeMutableRawPointer {
        if let p = try? allocate(byteCount: byteCount, op: "") { return p }
        // Only when the user set the limit below a scalar's size.
        return UnsafeMutableRawPointer.allocate(byteCount: Self.sizeClass(byteCount), alignment: 64)
    }

    func release(_ p: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Self.sizeClass(byteCount)
        if size <= Self.maxMallocSize {
            free(p)
            return
        }
        if cachedBytes.load(ordering: .relaxed) + size > maxCachedBytes {
            free(p)
            return
        }
        cachedBytes.add(size, ordering: .relaxed)
        lock.withLock { cache in
            if size <= 1 << 20 { cache.small[size.trailingZeroBitCount].append(p) } else { cache.large[size, default: []].append(p) }
        }
    }

    /// Bytes currently held for reuse (memory tests watch it stay bounded).
    var cachedByteCount: Int { cachedBytes.load(ordering: .relaxed) }

    /// Returns every cached buffer to the system (used by memory measurements).
    func trim() {
        let all = lock.withLock { cache -> [UnsafeMutableRawPointer] in
            let ps = cache.small.flatMap { $0 } + cache.large.values.flatMap { $0 }
            cache = FreeLists()
            return ps
        }
        for p in all { free(p) }
        cachedBytes.store(0, ordering: .relaxed)
    }
}
