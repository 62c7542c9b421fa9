/// `randperm(n)`: a random permutation of 0..<n as int64, by Fisher–Yates with
/// tensh's Philox stream (deterministic for a seed, on every machine; not torch's numbers).
///
/// Stream layout: swap step i (i = n-1 down to 1) exchanges position i with
/// position `w mod (i + 1)`, where w is the 64-bit word number n-1-i of the
/// stream (words 2k and 2k+1 are `w0 << 32 | w1` and `w2 << 32 | w3` of block k).
public func randperm(_ n: Int, seed: UInt64? = nil) throws -> Tensor {
    guard n >= 0 else { throw EngineError.invalid("randperm", "n", "n must be non-negative, got \(n)") }
    let out = try Tensor.empty([n], .int64, op: "randperm")
    let p = out.pointer(Int64.self)
    for i in 0..<n { p[i] = Int64(i) }
    guard n > 1 else { return out }
    let swaps = n - 1
    var words = [UInt64](repeating: 0, count: swaps)
    words.withUnsafeMutableBufferPointer { w in
        generateBlocks((swaps + 1) / 2, RandomGenerator.forCall(seed: seed)) { k, b in
            w[2 * k] = RandomBits.word64(b.0, b.1)
            if 2 * k + 1 < swaps { w[2 * k + 1] = RandomBits.word64(b.2, b.3) }
        }
    }
    for (step, i) in stride(from: n - 1, through: 1, by: -1).enumerated() {
        if step & (cancellationChunk - 1) == 0 && Cancellation.isRequested { break }
        let j = Int(words[step] % UInt64(i + 1))
        (p[i], p[j]) = (p[j], p[i])
    }
    try Cancellation.check("randperm")
    return out
}
