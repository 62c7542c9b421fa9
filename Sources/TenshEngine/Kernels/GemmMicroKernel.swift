/// The register-blocked heart of the packed GEMM: an MR x NR tile of C held in
/// 2·MR SIMD accumulators (NR = two vectors), updated with one FMA per
/// accumulator per step of k. Panels come packed (see GemmPacking.swift), so
/// every load in the loop is sequential.

/// Element types the GEMM handles, with the SIMD vector used for a row half.
protocol GemmScalar: TensorFloat, Codable { // Codable: SIMD vectors of Self are Codable
    associatedtype Vector: SIMD where Vector.Scalar == Self
}

extension Float: GemmScalar { typealias Vector = SIMD16<Float> }
extension Double: GemmScalar { typealias Vector = SIMD8<Double> }

enum GemmShape {
    /// Rows of a micro-tile: 8 rows x 2 vectors = 16 accumulators of the 32
    /// AVX-512 registers, leaving room for the two B vectors and a broadcast.
    static let mr = 8
    /// Columns of a micro-tile: two vectors (32 floats, 16 doubles).
    @inline(__always) static func nr<T: GemmScalar>(_: T.Type) -> Int { 2 &* T.Vector.scalarCount }
}

/// Where row p (NR consecutive values) of a B micro-panel lives.
protocol GemmPanelB {
    func row(_ p: Int) -> UnsafeRawPointer
}

/// A packed B micro-panel: rows one after another.
struct PackedPanelB<T: GemmScalar>: GemmPanelB {
    let base: UnsafePointer<T>
    @inline(__always) func row(_ p: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(base + p &* GemmShape.nr(T.self))
    }
}

/// Rows read in place at byte offsets from a base (the implicit-GEMM
/// convolution: every row is a shifted window of a padded image).
struct ShiftedRowsB: GemmPanelB {
    let base: UnsafeRawPointer
    let offsets: UnsafePointer<Int>
    @inline(__always) func row(_ p: Int) -> UnsafeRawPointer { base + offsets[p] }
}

/// Where element i (< MR) of step p of an A micro-panel lives.
protocol GemmPanelA {
    associatedtype Scalar: GemmScalar
    func element(_ p: Int, _ i: Int) -> Scalar
}

/// A packed A micro-panel: MR values per step.
struct PackedPanelA<T: GemmScalar>: GemmPanelA {
    let base: UnsafePointer<T>
    @inline(__always) func element(_ p: Int, _ i: Int) -> T { base[p &* GemmShape.mr &+ i] }
}

/// Eight rows read in place (the weight gradient of the implicit-GEMM
/// convolution: every row is a shifted window of a padded image).
struct ShiftedRowsA<T: GemmScalar>: GemmPanelA {
    let r0, r1, r2, r3, r4, r5, r6, r7: UnsafePointer<T>

