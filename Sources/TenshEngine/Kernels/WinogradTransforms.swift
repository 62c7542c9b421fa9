/// The three transforms of Winograd's F(2x2, 3x3) (Lavin & Gray, 2015): a
/// 2x2 output tile is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A for a 3x3 kernel g and the
/// 4x4 input tile d around it, so the 36 multiplies of the direct form become
/// 16 (the ⊙, done for all channels at once as 16 GEMMs by WinogradConv.swift):
///
///     Bᵀ = | 1  0 −1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
///          | 0  1  1  0 |         | ½    ½    ½  |          | 0  1 −1 −1 |
///          | 0 −1  1  0 |         | ½   −½    ½  |
///          | 0  1  0 −1 |         | 0    0    1  |
///
/// Index ξ = 4·i + j names element (i, j) of a transformed 4x4 tile.

/// u[ξ·s] = (G g Gᵀ)[ξ] for the 3x3 kernel g read at g[ky·dy + kx·dx] (a
/// flipped kernel reads with negative steps), computed in Double and rounded once.
@inline(__always)
func winogradKernelTransform<T: GemmScalar>(_ g: UnsafePointer<T>, dy: Int, dx: Int,
                                            into u: UnsafeMutablePointer<T>, stride s: Int) {
    @inline(__always) func at(_ ky: Int, _ kx: Int) -> Double { Double(g[ky * dy + kx * dx]) }
    // Row i of G g, as the 3 columns (c0, c1, c2) of the kernel combined by row i of G.
    @inline(__always) func ggRow(_ i: Int) -> (Double, Double, Double) {
        @inline(__always) func combine(_ kx: Int) -> Double {
            let g0 = at(0, kx), g1 = at(1, kx), g2 = at(2, kx)
            switch i {
            case 0: return g0
            case 1: return (g0 + g1 + g2) * 0.5
            case 2: return (g0 - g1 + g2) * 0.5
            default: return g2
            }
        }
        return (combine(0), combine(1), combine(2))
    }
    for i in 0..<4 { // (G g) Gᵀ, row by row
        let (r0, r1, r2) = ggRow(i)
        u[4 * i * s] = T(r0)
        u[(4 * i + 1) * s] = T((r0 + r1 + r2) * 0.5)
        u[(4 * i + 2) * s] = T((r0 - r1 + r2) * 0.5)
        u[(4 * i + 3) * s] = T(r2)
    }
}

/// v[ξ·s] = (Bᵀ d B)[ξ] for the 4x4 input tile with rows r0...r3 (4 values each).
@inline(__always)
func winogradInputTransform<T: GemmScalar>(_ r0: UnsafePointer<T>, _ r1: UnsafePointer<T>, _ r2: UnsafePointer<T>,
                                           _ r3: UnsafePointer<T>, into v: UnsafeMutablePointer<T>, stride s: Int) {
    // Rows combined first (Bᵀ d: t0...t3), then the columns of each (· B).
    @inline(__always) func columns(_ t0: T, _ t1: T, _ t2: T, _ t3: T, _ o: UnsafeMutablePointer<T>) {
        o[0] = t0 - t2; o[s] = t1 + t2; o[2 &* s] = t2 - t1; o[3 &* s] = t1 - t3
    }
    let (a0, a1, a2, a3) = (r0[0], r0[1], r0[2], r0[3]), (b0, b1, b2, b3) = (r1[0], r1[1], r1[2], r1[3])
    let (c0, c1, c2, c3) = (r2[0], r2[1], r2[2], r2[3]), (d0, d1, d2, d3) = (r3[0], r3[1], r3[2], r3[3])
    columns(a0 - c0, a1 - c1, a2 - c2, a3 - c3, v)
    columns(b0 + c0, b1 + c1, b2 + c2, b3 + c3, v + 4 &* s)
    columns(c0 - b0, c1 - b1, c2 - b2, c3 - b3, v + 8 &* s)
    columns(b0 - d0, b1 - d1, b2 - d2, b3 - d3, v + 12 &* s)
}

/// The 2x2 output tile Aᵀ m A from m[ξ·s]: (y00, y01, y10, y11).
@inline(__always)
func winogradOutputTransform<T: GemmScalar>(_ m: UnsafePointer<T>, stride s: Int) -> (T, T, T, T) {
    // Rows first (Aᵀ m: two rows of 4), then the columns of each (· A).
    @inline(__always) func row(_ i: Int) -> (T, T, T, T) {
        let p = m + 4 &* i &* s
        return (p[0], p[s], p[2 &* s], p[3 &* s])
    }
    let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
    let s0 = (r0.0 + r1.0 + r2.0, r0.1 + r1.1 + r2.1, r0.2 + r1.2 + r2.2, r0.3 + r1.3 + r2.3)
    let s1 = (r1.0 - r2.0 - r3.0, r1.1 - r2.1 - r3.1, r1.2 - r2.2 - r3.2, r1.3 - r2.3 - r3.3)
    return (s0.0 + s0.1 + s0.2, s0.1 - s0.2 - s0.3, s1.0 + s1.1 + s1.2, s1.1 - s1.2 - s1.3)
}

