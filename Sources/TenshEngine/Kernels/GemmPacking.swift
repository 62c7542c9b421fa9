/// Packing of GEMM operands into the panel layouts the micro-kernel streams:
/// A as MR-row micro-panels ([panel][k][MR]), B as NR-column micro-panels
/// ([panel][k][NR]). Edges are padded with zeros so the micro-kernel never
/// branches; any row/column strides are accepted (transposes included).

/// A strided matrix view over raw memory: element (i, j) is at base[i·rs + j·cs].
struct MatrixView<T> {
    let base: UnsafePointer<T>
    let rs: Int
    let cs: Int

    @inline(__always) init(_ base: UnsafePointer<T>, rs: Int, cs: Int) {
        self.base = base; self.rs = rs; self.cs = cs
    }

    /// The view starting at (i, j).
    @inline(__always) func offset(_ i: Int, _ j: Int) -> MatrixView<T> {
        MatrixView(base + (i &* rs &+ j &* cs), rs: rs, cs: cs)
    }

    /// The transpose (same memory).
    var transposed: MatrixView<T> { MatrixView(base, rs: cs, cs: rs) }
}

/// Packs rows [0, m) x columns [0, kc) of `a` into ceil(m/MR) micro-panels.
@inline(__always)
func gemmPackA<T: GemmScalar>(_ a: MatrixView<T>, m: Int, kc: Int, into dst: UnsafeMutablePointer<T>) {
    let mr = GemmShape.mr
    var out = dst
    var i0 = 0
    while i0 < m {
        let rows = min(mr, m &- i0)
        let src = a.base + i0 &* a.rs
        if rows == mr && a.rs == 1 {
            // Column-major A (a transposed operand): each k step copies MR contiguous values.
            for p in 0..<kc {
                let s = src + p &* a.cs
                for i in 0..<mr { out[i] = s[i] }
                out += mr
            }
        } else if a.cs == 1 && rows == mr {
            // Row-major A: eight sequential row streams interleaved into the panel.
            interleave8(src, stride: a.rs, count: kc, into: out, outStride: mr)
            out += kc &* mr
        } else {
            for p in 0..<kc {
                let s = src + p &* a.cs
                for i in 0..<rows { out[i] = s[i &* a.rs] }
                for i in rows..<mr { out[i] = 0 }
                out += mr
            }
        }
        i0 &+= mr
    }
}

/// Packs rows [0, kc) x columns [0, n) of `b` into ceil(n/NR) micro-panels.
@inline(__always)
func gemmPackB<T: GemmScalar>(_ b: MatrixView<T>, kc: Int, n: Int, into dst: UnsafeMutablePointer<T>) {
    let nr = GemmShape.nr(T.self)
    var out = dst
    var j0 = 0
    if b.cs == 1 && n >= nr {
        // Row-major B: read each row once from start to end (one sequential
        // stream the prefetcher follows) and scatter its NR-wide pieces to the
        // panels; panel by panel would touch every row anew for each panel.
        let panels = n / nr
        for p in 0..<kc {
            let src = b.base + p &* b.rs
            var o = dst + p &* nr
            for j in 0..<panels {
                copyPanelRow(src + j &* nr, to: o)
                o += kc &* nr
            }
        }
        j0 = panels &* nr
        out = dst + panels &* kc &* nr
    }
    while j0 < n {
        let cols = min(nr, n &- j0)
        let src = b.base + j0 &* b.cs
        if cols == nr && b.cs == 1 {
            // Row-major B: each k step is one contiguous run of NR values.
            for p in 0..<kc {
                (out).update(from: src + p &* b.rs, count: nr)
                out += nr
            }
        } else if b.rs == 1 && cols % 8 == 0 {
            // Column-major B (a transposed operand such as im2col columnsᵀ): groups
            // of eight sequential column streams instead of NR strided gathers.
            for j in stride(from: 0, to: cols, by: 8) {
                interleave8(src + j &* b.cs, stride: b.cs, count: kc, into: out + j, outStride: nr)
            }
            if cols < nr { for p in 0..<kc { for j in cols..<nr { out[p &* nr &+ j] = 0 } } }
            out += kc &* nr
        } else {
            for p in 0..<kc {
                let s = src + p &* b.rs
                for j in 0..<cols { out[j] = s[j &* b.cs] }
                for j in cols..<nr { out[j] = 0 }
                out += nr
            }
        }
        j0 &+= nr
    }
}

