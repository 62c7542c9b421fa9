import Foundation
import XCTest
@testable import TenshEngine

final class TmpBench: XCTestCase {
    func cpu() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
    func testTmp() throws {
        for s in [256, 1024, 2048] {
            let a = UnsafeMutablePointer<Float>.allocate(capacity: s * s), b = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
            let c = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
            for i in 0..<s * s { a[i] = 0.1; b[i] = 0.2; c[i] = 0 }
            var best = 1e9
            for _ in 0..<5 {
                let t0 = cpu()
                sgemm(m: s, n: s, k: s, alpha: 1, MatrixView(a, rs: s, cs: 1), MatrixView(b, rs: s, cs: 1), beta: 0, c, rsC: s, csC: 1, threads: 1)
                best = min(best, cpu() - t0)
            }
            print(String(format: "TMP sgemm %d cpu %.1f GFLOP/s", s, 2 * Double(s * s * s) / best * 1e-9))
        }
    }
}
