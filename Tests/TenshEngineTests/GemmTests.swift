import Foundation
import XCTest
@testable import TenshEngine

/// The packed GEMM against a naive triple loop, over odd sizes, transposed and
/// strided operands, alpha/beta and thread counts; plus a throughput measurement.
final class GemmTests: XCTestCase {
    /// Deterministic values in [-1, 1).
    private func values(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<n).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    /// Runs one GEMM configuration in T and compares with a Double reference.
    private func check<T: GemmScalar>(_: T.Type, m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                                      pad: Int, alpha: Double, beta: Double, threads: Int, tol: Double) {
        // A is stored with a leading dimension larger than needed (pad) to test strides.
        let lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad
        let aData = values((transA ? k : m) * lda, seed: 1).map { T($0) }
        let bData = values((transB ? n : k) * ldb, seed: 2).map { T($0) }
        var cData = values(m * ldc, seed: 3).map { T($0) }
        let cStart = cData
        let aD = aData.map(Double.init), bD = bData.map(Double.init)
        func aAt(_ i: Int, _ p: Int) -> Double { transA ? aD[p * lda + i] : aD[i * lda + p] }
        func bAt(_ p: Int, _ j: Int) -> Double { transB ? bD[j * ldb + p] : bD[p * ldb + j] }
        aData.withUnsafeBufferPointer { ap in
            bData.withUnsafeBufferPointer { bp in
                cData.withUnsafeMutableBufferPointer { cp in
                    let a = transA ? MatrixView(ap.baseAddress!, rs: 1, cs: lda) : MatrixView(ap.baseAddress!, rs: lda, cs: 1)
                    let b = transB ? MatrixView(bp.baseAddress!, rs: 1, cs: ldb) : MatrixView(bp.baseAddress!, rs: ldb, cs: 1)
                    runGemm(m: m, n: n, k: k, alpha: T(alpha), a, b, beta: T(beta), cp.baseAddress!, rsC: ldc, threads: threads)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += aAt(i, p) * bAt(p, j) }
                let expected = alpha * s + beta * Double(cStart[i * ldc + j])
                worst = max(worst, abs(Double(cData[i * ldc + j]) - expected) / (1 + abs(expected)))
            }
            for j in n..<ldc { XCTAssertEqual(cData[i * ldc + j], cStart[i * ldc + j], "padding column \(j) was written") }
        }
        XCTAssertLessThan(worst, tol, "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) \(T.self)")
    }

    func testOddSizesAndStridesFloat() {
        let shapes = [(1, 1, 1), (7, 33, 5), (9, 31, 200), (17, 65, 193), (100, 3, 77), (3, 100, 400), (61, 47, 29)]
        for (i, (m, n, k)) in shapes.enumerated() {
            check(Float.self, m: m, n: n, k: k, transA: i % 2 == 1, transB: i % 3 == 1, pad: i % 4,
                  alpha: 1.5, beta: i % 2 == 0 ? 0 : 0.5, threads: 1 + i % 2, tol: 2e-5)
        }
    }

    func testOddSizesAndStridesDouble() {
        let shapes = [(1, 1, 1), (8, 16, 1), (13, 17, 191), (33, 9, 385), (5, 70, 12), (50, 50, 50)]
        for (i, (m, n, k)) in shapes.enumerated() {
            check(Double.self, m: m, n: n, k: k, transA: i % 2 == 0, transB: i % 3 == 2, pad: 1 + i % 3,
                  alpha: -0.75, beta: i % 2 == 0 ? 1 : 0, threads: 2, tol: 1e-12)
        }
    }

    func testLargerThanOneBlockUsesAllTasks() {
        check(Float.self, m: 400, n: 3100, k: 20, transA: false, transB: false, pad: 0,
              alpha: 1, beta: 0, threads: 3, tol: 2e-5)
        check(Double.self, m: 390, n: 40, k: 400, transA: true, transB: true, pad: 0,
              alpha: 1, beta: 2, threads: 2, tol: 1e-12)
    }

    /// Full micro-tiles written straight into C over several K blocks (each
    /// tile's rows are prefetched first), with C rows that do not start on a
    /// cache line (odd leading dimensions) and a partial last row and column panel.
    func testFullTilesOverSeveralDepthBlocks() {
        for threads in [1, 2] {
            check(Float.self, m: 41, n: 99, k: 600, transA: false, transB: false, pad: 3,
                  alpha: 1, beta: 0.5, threads: threads, tol: 2e-5)
            check(Double.self, m: 24, n: 50, k: 530, transA: threads == 2, transB: false, pad: 1,
                  alpha: -2, beta: 0, threads: threads, tol: 1e-12)
        }
    }

