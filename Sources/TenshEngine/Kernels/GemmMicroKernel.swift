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

/// tile[i * nr + j] = Σ_p a[p * mr + i] · b[p * nr + j] for p < kc.
/// `a` is an MR-row micro-panel, `b` an NR-column micro-panel, both packed.
@inline(__always)
func gemmMicroKernel<T: GemmScalar>(_ kc: Int, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                                    _ tile: UnsafeMutablePointer<T>) {
    typealias V = T.Vector
    let w = V.scalarCount
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    var pa = a
    var pb = UnsafeRawPointer(b)
    let step = 2 &* w &* MemoryLayout<T>.stride
    for _ in 0..<kc {
        let b0 = pb.loadUnaligned(as: V.self)
        let b1 = pb.loadUnaligned(fromByteOffset: w &* MemoryLayout<T>.stride, as: V.self)
        var s = V(repeating: pa[0]); c00.addProduct(s, b0); c01.addProduct(s, b1)
        s = V(repeating: pa[1]); c10.addProduct(s, b0); c11.addProduct(s, b1)
        s = V(repeating: pa[2]); c20.addProduct(s, b0); c21.addProduct(s, b1)
        s = V(repeating: pa[3]); c30.addProduct(s, b0); c31.addProduct(s, b1)
        s = V(repeating: pa[4]); c40.addProduct(s, b0); c41.addProduct(s, b1)
        s = V(repeating: pa[5]); c50.addProduct(s, b0); c51.addProduct(s, b1)
        s = V(repeating: pa[6]); c60.addProduct(s, b0); c61.addProduct(s, b1)
        s = V(repeating: pa[7]); c70.addProduct(s, b0); c71.addProduct(s, b1)
        pa += 8
        pb += step
    }
    let out = UnsafeMutableRawPointer(tile)
    let row = 2 &* w &* MemoryLayout<T>.stride, half = w &* MemoryLayout<T>.stride
    out.storeBytes(of: c00, as: V.self); out.storeBytes(of: c01, toByteOffset: half, as: V.self)
    out.storeBytes(of: c10, toByteOffset: row, as: V.self); out.storeBytes(of: c11, toByteOffset: row &+ half, as: V.self)
    out.storeBytes(of: c20, toByteOffset: 2 &* row, as: V.self); out.storeBytes(of: c21, toByteOffset: 2 &* row &+ half, as: V.self)
    out.storeBytes(of: c30, toByteOffset: 3 &* row, as: V.self); out.storeBytes(of: c31, toByteOffset: 3 &* row &+ half, as: V.self)
    out.storeBytes(of: c40, toByteOffset: 4 &* row, as: V.self); out.storeBytes(of: c41, toByteOffset: 4 &* row &+ half, as: V.self)
    out.storeBytes(of: c50, toByteOffset: 5 &* row, as: V.self); out.storeBytes(of: c51, toByteOffset: 5 &* row &+ half, as: V.self)
    out.storeBytes(of: c60, toByteOffset: 6 &* row, as: V.self); out.storeBytes(of: c61, toByteOffset: 6 &* row &+ half, as: V.self)
    out.storeBytes(of: c70, toByteOffset: 7 &* row, as: V.self); out.storeBytes(of: c71, toByteOffset: 7 &* row &+ half, as: V.self)
}

/// C[i, j] = alpha · tile[i, j] + beta · C[i, j] for the valid mr x nr corner
/// of a micro-tile. beta == 0 never reads C (so NaN garbage in C is ignored).
@inline(__always)
func gemmStoreTile<T: GemmScalar>(_ tile: UnsafePointer<T>, rows: Int, cols: Int, alpha: T, beta: T,
                                  _ c: UnsafeMutablePointer<T>, rs: Int, cs: Int) {
    let nr = GemmShape.nr(T.self)
    if cs == 1 && cols == nr {
        // Full-width rows: two vectors per row.
        typealias V = T.Vector
        let w = V.scalarCount, va = V(repeating: alpha), vb = V(repeating: beta)
        for i in 0..<rows {
            let t = UnsafeRawPointer(tile + i &* nr), r = UnsafeMutableRawPointer(c + i &* rs)
            let half = w &* MemoryLayout<T>.stride
            var lo = va * t.loadUnaligned(as: V.self), hi = va * t.loadUnaligned(fromByteOffset: half, as: V.self)
            if beta != 0 {
                lo.addProduct(vb, r.loadUnaligned(as: V.self))
                hi.addProduct(vb, r.loadUnaligned(fromByteOffset: half, as: V.self))
            }
            r.storeBytes(of: lo, as: V.self)
            r.storeBytes(of: hi, toByteOffset: half, as: V.self)
        }
        return
    }
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
