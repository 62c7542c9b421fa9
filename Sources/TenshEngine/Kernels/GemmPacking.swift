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
/// Written out by hand so the compiler emits plain loads and stores (an
/// auto-vectorised strided copy becomes scatter/gather instructions, which
/// are slow on this machine).
@inline(__always)
private func interleave8<T>(_ src: UnsafePointer<T>, stride: Int, count: Int,
                            into out: UnsafeMutablePointer<T>, outStride: Int) {
    let r0 = src, r1 = src + stride, r2 = src + 2 &* stride, r3 = src + 3 &* stride
    let r4 = src + 4 &* stride, r5 = src + 5 &* stride, r6 = src + 6 &* stride, r7 = src + 7 &* stride
    var o = out
    for p in 0..<count {
        o[0] = r0[p]; o[1] = r1[p]; o[2] = r2[p]; o[3] = r3[p]
        o[4] = r4[p]; o[5] = r5[p]; o[6] = r6[p]; o[7] = r7[p]
        o += outStride
    }
}
