import Foundation
import XCTest
@testable import TenshEngine

/// A seeded random walk over the core ops with random (often invalid) shapes,
/// dims, sizes and indices. Every call must either succeed or throw an
/// `EngineError`; a trap would kill the test process. Gradients (first and
/// second order) are taken through whatever graph the walk built.
final class OpFuzzTests: XCTestCase {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        /// Small sizes, with the occasional 0, negative or huge one.
        mutating func size() -> Int {
            chance(4) ? pick([-1, -7, Int.max, Int.min, 1 << 40, 1 << 62]) : int(0...4)
        }
        mutating func dim() -> Int { chance(5) ? pick([Int.min, Int.max, 9, -9]) : int(-3...3) }
        mutating func shape() -> [Int] { (0..<int(0...3)).map { _ in chance(85) ? int(0...3) + (chance(80) ? 1 : 0) : size() } }
    }

    private func randomTensor(_ r: inout Rng) throws -> Tensor {
        let dtype = r.pick([DType.float32, .float64, .float64, .int64, .bool])
        var shape = r.shape()
        // A bad shape must be an error; the walk then goes on with a valid one.
        do { _ = try zeros(shape, dtype: dtype) } catch is EngineError { shape = [2, 3] }
        let t = try randn(shape, dtype: .float64, seed: r.next()).to(dtype)
        if dtype.isFloatingPoint && r.chance(60) { try t.setRequiresGrad() }
        if r.chance(10) { return try mul(t, Tensor.wrapped(r.pick([0, .nan, .infinity, -1e308]), dtype: .float64)) }
        return t
    }

    private func step(_ x: Tensor, _ y: Tensor, _ r: inout Rng) throws -> Tensor {
        switch r.int(0...51) {
        case 44: return try x.indexed([r.pick([.at(Int.max), .at(Int.min), .slice(start: Int.min, end: Int.max, step: Int.max),
                                               .slice(start: Int.max, end: Int.min, step: 1), .newAxis, .ellipsis])])
        case 45: return try x.narrowed(r.dim(), start: r.pick([Int.max, Int.min, -1]), length: r.size())
        case 46: return try linear(x, y, bias: r.chance(50) ? y : x)
        case 47: return try outer(x, y)
        case 48: return try r.chance(50) ? heNormal(x.shape + [r.size()], seed: r.next()) : xavierUniform([r.size()] + x.shape, seed: r.next())
        case 49: return try dropout2d(x, p: r.pick([0.5, 1, 0]), seed: r.next())
        case 50: return try abs(neg(relu(sign(leakyRelu(x)))))
        case 51: _ = try x.item(); return try min(x)
        case 38: return try arange(r.pick([0, -1e18, 1e18, .nan]), r.pick([5, 1e17, -3, .infinity]), step: r.pick([1, -1, 0, 1e-300, 0.5]))
        case 39: return try linspace(r.pick([0, .nan, -.infinity]), 1, steps: r.size())
        case 40: return try eye(r.size(), r.chance(50) ? nil : r.size(), dtype: r.pick([.float32, .int64, .bool]))
        case 41: return try full([r.size(), r.size()], r.pick([.nan, 1e300, -1]), dtype: r.pick([.int64, .bool, .float32]))
        case 42: return try randint(r.size(), r.size(), [r.size()], dtype: r.pick([.int64, .float64, .bool]))
        case 43: return try sumToShape(x, y.shape)
        case 0: return try add(x, y)
        case 1: return try mul(x, y)
        case 2: return try div(x, y)
        case 3: return try pow(x, y)
        case 4: return try maximum(x, y)
        case 5: return try matmul(x, y)
        case 6: return try `where`(gt(x, y), x, y)
        case 7: return try sum(x, dims: (0..<r.int(0...2)).map { _ in r.dim() }, keepdim: r.chance(50))
        case 8: return try mean(x, dims: (0..<r.int(0...2)).map { _ in r.dim() }, keepdim: r.chance(50))
        case 9: return try amax(x, dims: [r.dim()], keepdim: r.chance(50))
        case 10: return try max(x, dim: r.dim(), keepdim: r.chance(50)).values
        case 11: return try argmin(x, dim: r.chance(30) ? nil : r.dim())
        case 12: return try softmax(x, dim: r.dim())
        case 13: return try logsumexp(x, dims: [r.dim()])
        case 14: return try variance(x, dims: [r.dim()], correction: r.int(-1...2))
        case 15: return try norm(x, p: r.pick([1, 2, 3, .infinity, 0, -1, .nan]), dims: [r.dim()])
        case 16: return try x.reshaped((0..<r.int(0...3)).map { _ in r.chance(20) ? -1 : r.size() })
        case 17: return try x.view((0..<r.int(0...3)).map { _ in r.chance(20) ? -1 : r.size() })
        case 18: return try x.expanded((0..<r.int(0...4)).map { _ in r.chance(20) ? -1 : r.size() })
        case 19: return try x.permuted((0..<x.rank).map { _ in r.dim() })
        case 20: return try x.transposed(r.dim(), r.dim())
        case 21: return try x.narrowed(r.dim(), start: r.int(-3...3), length: r.size())
        case 22: return try x.squeezed(r.chance(50) ? nil : r.dim())
        case 23: return try x.unsqueezed(r.dim())
        case 24: return try x.flattened(startDim: r.dim(), endDim: r.dim())
        case 25:
            let entries: [TensorIndex] = (0..<r.int(0...3)).map { _ in
                r.pick([.at(r.int(-4...4)), .all, .ellipsis, .newAxis,
                        .slice(start: r.chance(50) ? nil : r.int(-5...5), end: r.chance(50) ? nil : r.size(), step: r.int(0...3))])
            }
            return try x.indexed(entries)
        case 26: return try cat([x, y], dim: r.dim())
        case 27: return try stack([x, y], dim: r.dim())
        case 28: return try flip(x, dims: [r.dim()])
        case 29:
            let picks = (0..<r.int(0...3)).map { _ in Double(r.int(-4...4)) }
            let index = r.chance(20) && picks.count == 1 ? try Tensor(picks, shape: [], dtype: .int64)
                : try Tensor(picks, shape: [picks.count], dtype: r.chance(90) ? .int64 : .float32)
            return try indexSelect(x, dim: r.dim(), index: index)
        case 30: return try clamp(x, min: r.chance(50) ? nil : -0.5, max: r.chance(50) ? nil : 0.5)
        case 31: return try exp(log(abs(x)))
        case 32: return try sqrt(tanh(gelu(x)))
        case 33: return try dropout(x, p: r.pick([0, 0.5, 1, 1.5, .nan]), seed: r.next())
        case 34: return try logSoftmax(x, dim: r.dim())
        case 35: return try linear(x, y)
        case 36: return try x.to(r.pick([.float32, .float64, .int64, .bool]))
        default: return try std(x, dims: [], correction: r.int(0...2))
        }
    }

    func testRandomOpSequencesNeverTrap() throws {
        // TENSH_FUZZ_SEED / TENSH_FUZZ_ITERATIONS run longer walks by hand.
        let env = ProcessInfo.processInfo.environment
        var r = Rng(state: env["TENSH_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_1234_ABCD_0001)
        let iterations = env["TENSH_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 4_000
        var succeeded = 0, failed = 0, gradients = 0
        for _ in 0..<iterations {
            var x = try randomTensor(&r)
            let leaves = [x]
            for _ in 0..<r.int(1...4) {
                let y = r.chance(30) ? x : try randomTensor(&r)
                do { x = try step(x, y, &r); succeeded += 1 } catch let e as EngineError {
                    failed += 1
                    if env["TENSH_FUZZ_PRINT"] != nil { print("fuzz error: \(e.message)") }
                }
            }
            guard x.requiresGrad, leaves[0].requiresGrad else { continue }
            do {
                if r.chance(20) { try backward(sum(x)) }
                let g = try grad([x], [leaves[0]], gradOutputs: [onesLike(x)], createGraph: r.chance(50), allowUnused: true)
                if let g0 = g[0], g0.requiresGrad {
                    _ = try grad([sum(mul(g0, g0))], [leaves[0]], allowUnused: true)
                }
                gradients += 1
            } catch is EngineError {}
        }
        // The walk must exercise both outcomes substantially.
        XCTAssertGreaterThan(succeeded, iterations * 3 / 4)
        XCTAssertGreaterThan(failed, iterations / 4)
        XCTAssertGreaterThan(gradients, iterations / 15)
        print("fuzz: \(succeeded) ops succeeded, \(failed) threw, \(gradients) gradient passes")
    }
}