    /// Rows base + offsets[i] (offsets in elements); rows past `count` repeat the first.
    init(base: UnsafePointer<T>, offsets: UnsafePointer<Int>, count: Int) {
        func row(_ i: Int) -> UnsafePointer<T> { base + offsets[i < count ? i : 0] }
        (r0, r1, r2, r3, r4, r5, r6, r7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
    }

    @inline(__always) func element(_ p: Int, _ i: Int) -> T {
        switch i {
        case 0: return r0[p]
        case 1: return r1[p]
        case 2: return r2[p]
        case 3: return r3[p]
        case 4: return r4[p]
        case 5: return r5[p]
        case 6: return r6[p]
        default: return r7[p]
        }
    }
}

/// out[i * rs + j] = alpha · Σ_p a[p * mr + i] · b[p * nr + j] + beta · out[i * rs + j]
/// for p < kc, i < MR, j < NR (a full micro-tile with unit column stride;
/// beta == 0 never reads `out`). `a` is an MR-row micro-panel, `b` an
/// NR-column micro-panel, both packed. Writing C straight from the registers
/// saves a round trip through a tile buffer.
@inline(__always)
func gemmMicroKernel<T: GemmScalar>(_ kc: Int, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                                    into out: UnsafeMutablePointer<T>, rs: Int, alpha: T, beta: T) {
    gemmMicroKernel(kc, PackedPanelA(base: a), PackedPanelB(base: b), into: out, rs: rs, alpha: alpha, beta: beta)
}

/// The micro-kernel over packed A and any B panel layout.
@inline(__always)
func gemmMicroKernel<T: GemmScalar, B: GemmPanelB>(_ kc: Int, _ a: UnsafePointer<T>, _ b: B,
                                                  into out: UnsafeMutablePointer<T>, rs: Int, alpha: T, beta: T) {
    gemmMicroKernel(kc, PackedPanelA(base: a), b, into: out, rs: rs, alpha: alpha, beta: beta)
}

/// The micro-kernel over any A and B panel layouts.
@inline(__always)
func gemmMicroKernel<T: GemmScalar, A: GemmPanelA, B: GemmPanelB>(_ kc: Int, _ a: A, _ b: B, into out: UnsafeMutablePointer<T>,
                                                     rs: Int, alpha: T, beta: T) where A.Scalar == T {
    typealias V = T.Vector
    let half = V.scalarCount &* MemoryLayout<T>.stride
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    for p in 0..<kc {
        let r = b.row(p)
        let b0 = r.loadUnaligned(as: V.self)
        let b1 = r.loadUnaligned(fromByteOffset: half, as: V.self)
        var s = V(repeating: a.element(p, 0)); c00.addProduct(s, b0); c01.addProduct(s, b1)
        s = V(repeating: a.element(p, 1)); c10.addProduct(s, b0); c11.addProduct(s, b1)
        s = V(repeating: a.element(p, 2)); c20.addProduct(s, b0); c21.addProduct(s, b1)
        s = V(repeating: a.element(p, 3)); c30.addProduct(s, b0); c31.addProduct(s, b1)
        s = V(repeating: a.element(p, 4)); c40.addProduct(s, b0); c41.addProduct(s, b1)
        s = V(repeating: a.element(p, 5)); c50.addProduct(s, b0); c51.addProduct(s, b1)
        s = V(repeating: a.element(p, 6)); c60.addProduct(s, b0); c61.addProduct(s, b1)
        s = V(repeating: a.element(p, 7)); c70.addProduct(s, b0); c71.addProduct(s, b1)
    }
    let row = UnsafeMutableRawPointer(out), rowBytes = rs &* MemoryLayout<T>.stride
    updateRow(c00, c01, row, alpha: alpha, beta: beta)
    updateRow(c10, c11, row + rowBytes, alpha: alpha, beta: beta)
    updateRow(c20, c21, row + 2 &* rowBytes, alpha: alpha, beta: beta)
    updateRow(c30, c31, row + 3 &* rowBytes, alpha: alpha, beta: beta)
    updateRow(c40, c41, row + 4 &* rowBytes, alpha: alpha, beta: beta)
    updateRow(c50, c51, row + 5 &* rowBytes, alpha: alpha, beta: beta)
    updateRow(c60, c61, row + 6 &* rowBytes, alpha: alpha, beta: beta)
    updateRow(c70, c71, row + 7 &* rowBytes, alpha: alpha, beta: beta)
}

/// A software prefetch of the cache line holding `address` into L1, for writing
/// (`prefetchw`; `prefetcht0` on CPUs without it). Swift has no prefetch
/// statement, so this names LLVM's target-independent prefetch intrinsic; a
/// prefetch never faults, whatever the address.
@inline(__always)
func prefetchForWriting(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 1, 3, 1)
}

/// llvm.prefetch(address, rw: 0 read / 1 write, locality 0-3 (3: keep in L1), 1: data cache).
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// row[0..<NR] = alpha · (lo, hi) + beta · row[0..<NR]; beta == 0 never reads the row.
@inline(__always)
private func updateRow<V: SIMD>(_ lo: V, _ hi: V, _ row: UnsafeMutableRawPointer,
                                alpha: V.Scalar, beta: V.Scalar) where V.Scalar: GemmScalar {
    let half = V.scalarCount &* MemoryLayout<V.Scalar>.stride
    var l = lo, h = hi
    if alpha != 1 { l *= alpha; h *= alpha }
    if beta != 0 {
        let vb = V(repeating: beta)
        l.addProduct(vb, row.loadUnaligned(as: V.self))
        h.addProduct(vb, row.loadUnaligned(fromByteOffset: half, as: V.self))
    }
    row.storeBytes(of: l, as: V.self)
    row.storeBytes(of: h, toByteOffset: half, as: V.self)
}

/// C[i, j] = alpha · tile[i, j] + beta · C[i, j] for the valid rows x cols corner
/// of a micro-tile (edge tiles and strided C; full tiles are written by the kernel). beta == 0 never reads C (so NaN garbage in C is ignored).
@inline(__always)
func gemmStoreTile<T: GemmScalar>(_ tile: UnsafePointer<T>, rows: Int, cols: Int, alpha: T, beta: T,
                                  _ c: UnsafeMutablePointer<T>, rs: Int, cs: Int) {
    let nr = GemmShape.nr(T.self)
    if cs == 1 {
        for i in 0..<rows {
            let t = tile + i &* nr, r = c + i &* rs
            if beta == 0 {
                for j in 0..<cols { r[j] = alpha * t[j] }
            } else if beta == 1 {
                for j in 0..<cols { r[j] = r[j].addingProduct(alpha, t[j]) }
            } else {
                for j in 0..<cols { r[j] = (beta * r[j]).addingProduct(alpha, t[j]) }
            }
        }
        return
    }
    for i in 0..<rows {
        let t = tile + i &* nr
        var r = c + i &* rs
        for j in 0..<cols {
            r.pointee = beta == 0 ? alpha * t[j] : (beta * r.pointee).addingProduct(alpha, t[j])
            r += cs
        }
    }
}