    func testZeroDepthScalesByBeta() {
        var c: [Float] = [1, 2, 3, 4]
        let a: [Float] = [0], b: [Float] = [0]
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            sgemm(m: 2, n: 2, k: 0, alpha: 1, MatrixView(ap.baseAddress!, rs: 0, cs: 0),
                 MatrixView(bp.baseAddress!, rs: 0, cs: 0), beta: 0.5, cp.baseAddress!, rsC: 2, csC: 1)
        } } }
        XCTAssertEqual(c, [0.5, 1, 1.5, 2])
    }

    /// The packed GEMM on one thread against the naive dot-product loop (a serial
    /// chain of scalar multiply-adds, which no build vectorises), both in thread CPU
    /// time, so neither the machine's speed nor its load matters. With the CPU's
    /// vector features the GEMM is about 30x faster at this size; a build without
    /// them (each `addProduct` a libm call, ~0.8 GFLOP/s) is slower than the loop.
    func testThroughputAgainstAScalarLoop() {
        let s = 256
        let a = UnsafeMutablePointer<Float>.allocate(capacity: s * s), b = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: s * s), reference = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
        defer { a.deallocate(); b.deallocate(); c.deallocate(); reference.deallocate() }
        for i in 0..<s * s { a[i] = Float(i % 7) * 0.1; b[i] = Float(i % 5) * 0.1 }
        let flops = 2 * Double(s * s * s)
        let naiveRate = flops / bestCPUSeconds(rounds: 3) { naiveProduct(a, b, reference, s) }
        let packedRate = packedGemmRate()
        print(String(format: "sgemm %d^3, one thread: %.1f GFLOP/s; scalar loop %.2f GFLOP/s (thread CPU time)", s,
                     packedRate * 1e-9, naiveRate * 1e-9))
        sgemm(m: s, n: s, k: s, alpha: 1, MatrixView(a, rs: s, cs: 1), MatrixView(b, rs: s, cs: 1),
              beta: 0, c, rsC: s, csC: 1, threads: 1)
        for i in stride(from: 0, to: s * s, by: 997) { XCTAssertEqual(c[i], reference[i], accuracy: 1e-3 * max(1, abs(reference[i]))) }
        if !runningUnderSanitizer { XCTAssertGreaterThan(packedRate / naiveRate, 8, "the packed GEMM is not much faster than a scalar loop") }
    }

    /// Wall-clock GFLOP/s at one and two threads, printed for the record (scripts/bench.sh
    /// measures against PyTorch); the result is checked, the speed is not.
    func testThroughputIsPrinted() {
        for threads in [1, 2] {
            print(String(format: "sgemm 1024^3 threads=%d: %6.1f GFLOP/s", threads, measure(Float.self, 1024, threads: threads)))
        }
        print(String(format: "dgemm 1024^3 threads=2: %6.1f GFLOP/s", measure(Double.self, 1024, threads: 2)))
    }

    /// Dispatches to the concrete (specialised) entry point for T.
    private func runGemm<T: GemmScalar>(m: Int, n: Int, k: Int, alpha: T, _ a: MatrixView<T>, _ b: MatrixView<T>,
                                        beta: T, _ c: UnsafeMutablePointer<T>, rsC: Int, threads: Int) {
        if T.self == Float.self {
            sgemm(m: m, n: n, k: k, alpha: alpha as! Float, a as! MatrixView<Float>, b as! MatrixView<Float>,
                  beta: beta as! Float, UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), rsC: rsC, csC: 1, threads: threads)
        } else {
            dgemm(m: m, n: n, k: k, alpha: alpha as! Double, a as! MatrixView<Double>, b as! MatrixView<Double>,
                  beta: beta as! Double, UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), rsC: rsC, csC: 1, threads: threads)
        }
    }

    private func measure<T: GemmScalar>(_: T.Type, _ s: Int, threads: Int) -> Double {
        let a = UnsafeMutablePointer<T>.allocate(capacity: s * s), b = UnsafeMutablePointer<T>.allocate(capacity: s * s)
        let c = UnsafeMutablePointer<T>.allocate(capacity: s * s)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for i in 0..<s * s { a[i] = T(Double(i % 7) * 0.1); b[i] = T(Double(i % 5) * 0.1); c[i] = 0 }
        var best = Double.infinity
        let reps = s <= 256 ? 30 : 5
        for _ in 0..<reps {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runGemm(m: s, n: s, k: s, alpha: 1, MatrixView(a, rs: s, cs: 1), MatrixView(b, rs: s, cs: 1),
                    beta: 0, c, rsC: s, threads: threads)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        var expected = 0.0
        for p in 0..<s { expected += Double(a[p]) * Double(b[p * s]) }
        XCTAssertEqual(Double(c[0]), expected, accuracy: 1e-3 * max(1, abs(expected)))
        return 2 * Double(s * s * s) / best * 1e-9
    }
}

/// c = a · b for s x s row-major matrices, one dot product (a serial chain of
/// multiply-adds) per element.
@inline(never)
private func naiveProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ s: Int) {
    for i in 0..<s {
        for j in 0..<s {
            var sum: Float = 0
            for p in 0..<s { sum += a[i &* s &+ p] * b[p &* s &+ j] }
            c[i &* s &+ j] = sum
        }
    }
}
