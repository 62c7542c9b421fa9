/// The three transforms of Winograd's F(2x2, 2x2) with the points {0, 1, ∞}:
/// a 2x2 output tile of the correlation of a 3x3 input tile d with a 2x2
/// kernel g is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, 9 multiplies instead of 16 (the ⊙,
/// done for all channels at once as 9 GEMMs by PhaseWinogradConv.swift):
///
///     Bᵀ = | 1 −1  0 |     G = | 1  0 |     Aᵀ = | 1  1  0 |
///          | 0  1  0 |         | 1  1 |          | 0  1  1 |
///          | 0 −1  1 |         | 0  1 |
///
/// In one dimension m0 = (d0 − d1)·g0, m1 = d1·(g0 + g1), m2 = (d2 − d1)·g1,
/// y0 = m0 + m1 = d0 g0 + d1 g1, y1 = m1 + m2 = d1 g0 + d2 g1. Every entry is
/// 0 or ±1, so the input and output transforms are exact additions; only the
/// kernel transform rounds (once, from Double). Index ξ = 3·i + j names element
/// (i, j) of a transformed 3x3 tile. A kernel row or column that is zero (a
/// one-tap phase, see PhaseWinogradConv.swift) makes row or column 0 (or 2) of U zero.

/// dst[ξ][i] = (G g Gᵀ)[ξ] for the 2x2 kernel (g00, g01; g10, g11), rounded once.
@inline(__always)
func winograd2KernelTransform(_ g00: Double, _ g01: Double, _ g10: Double, _ g11: Double,
                              into dst: UnsafePointer<UnsafeMutablePointer<Float>>, at i: Int) {
    // Row r of G g is (a, b); times Gᵀ it is (a, a + b, b).
    @inline(__always) func row(_ r: Int, _ a: Double, _ b: Double) {
        dst[3 &* r][i] = Float(a)
        dst[3 &* r &+ 1][i] = Float(a + b)
        dst[3 &* r &+ 2][i] = Float(b)
    }
    row(0, g00, g01)
    row(1, g00 + g10, g01 + g11)
    row(2, g10, g11)
}

/// Bᵀ d B of 16 neighbouring tiles at once (float32): tile k reads columns
/// 2k ..< 2k + 3 of the three rows rows + i·rowStride (33 columns in all and
/// read), and dst[ξ] + k receives its element ξ for k < 16.
@inline(__always)
func winograd2InputTransform16(_ rows: UnsafePointer<Float>, rowStride: Int,
                               into dst: UnsafePointer<UnsafeMutablePointer<Float>>, offset k: Int) {
    typealias V = SIMD16<Float>
    // Columns 2k, 2k + 1, 2k + 2 of row i as three vectors over k: 2k + 2 is
    // 2k shifted by a lane and column 32, the last of columns 17 ... 32 (the
    // even lanes of columns 2 ... 33, overlapping the first load, compiled to
    // a dozen broadcasts and inserts).
    @inline(__always) func columns(_ i: Int) -> (V, V, V) {
        let r = UnsafeRawPointer(rows + i &* rowStride)
        let a = r.loadUnaligned(as: SIMD32<Float>.self), tail = r.loadUnaligned(fromByteOffset: 68, as: V.self)
        let even = evenLanes(a)
        return (even, oddLanes(a), V(even[1], even[2], even[3], even[4], even[5], even[6], even[7], even[8], even[9],
                                     even[10], even[11], even[12], even[13], even[14], even[15], tail[15]))
    }
    @inline(__always) func store(_ t: (V, V, V), row i: Int) {
        UnsafeMutableRawPointer(dst[3 &* i] + k).storeBytes(of: t.0 - t.1, as: V.self)
        UnsafeMutableRawPointer(dst[3 &* i &+ 1] + k).storeBytes(of: t.1, as: V.self)
        UnsafeMutableRawPointer(dst[3 &* i &+ 2] + k).storeBytes(of: t.2 - t.1, as: V.self)
    }
    let r0 = columns(0), r1 = columns(1), r2 = columns(2)
    store((r0.0 - r1.0, r0.1 - r1.1, r0.2 - r1.2), row: 0)
    store(r1, row: 1)
    store((r2.0 - r1.0, r2.1 - r1.1, r2.2 - r1.2), row: 2)
}

/// Aᵀ m A of 16 neighbouring tiles at once (float32), tile k's element ξ at
/// m[ξ·s + k], plus `bias`: (y00, y01, y10, y11), each a vector over the tiles.
@inline(__always)
func winograd2OutputTransform16(_ m: UnsafePointer<Float>, stride s: Int, bias: Float)
    -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
    typealias V = SIMD16<Float>
    @inline(__always) func row(_ i: Int) -> (V, V, V) {
        let p = UnsafeRawPointer(m + 3 &* i &* s), b = s &* 4
        return (p.loadUnaligned(as: V.self), p.loadUnaligned(fromByteOffset: b, as: V.self),
                p.loadUnaligned(fromByteOffset: 2 &* b, as: V.self))
    }
    let r0 = row(0), r1 = row(1), r2 = row(2)
    let s0 = (r0.0 + r1.0, r0.1 + r1.1, r0.2 + r1.2), s1 = (r1.0 + r2.0, r1.1 + r2.1, r1.2 + r2.2)
    return (s0.0 + s0.1 + bias, s0.1 + s0.2 + bias, s1.0 + s1.1 + bias, s1.1 + s1.2 + bias)
}

/// The pairs (a[2k], a[2k + 1]) and (b[2k], b[2k + 1]) alternated: k < 8 in the
/// first vector, the rest in the second (constant lane indices: one permute each).
@inline(__always)
func interleavePairs(_ a: SIMD32<Float>, _ b: SIMD32<Float>) -> (SIMD32<Float>, SIMD32<Float>) {
    (SIMD32(a[0], a[1], b[0], b[1], a[2], a[3], b[2], b[3], a[4], a[5], b[4], b[5], a[6], a[7], b[6], b[7],
           a[8], a[9], b[8], b[9], a[10], a[11], b[10], b[11], a[12], a[13], b[12], b[13], a[14], a[15], b[14], b[15]),
     SIMD32(a[16], a[17], b[16], b[17], a[18], a[19], b[18], b[19], a[20], a[21], b[20], b[21], a[22], a[23], b[22], b[23],
           a[24], a[25], b[24], b[25], a[26], a[27], b[26], b[27], a[28], a[29], b[28], b[29], a[30], a[31], b[30], b[31]))
}