/// Bᵀ d B of 16 neighbouring tiles at once (float32): tile k reads columns
/// 2k ..< 2k + 4 of the four rows rows + i·rowStride (34 columns in all, 66
/// read), and v[ξ·s + k] receives its element ξ for k < 16.
@inline(__always)
func winogradInputTransform16(_ rows: UnsafePointer<Float>, rowStride: Int, into v: UnsafeMutablePointer<Float>,
                              stride s: Int) {
    typealias V = SIMD16<Float>
    // Columns 2k, 2k + 1, 2k + 2, 2k + 3 of each row as four vectors over k.
    @inline(__always) func columns(_ i: Int) -> (V, V, V, V) {
        let r = UnsafeRawPointer(rows + i &* rowStride)
        let a = r.loadUnaligned(as: SIMD32<Float>.self), b = r.loadUnaligned(fromByteOffset: 8, as: SIMD32<Float>.self)
        return (evenLanes(a), oddLanes(a), evenLanes(b), oddLanes(b))
    }
    let r0 = columns(0), r1 = columns(1), r2 = columns(2), r3 = columns(3)
    @inline(__always) func store(_ t: (V, V, V, V), row i: Int) {
        let o = (t.0 - t.2, t.1 + t.2, t.2 - t.1, t.1 - t.3)
        let p = v + 4 &* i &* s
        UnsafeMutableRawPointer(p).storeBytes(of: o.0, as: V.self)
        UnsafeMutableRawPointer(p + s).storeBytes(of: o.1, as: V.self)
        UnsafeMutableRawPointer(p + 2 &* s).storeBytes(of: o.2, as: V.self)
        UnsafeMutableRawPointer(p + 3 &* s).storeBytes(of: o.3, as: V.self)
    }
    store((r0.0 - r2.0, r0.1 - r2.1, r0.2 - r2.2, r0.3 - r2.3), row: 0)
    store((r1.0 + r2.0, r1.1 + r2.1, r1.2 + r2.2, r1.3 + r2.3), row: 1)
    store((r2.0 - r1.0, r2.1 - r1.1, r2.2 - r1.2, r2.3 - r1.3), row: 2)
    store((r1.0 - r3.0, r1.1 - r3.1, r1.2 - r3.2, r1.3 - r3.3), row: 3)
}

/// Aᵀ m A of 16 neighbouring tiles at once (float32), tile k's element ξ at
/// m[ξ·s + k]: the two output rows (32 columns each, tile k at columns 2k, 2k + 1), plus `bias`.
@inline(__always)
func winogradOutputTransform16(_ m: UnsafePointer<Float>, stride s: Int, bias: Float) -> (SIMD32<Float>, SIMD32<Float>) {
    typealias V = SIMD16<Float>
    @inline(__always) func row(_ i: Int) -> (V, V, V, V) {
        let p = UnsafeRawPointer(m + 4 &* i &* s), b = s &* 4
        return (p.loadUnaligned(as: V.self), p.loadUnaligned(fromByteOffset: b, as: V.self),
                p.loadUnaligned(fromByteOffset: 2 &* b, as: V.self), p.loadUnaligned(fromByteOffset: 3 &* b, as: V.self))
    }
    let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
    let s0 = (r0.0 + r1.0 + r2.0, r0.1 + r1.1 + r2.1, r0.2 + r1.2 + r2.2, r0.3 + r1.3 + r2.3)
    let s1 = (r1.0 - r2.0 - r3.0, r1.1 - r2.1 - r3.1, r1.2 - r2.2 - r3.2, r1.3 - r2.3 - r3.3)
    return (interleave(s0.0 + s0.1 + s0.2 + bias, s0.1 - s0.2 - s0.3 + bias),
            interleave(s1.0 + s1.1 + s1.2 + bias, s1.1 - s1.2 - s1.3 + bias))
}

// Lane shuffles written out with constant indices, which LLVM turns into one
// permute each (the standard library's evenHalf/oddHalf stayed calls to a lane loop).

@inline(__always)
func evenLanes(_ a: SIMD32<Float>) -> SIMD16<Float> {
    SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], a[16], a[18], a[20], a[22], a[24], a[26], a[28], a[30])
}

@inline(__always)
func oddLanes(_ a: SIMD32<Float>) -> SIMD16<Float> {
    SIMD16(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15], a[17], a[19], a[21], a[23], a[25], a[27], a[29], a[31])
}

/// (e0, o0, e1, o1, ..., e15, o15).
@inline(__always)
func interleave(_ e: SIMD16<Float>, _ o: SIMD16<Float>) -> SIMD32<Float> {
    SIMD32(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3], e[4], o[4], e[5], o[5], e[6], o[6], e[7], o[7],
           e[8], o[8], e[9], o[9], e[10], o[10], e[11], o[11], e[12], o[12], e[13], o[13], e[14], o[14], e[15], o[15])
}
