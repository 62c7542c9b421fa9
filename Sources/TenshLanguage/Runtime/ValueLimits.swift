import Dispatch
import TenshEngine

/// The language's side of the allocation limit (`--max-tensor-bytes`, the
/// engine's `EngineConfig.maxTensorBytes`): a list, a string or a range a
/// script builds is measured before it is allocated and refused with an error
/// when it would pass the limit, as a tensor is. Long builds poll Ctrl-C.
enum ValueLimits {
    /// Items built between Ctrl-C checks: well under a millisecond of work.
    static let cancellationChunk = 1 << 16

    /// What one list item costs.
    static let listItemBytes = MemoryLayout<Value>.stride

    /// What one row of a tensor costs when a loop's items are all made at once:
    /// the list item plus the row's view (an object with its shape and strides).
    static let tensorRowBytes = listItemBytes + 256

    /// Throws unless a list of `count` items fits the limit.
    static func checkList(_ count: Int, itemBytes: Int = listItemBytes) throws {
        let limit = EngineConfig.maxTensorBytes
        let (bytes, overflow) = max(count, 0).multipliedReportingOverflow(by: itemBytes)
        guard overflow || bytes > limit else { return }
        let size = overflow ? "more than \(Int.max)" : String(bytes)
        throw RuntimeError("a list of \(count) items (\(size) bytes) exceeds the allocation limit of \(limit) bytes")
    }

    /// Throws unless a string of `count` UTF-8 bytes fits the limit.
    static func checkString(_ count: Int, overflow: Bool = false) throws {
        let limit = EngineConfig.maxTensorBytes
        guard overflow || count > limit else { return }
        let size = overflow ? "more than \(Int.max)" : String(count)
        throw RuntimeError("a string of \(size) bytes exceeds the allocation limit of \(limit) bytes")
    }

    /// Throws unless `count` numbers gathered from lists (before they become a
    /// tensor or a plot) fit the limit; polls Ctrl-C once per chunk gathered.
    static func checkNumbers(_ count: Int, _ op: String) throws {
        let limit = EngineConfig.maxTensorBytes
        let (bytes, overflow) = max(count, 0).multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        if overflow || bytes > limit {
            let size = overflow ? "more than \(Int.max)" : String(bytes)
            throw RuntimeError("\(op): \(count) numbers (\(size) bytes) exceed the allocation limit of \(limit) bytes")
        }
        if count % cancellationChunk == 0 { try Cancellation.check(op) }
    }

    /// `a + b` for strings, checked first.
    static func concatenated(_ a: String, _ b: String) throws -> String {
        let (count, overflow) = a.utf8.count.addingReportingOverflow(b.utf8.count)
        try checkString(count, overflow: overflow)
        return a + b
    }

    /// `s * n` (and `n * s`): `n` copies of `s`, checked first; none for `n <= 0`.
    static func repeated(_ s: String, _ n: Int) throws -> String {
        guard n > 0 else { return "" }
        let (count, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
        try checkString(count, overflow: overflow)
        var out = ""
        out.reserveCapacity(count)
        for i in 0..<n {
            if i % cancellationChunk == 0 { try Cancellation.check("repeat") }
            out += s
        }
        return out
    }

    /// `a + b` for lists, checked first and copied in chunks that poll Ctrl-C.
    static func concatenated(_ a: [Value], _ b: [Value]) throws -> [Value] {
        let (count, overflow) = a.count.addingReportingOverflow(b.count)
        try checkList(overflow ? Int.max : count)
        var out: [Value] = []
        out.reserveCapacity(count)
        for part in [a, b] {
            var start = 0
            while start < part.count {
                try checkCancellation("list", abandoning: &out)
                let end = min(part.count, start + cancellationChunk)
                out += part[start..<end]
                start = end
            }
        }
        return out
    }

    /// `l * n` for lists and tuples: `n` copies of the items, checked first.
    static func repeated(_ items: [Value], _ n: Int) throws -> [Value] {
        guard n > 0, !items.isEmpty else { return [] }
        let (count, overflow) = items.count.multipliedReportingOverflow(by: n)
        try checkList(overflow ? Int.max : count)
        return try build(count, "repeat") { items[$0 % items.count] }
    }

    /// The `count` values `item(0) ..< item(count)`, checked first (with
    /// `itemBytes` per item) and built in chunks that poll Ctrl-C.
    static func build(_ count: Int, itemBytes: Int = listItemBytes, _ op: String,
                      _ item: (Int) throws -> Value) throws -> [Value] {
        try checkList(count, itemBytes: itemBytes)
        var values: [Value] = []
        values.reserveCapacity(count)
        var start = 0
        while start < count {
            try checkCancellation(op, abandoning: &values)
            let end = min(count, start + cancellationChunk)
            for i in start..<end { values.append(try item(i)) }
            start = end
        }
        return values
    }

    /// Throws on Ctrl-C. Freeing millions of items takes about half as long as
    /// making them, so an interrupted build's items are freed on another thread
    /// and the prompt comes back at once.
    private static func checkCancellation(_ op: String, abandoning values: inout [Value]) throws {
        guard Cancellation.isRequested else { return }
        let abandoned = AbandonedValues(values)
        values = []
        DispatchQueue.global(qos: .utility).async { abandoned.release() }
        try Cancellation.check(op)
    }
}

/// Items left behind by an interrupted build, released by whichever thread
/// calls `release` (tensors and other values are safe to release from any thread).
private final class AbandonedValues: @unchecked Sendable {
    private var values: [Value]
    init(_ values: [Value]) { self.values = values }
    func release() { values = [] }
}
