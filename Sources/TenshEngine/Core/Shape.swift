import TenshText

/// Shape arithmetic shared by every op. Sizes are checked, never trusted:
/// products that overflow and negative sizes are errors, not traps.
enum ShapeMath {
    /// The most dimensions a tensor may have (NumPy's limit). Every shape an op
    /// makes passes `count` or `checkRank`, so no tensor of higher rank exists:
    /// printing, indexing and backward never walk a shape of 100,000 dimensions.
    static let maxRank = 64

    /// Refuses a shape of more than `maxRank` dimensions.
    static func checkRank(_ rank: Int, op: String, argument: String? = nil) throws {
        guard rank <= maxRank else {
            throw EngineError(.resourceLimit, op: op, argument: argument,
                              "a tensor can have at most \(maxRank) dimensions, got \(rank)")
        }
    }

    /// Number of elements, or an error when the rank is above `maxRank`, a size is
    /// negative or the product overflows. The product of the non-zero sizes must fit
    /// too: strides are products of sizes, so an empty `[0, 2^62, 4]` would otherwise
    /// overflow offset arithmetic.
    static func count(_ shape: [Int], op: String, argument: String = "size") throws -> Int {
        try checkRank(shape.count, op: op, argument: argument)
        var n = 1, span = 1
        for d in shape {
            guard d >= 0 else { throw EngineError.invalid(op, argument, "negative size \(d) in shape \(shapeText(shape))") }
            let (p, overflow) = span.multipliedReportingOverflow(by: Swift.max(d, 1))
            guard !overflow else {
                throw EngineError(.resourceLimit, op: op, argument: argument, "shape \(shapeText(shape)) has too many elements")
            }
            span = p
            n = n &* d
        }
        return n
    }

    private static let unitStride = [1]

    /// Row-major strides of a contiguous tensor.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        // Scalars and vectors (most small results) share one array: no allocation.
        if shape.count <= 1 { return shape.isEmpty ? [] : unitStride }
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s = s &* max(shape[i], 1)
        }
        return strides
    }

    /// Whether `strides` are the row-major strides of `shape` (what
    /// `contiguousStrides` returns), checked without allocating.
    static func areContiguousStrides(_ strides: [Int], of shape: [Int]) -> Bool {
        guard strides.count == shape.count else { return false }
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            if strides[i] != s { return false }
            s = s &* max(shape[i], 1)
        }
        return true
    }

    /// Whether broadcasting `b` against `a` gives `a`'s shape: `b` has no more
    /// dimensions and each of its trailing sizes is `a`'s or 1.
    private static func broadcastsInto(_ b: [Int], _ a: [Int]) -> Bool {
        guard b.count <= a.count else { return false }
        let lead = a.count - b.count
        for i in 0..<b.count where b[i] != 1 && b[i] != a[lead + i] { return false }
        return true
    }

    /// NumPy broadcasting of two shapes.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        // The common cases (equal shapes, a number or a row against a matrix)
        // share an operand's shape storage: no allocation.
        if a == b || broadcastsInto(b, a) { return a }
        if broadcastsInto(a, b) { return b }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw EngineError.invalid(op, nil,
                    "shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
        }
        return out
    }

    /// Normalises a possibly negative dimension index against `rank`.
    static func dim(_ d: Int, rank: Int, op: String, argument: String = "dim") throws -> Int {
        let r = max(rank, 1)
        guard d >= -r && d < r else {
            throw EngineError.invalid(op, argument, "dimension \(d) is out of range for a tensor of rank \(rank) (expected \(-r)...\(r - 1))")
        }
        return d < 0 ? d + r : d
    }
}
