import TenshEngine

/// What `summary` and `inspect` say about a tensor's values: min, max, mean and
/// std (unbiased, as torch's; 0 for one value) of its finite values, with the
/// NaNs and infinities counted apart. All nil when no value is finite.
///
/// The values are read as doubles a chunk at a time (two passes: the mean, then
/// the squares about it), so a tensor near the allocation limit needs no copy of
/// 8 bytes per element; a non-contiguous one is copied once, within the limit.
struct TensorStatistics {
    private(set) var min: Double?
    private(set) var max: Double?
    private(set) var mean: Double?
    private(set) var std: Double?
    private(set) var nans = 0
    private(set) var infs = 0

    static let chunk = 1 << 16

    init(_ t: Tensor, op: String) throws {
        let flat = try t.detached().reshaped([t.count])
        var finite = 0, sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        try Self.forEachChunk(flat, op: op) { values in
            for v in values {
                if v.isFinite {
                    finite += 1
                    sum += v
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                } else if v.isNaN { nans += 1 } else { infs += 1 }
            }
        }
        guard finite > 0 else { return }
        let average = sum / Double(finite)
        var squares = 0.0
        if finite > 1 {
            try Self.forEachChunk(flat, op: op) { values in
                for v in values where v.isFinite { squares += (v - average) * (v - average) }
            }
        }
        (min, max, mean) = (lo, hi, average)
        std = finite > 1 ? (squares / Double(finite - 1)).squareRoot() : 0
    }

    private static func forEachChunk(_ flat: Tensor, op: String, _ body: ([Double]) -> Void) throws {
        for start in stride(from: 0, to: flat.count, by: chunk) {
            try Cancellation.check(op)
            body(try flat.narrowed(0, start: start, length: Swift.min(chunk, flat.count - start)).toDoubles())
        }
    }
}
