import Synchronization

/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"):
/// a counter-based generator. Block `k` of the stream is `philox(counter: k, key: seed)`,
/// four 32-bit words, so any element can be computed independently — the same
/// seed gives the same numbers on every machine and for any thread count.
/// scripts/fixtures/rng.py reimplements it in Python for the tests.
struct Philox4x32 {
    let key0: UInt32, key1: UInt32

    init(seed: UInt64) {
        key0 = UInt32(truncatingIfNeeded: seed)
        key1 = UInt32(truncatingIfNeeded: seed >> 32)
    }

    /// The four words of block `index` (counter = [low32, high32, 0, 0]).
    @inline(__always)
    func block(_ index: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var c0 = UInt32(truncatingIfNeeded: index), c1 = UInt32(truncatingIfNeeded: index >> 32)
        var c2: UInt32 = 0, c3: UInt32 = 0
        var k0 = key0, k1 = key1
        for round in 0..<10 {
            if round > 0 { k0 &+= 0x9E37_79B9; k1 &+= 0xBB67_AE85 }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }
}

/// A seeded stream of random blocks. Each draw takes the next unused blocks, so
/// successive calls on one generator give different numbers.
public final class RandomGenerator: Sendable {
    /// The seed the process-wide generator starts from (and `manualSeed` resets).
    public static let defaultSeed: UInt64 = 20_240_601

    /// The process-wide generator used when no `seed:` is given.
    public static let shared = RandomGenerator(seed: defaultSeed)

    private let state: Mutex<(seed: UInt64, nextBlock: UInt64)>

    public init(seed: UInt64) {
        state = Mutex((seed, 0))
    }

    /// Restarts the stream from `seed` (PyTorch's `torch.manual_seed`).
    public func manualSeed(_ seed: UInt64) {
        state.withLock { $0 = (seed, 0) }
    }

    public var seed: UInt64 { state.withLock { $0.seed } }

    /// Reserves `blocks` consecutive blocks: the Philox key and the first block index.
    func reserve(_ blocks: Int) -> (Philox4x32, UInt64) {
        state.withLock { s in
            let first = s.nextBlock
            s.nextBlock &+= UInt64(blocks)
            return (Philox4x32(seed: s.seed), first)
        }
    }

    /// The generator for a call: a fresh one for an explicit seed, otherwise the shared one.
    static func forCall(seed: UInt64?) -> RandomGenerator {
        seed.map { RandomGenerator(seed: $0) } ?? shared
    }
}

/// Resets the process-wide generator (`torch.manual_seed`).
public func manualSeed(_ seed: UInt64) { RandomGenerator.shared.manualSeed(seed) }

/// Conversions from raw words to numbers, shared by every random op.
enum RandomBits {
    /// A float in [0, 1) from the top 24 bits of a word.
    @inline(__always) static func unitFloat(_ w: UInt32) -> Float { Float(w >> 8) * 0x1p-24 }

    /// A double in [0, 1) from 53 bits of two words.
    @inline(__always) static func unitDouble(_ a: UInt32, _ b: UInt32) -> Double {
        Double((UInt64(a) << 32 | UInt64(b)) >> 11) * 0x1p-53
    }

    /// A 64-bit word from two words.
    @inline(__always) static func word64(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// Two standard normals from one block (Box–Muller on two 53-bit uniforms).
    @inline(__always) static func normalPair(_ w: (UInt32, UInt32, UInt32, UInt32)) -> (Double, Double) {
        let u1 = 1 - unitDouble(w.0, w.1) // (0, 1]: log stays finite
        let u2 = unitDouble(w.2, w.3)
        let r = (-2 * Double.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * Double.cos(theta), r * Double.sin(theta))
    }
}
