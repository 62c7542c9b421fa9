import Foundation
import XCTest
@testable import TenshEngine

/// Convolution speed on the benchmark's shapes (Docs/Performance.md), checked so
/// that neither the machine's speed nor its load can fail it: every case runs on
/// one thread, is timed in thread CPU time, and its forward must reach a fraction
/// of the packed GEMM's rate measured the same way in this process (1/20, or 1/200
/// for the depthwise kernels, which do little arithmetic per load; both are about
/// 20x below what they reach). Only a kernel that fell back to a scalar path
/// misses that; a build without vector features is caught by `GemmTests`. Rates
/// are printed (scripts/bench.sh measures wall time against PyTorch). Each case
/// also checks one output element against a direct sum.
final class ConvolutionPerformanceTests: XCTestCase {
    private struct Shape {
        let name: String, n: Int, cin: Int, cout: Int, size: Int, k: Int, stride: Int, pad: Int, groups: Int
    }

    func testConvThroughput() throws {
        let shapes = [
            Shape(name: "c2 3x3 64->64 56² N=8", n: 8, cin: 64, cout: 64, size: 56, k: 3, stride: 1, pad: 1, groups: 1),
            Shape(name: "c3 1x1 256->64 56² N=8", n: 8, cin: 256, cout: 64, size: 56, k: 1, stride: 1, pad: 0, groups: 1),
            Shape(name: "c4 3x3 s2 128->256 28² N=8", n: 8, cin: 128, cout: 256, size: 28, k: 3, stride: 2, pad: 1, groups: 1),
            Shape(name: "c5 dw 3x3 C=128 56² N=8", n: 8, cin: 128, cout: 128, size: 56, k: 3, stride: 1, pad: 1, groups: 128),
            Shape(name: "c9 3x3 64->64 56² N=1", n: 1, cin: 64, cout: 64, size: 56, k: 3, stride: 1, pad: 1, groups: 1),
            Shape(name: "c1 stem 7x7 s2 3->64 224² N=1 (bwd: weight)", n: 1, cin: 3, cout: 64, size: 224, k: 7, stride: 2, pad: 3, groups: 1),
            Shape(name: "c8 3x3 1->32 28² N=64 (bwd: weight)", n: 64, cin: 1, cout: 32, size: 28, k: 3, stride: 1, pad: 1, groups: 1),
        ]
        let gemmRate = onOneThread { packedGemmRate() }
        for s in shapes {
            // First layers (1-3 input channels): the input needs no gradient, as in training.
            let firstLayer = s.cin <= 3
            let x = try testTensor([s.n, s.cin, s.size, s.size], seed: 1, dtype: .float32).setRequiresGrad(!firstLayer)
            let w = try testTensor([s.cout, s.cin / s.groups, s.k, s.k], seed: 2, dtype: .float32).setRequiresGrad()
            var y = try conv2d(x, w, stride: [s.stride], padding: .explicit([s.pad]), groups: s.groups)
            let flops = 2.0 * Double(y.count) * Double(s.cin / s.groups * s.k * s.k)
            let (forward, backward) = try onOneThread {
                let forward = try bestCPUSeconds(rounds: 3) {
                    y = try conv2d(x, w, stride: [s.stride], padding: .explicit([s.pad]), groups: s.groups)
                }
                let gy = try onesLike(y)
                let backward = try bestCPUSeconds(rounds: 2) { _ = try grad([y], firstLayer ? [w] : [x, w], gradOutputs: [gy]) }
                return (forward, backward)
            }
            let backwardFlops = firstLayer ? flops : 2 * flops
            print(String(format: "%@, one thread: forward %.2f ms (%.1f GFLOP/s), backward %.2f ms (%.1f GFLOP/s)", s.name,
                         forward * 1e3, flops / forward * 1e-9, backward * 1e3, backwardFlops / backward * 1e-9))
            let floor = gemmRate / (s.groups > 1 ? 200 : 20)
            if !runningUnderSanitizer { XCTAssertGreaterThan(flops / forward, floor, s.name) }
            // Spot check y[0, 0, 1, 1] against a direct sum.
            let xs = x.toDoubles(), ws = w.toDoubles(), ys = y.toDoubles()
            var direct = 0.0
            for ci in 0..<(s.cin / s.groups) {
                for ky in 0..<s.k {
                    for kx in 0..<s.k {
                        let iy = s.stride - s.pad + ky, ix = s.stride - s.pad + kx
                        guard iy >= 0, ix >= 0, iy < s.size, ix < s.size else { continue }
                        direct += ws[(ci * s.k + ky) * s.k + kx] * xs[(ci * s.size + iy) * s.size + ix]
                    }
                }
            }
            let yWidth = y.shape[3]
            XCTAssertEqual(ys[yWidth + 1], direct, accuracy: 1e-3, s.name)
        }
    }

    /// c6: conv_transpose 4x4 stride 2 padding 1, 128 → 64, 16² → 32², N = 8.
    func testConvTransposeThroughput() throws {
        let x = try testTensor([8, 128, 16, 16], seed: 3, dtype: .float32).setRequiresGrad()
        let w = try testTensor([128, 64, 4, 4], seed: 4, dtype: .float32).setRequiresGrad()
        var y = try convTranspose2d(x, w, stride: [2], padding: [1])
        XCTAssertEqual(y.shape, [8, 64, 32, 32])
        let flops = 2.0 * Double(x.count) * 64 * 16
        let gemmRate = onOneThread { packedGemmRate() }
        let (forward, backward) = try onOneThread {
            let forward = try bestCPUSeconds(rounds: 3) { y = try convTranspose2d(x, w, stride: [2], padding: [1]) }
            let gy = try onesLike(y)
            return (forward, try bestCPUSeconds(rounds: 2) { _ = try grad([y], [x, w], gradOutputs: [gy]) })
        }
        print(String(format: "c6 convT 4x4 s2 128->64 16²->32² N=8, one thread: forward %.2f ms (%.1f GFLOP/s), backward %.2f ms (%.1f GFLOP/s)",
                     forward * 1e3, flops / forward * 1e-9, backward * 1e3, 2 * flops / backward * 1e-9))
        if !runningUnderSanitizer { XCTAssertGreaterThan(flops / forward, gemmRate / 20) }
        // One output pixel against a direct sum: y[0, 0, 1, 1] gathers x[0, ci, iy, ix] · w[ci, 0, ky, kx]
        // over 1 = 2·i − 1 + k (stride 2, padding 1).
        let xs = x.toDoubles(), ws = w.toDoubles()
        var direct = 0.0
        for ci in 0..<128 {
            for ky in 0..<4 {
                for kx in 0..<4 where (2 - ky) % 2 == 0 && (2 - kx) % 2 == 0 {
                    let iy = (2 - ky) / 2, ix = (2 - kx) / 2
                    guard iy >= 0, ix >= 0, iy < 16, ix < 16 else { continue }
                    direct += xs[(ci * 16 + iy) * 16 + ix] * ws[((ci * 64) * 4 + ky) * 4 + kx]
                }
            }
        }
        XCTAssertEqual(y.toDoubles()[32 + 1], direct, accuracy: 1e-3)
    }
}
