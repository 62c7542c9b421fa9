/// `range(start, stop, step)`: Python's progression of ints, counted exactly
/// (any Int bounds, no rounding). The `range` builtin makes it a list; a `for`
/// loop over a direct call of `range` walks it without making one, as Python's
/// lazy range does, so such a loop starts, runs and stops at Ctrl-C without a
/// list of 100,000,000 items to build or free.
struct IntRange {
    static let maxCount = 100_000_000

    let start: Int
    let step: Int
    let count: Int

    init(_ a: Arguments) throws {
        var start = try a.int("start")
        var stop = 0
        if a.isGiven("stop") { stop = try a.int("stop") } else { (start, stop) = (0, start) }
        let step = try a.int("step")
        guard step != 0 else { throw a.error("step", "step must not be zero") }
        // The distance in UInt holds any pair of Ints.
        let ascending = step > 0
        let distance = ascending ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
        let count: UInt = (ascending ? stop > start : stop < start) ? (distance - 1) / step.magnitude + 1 : 0
        guard count <= UInt(IntRange.maxCount) else { throw a.error("stop", "range of \(count) ints is too long") }
        self.start = start
        self.step = step
        self.count = Int(count)
        // Values move one way from start: when the last fits in an Int, all do.
        if self.count > 0 {
            let (offset, o1) = (self.count - 1).multipliedReportingOverflow(by: step)
            let (_, o2) = start.addingReportingOverflow(offset)
            guard !o1 && !o2 else { throw a.error("stop", "range values overflow an int") }
        }
    }

    /// The value at `i` in `0 ..< count` (checked to fit when the range was made).
    func value(at i: Int) -> Int { start &+ i &* step }
}