/// Copies NR contiguous values (two SIMD vectors).
@inline(__always)
private func copyPanelRow<T: GemmScalar>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>) {
    let half = T.Vector.scalarCount &* MemoryLayout<T>.stride
    let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
    d.storeBytes(of: s.loadUnaligned(as: T.Vector.self), as: T.Vector.self)
    d.storeBytes(of: s.loadUnaligned(fromByteOffset: half, as: T.Vector.self), toByteOffset: half, as: T.Vector.self)
}

/// out[p·outStride + r] = src[r·stride + p] for r < 8, p < count: eight
/// sequential read streams written as one contiguous group of eight per step.
/// Eight steps at a time go through registers as an 8x8 transpose of plain
/// vector loads, two-source shuffles and stores: left to itself, the compiler
/// vectorised the scalar loop over p into scatter instructions, which are slow
/// on this machine (15% of the weight gradient's GEMM on c4, `perf annotate`).
@inline(__always)
private func interleave8<T: GemmScalar>(_ src: UnsafePointer<T>, stride: Int, count: Int,
                                        into out: UnsafeMutablePointer<T>, outStride: Int) {
    let r0 = src, r1 = src + stride, r2 = src + 2 &* stride, r3 = src + 3 &* stride
    let r4 = src + 4 &* stride, r5 = src + 5 &* stride, r6 = src + 6 &* stride, r7 = src + 7 &* stride
    var p = 0
    while p &+ 8 <= count {
        let t = transpose8x8(load8(r0 + p), load8(r1 + p), load8(r2 + p), load8(r3 + p),
                             load8(r4 + p), load8(r5 + p), load8(r6 + p), load8(r7 + p))
        let o = out + p &* outStride
        store8(t.0, o); store8(t.1, o + outStride); store8(t.2, o + 2 &* outStride); store8(t.3, o + 3 &* outStride)
        store8(t.4, o + 4 &* outStride); store8(t.5, o + 5 &* outStride)
        store8(t.6, o + 6 &* outStride); store8(t.7, o + 7 &* outStride)
        p &+= 8
    }
    var o = out + p &* outStride
    while p < count {
        o[0] = r0[p]; o[1] = r1[p]; o[2] = r2[p]; o[3] = r3[p]
        o[4] = r4[p]; o[5] = r5[p]; o[6] = r6[p]; o[7] = r7[p]
        o += outStride
        p &+= 1
    }
}

@inline(__always)
private func load8<T: GemmScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}

@inline(__always)
private func store8<T: GemmScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
}

/// The transpose of the 8x8 matrix with rows a...h, in three rounds of two-source
/// lane shuffles (each initialiser reads lanes of two vectors: one shuffle instruction).
@inline(__always)
private func transpose8x8<T: GemmScalar>(_ a: SIMD8<T>, _ b: SIMD8<T>, _ c: SIMD8<T>, _ d: SIMD8<T>,
                                         _ e: SIMD8<T>, _ f: SIMD8<T>, _ g: SIMD8<T>, _ h: SIMD8<T>)
    -> (SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>) {
    // Pairs of rows interleaved: x lanes (0, 1) of columns j, j + 4 for j even ("lo") or odd ("hi").
    func lo(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[0], y[0], x[1], y[1], x[4], y[4], x[5], y[5]) }
    func hi(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[2], y[2], x[3], y[3], x[6], y[6], x[7], y[7]) }
    let ab0 = lo(a, b), ab1 = hi(a, b), cd0 = lo(c, d), cd1 = hi(c, d)
    let ef0 = lo(e, f), ef1 = hi(e, f), gh0 = lo(g, h), gh1 = hi(g, h)
    // Four rows of one column j (lanes 0-3) and of column j + 4 (lanes 4-7).
    func even(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[0], x[1], y[0], y[1], x[4], x[5], y[4], y[5]) }
    func odd(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[2], x[3], y[2], y[3], x[6], x[7], y[6], y[7]) }
    let top0 = even(ab0, cd0), top1 = odd(ab0, cd0), top2 = even(ab1, cd1), top3 = odd(ab1, cd1)
    let bot0 = even(ef0, gh0), bot1 = odd(ef0, gh0), bot2 = even(ef1, gh1), bot3 = odd(ef1, gh1)
    // Columns j (lanes 0-3 of both halves) and j + 4 (lanes 4-7).
    func first(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3]) }
    func second(_ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> { SIMD8(x[4], x[5], x[6], x[7], y[4], y[5], y[6], y[7]) }
    return (first(top0, bot0), first(top1, bot1), first(top2, bot2), first(top3, bot3),
            second(top0, bot0), second(top1, bot1), second(top2, bot2), second(top3, bot3))
}
