import Foundation
import TenshEngine

/// One benchmark case: `prepare` builds inputs once and returns the timed body.
struct BenchCase {
    let name: String
    /// Floating point operations of one run of the body (0 when not meaningful).
    let flops: Double
    /// How many times the body runs inside one timed sample (for very short bodies).
    var innerRepeats = 1
    /// Bytes of the input, weight and output tensors (conv forward cases; 0 otherwise):
    /// the base of the memory target, 1.5x this plus 64 MiB.
    var tensorBytes = 0
    let prepare: () throws -> () throws -> AnyObject
}

/// Minimum wall time over `samples` runs (after one warm-up), in seconds per
/// body run. The previous run's output is kept alive while the next one runs,
/// as a caller holding its result would.
func measure(_ body: () throws -> AnyObject, samples: Int, innerRepeats: Int) throws -> Double {
    var keep: AnyObject = try body()
    var best = Double.infinity
    for _ in 0..<samples {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<innerRepeats { keep = try body() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed / Double(innerRepeats))
    }
    withExtendedLifetime(keep) {}
    return best
}

/// Peak resident set size of this process in MiB (VmHWM from /proc).
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

/// Deterministic inputs in [-1, 1) (the benchmark does not depend on the engine's RNG).
/// Filled in chunks so that the peak resident memory of a case is not inflated by a
/// whole-tensor array of Doubles (which would be twice the tensor's float32 size).
func benchTensor(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var state = seed &* 0x9E3779B97F4A7C15 | 1
    let n = shape.reduce(1, *)
    let flat = try Tensor(zeros: [n])
    let chunk = 1 << 16
    for start in stride(from: 0, to: n, by: chunk) {
        let length = min(chunk, n - start)
        let values = (0..<length).map { _ -> Double in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        try updateInPlace(flat.narrowed(0, start: start, length: length), with: Tensor(values, shape: [length]))
    }
    return try flat.view(shape)
}
