import XCTest
@testable import TenshEngine

/// The fast paths a training step of small tensors takes: a sum over dims of a
/// contiguous tensor in blocks, the 2x2 stride-2 max pool, short vector tails,
/// and conv tasks run on the calling thread. Each is checked against a plain
/// element-by-element reference.
final class SmallWorkPathTests: XCTestCase {
    /// sum over `dims` by walking every element (the reference).
    private func referenceSum(_ x: Tensor, dims: [Int]) -> [Double] {
        let shape = x.shape, values = x.toDoubles()
        let kept = shape.indices.filter { !dims.contains($0) }
        var out = [Double](repeating: 0, count: kept.reduce(1) { $0 * shape[$1] })
        let strides = ShapeMath.contiguousStrides(shape)
        for (flat, v) in values.enumerated() {
            var o = 0
            for d in kept { o = o * shape[d] + (flat / strides[d]) % shape[d] }
            out[o] += v
        }
        return out
    }

    func testSumOverDimsOfContiguousTensorsMatchesTheElementWalk() throws {
        let cases: [([Int], [Int])] = [
            ([32, 16, 8, 8], [0, 2, 3]), ([3, 5, 7], [1]), ([3, 5, 7], [0]), ([3, 5, 7], [0, 2]), ([3, 5, 7], [2]),
            ([4, 1, 6, 1, 5], [0, 3, 4]), ([4, 1, 6, 1, 5], [1, 2]), ([2, 3, 4, 5], [1, 3]), ([2, 3, 4, 5], [0, 1]),
            ([7, 1], [0]), ([1, 9], [0]), ([33, 40], [1]), ([40, 33], [0]),
        ]
        for (i, (shape, dims)) in cases.enumerated() {
            for dtype in [DType.float64, .float32] {
                let x = try testTensor(shape, seed: UInt64(i + 1), dtype: dtype)
                let expected = referenceSum(x, dims: dims)
                let got = try sum(x, dims: dims)
                XCTAssertEqual(got.count, expected.count, "\(shape) \(dims)")
                let tolerance = dtype == .float64 ? 1e-12 : 1e-5
                for (a, e) in zip(got.toDoubles(), expected) {
                    XCTAssertEqual(a, e, accuracy: tolerance, "\(shape) \(dims) \(dtype)")
                }
            }
        }
        // A non-contiguous input still takes the element walk: same values.
        let x = try testTensor([4, 6, 5], seed: 9)
        let t = try x.transposed(0, 2)
        let viaCopy = try sum(t.contiguous(), dims: [0, 2]).toDoubles()
        for (a, e) in zip(try sum(t, dims: [0, 2]).toDoubles(), viaCopy) { XCTAssertEqual(a, e, accuracy: 1e-12) }
    }

    /// Max pool by scanning each window row by row: the first largest wins, a NaN wins.
    private func referenceMaxPool(_ v: [Double], h: Int, w: Int, planes: Int) -> (values: [Double], indices: [Int64]) {
        let oh = h / 2, ow = w / 2
        var values: [Double] = [], indices: [Int64] = []
        for p in 0..<planes {
            for i in 0..<oh {
                for j in 0..<ow {
                    var best = -Double.infinity, at = 2 * i * w + 2 * j
                    for y in 2 * i..<2 * i + 2 {
                        for x in 2 * j..<2 * j + 2 {
                            let e = v[p * h * w + y * w + x]
                            if e > best || e.isNaN { best = e; at = y * w + x }
                        }
                    }
                    values.append(best); indices.append(Int64(at))
                }
            }
        }
        return (values, indices)
    }

    func testTwoByTwoMaxPoolMatchesTheWindowScanWithTiesNaNsAndOddSizes() throws {
        for (h, w) in [(8, 8), (4, 4), (5, 7), (2, 2), (3, 3), (6, 9), (4, 21), (3, 17)] {
            let planes = 3, n = planes * h * w
            // Few distinct values (ties), a NaN, -inf and a whole -inf window.
            var v = (0..<n).map { Double(($0 * 7919) % 5) - 2 }
            v[1] = .nan
            if n > 2 * w + 6 { v[2 * w + 5] = .nan; v[2 * w + 4] = .nan; v[3 * w + 5] = 9 }
            v[n / 2] = -.infinity
            for k in 0..<4 where n > 2 * w + 1 { v[n - 1 - (k % 2) - (k / 2) * w] = -.infinity }
            for dtype in [DType.float64, .float32] {
                let x = try Tensor(v, shape: [planes, 1, h, w], dtype: dtype)
                let (y, idx) = try maxPool2dWithIndices(x, kernelSize: [2])
                let expected = referenceMaxPool(v, h: h, w: w, planes: planes)
                XCTAssertEqual(y.shape, [planes, 1, h / 2, w / 2])
                XCTAssertEqual(idx.toInt64s(), expected.indices, "\(h)x\(w) \(dtype)")
                for (a, e) in zip(y.toDoubles(), expected.values) {
                    XCTAssertTrue(a == e || (a.isNaN && e.isNaN), "\(h)x\(w) \(dtype): \(a) vs \(e)")
                }
            }
        }
    }

    func testShortCopiesAndFillsTouchExactlyTheirElements() {
        for count in 0..<40 {
            var f = [Float](repeating: 7, count: 50), d = [Double](repeating: 7, count: 50)
            let fs = (0..<50).map { Float($0) }, ds = (0..<50).map { Double($0) }
            fs.withUnsafeBufferPointer { s in f.withUnsafeMutableBufferPointer { copyElements(s.baseAddress! + 3, to: $0.baseAddress! + 5, count: count) } }
            ds.withUnsafeBufferPointer { s in d.withUnsafeMutableBufferPointer { copyElements(s.baseAddress! + 3, to: $0.baseAddress! + 5, count: count) } }
            for i in 0..<50 {
                let inside = i >= 5 && i < 5 + count
                XCTAssertEqual(f[i], inside ? Float(i - 2) : 7, "copy float count \(count) at \(i)")
                XCTAssertEqual(d[i], inside ? Double(i - 2) : 7, "copy double count \(count) at \(i)")
            }
            f.withUnsafeMutableBufferPointer { fillZero($0.baseAddress! + 1, count: count) }
            d.withUnsafeMutableBufferPointer { fillZero($0.baseAddress! + 1, count: count) }
            for i in 1..<(1 + count) { XCTAssertEqual(f[i], 0); XCTAssertEqual(d[i], 0) }
            XCTAssertEqual(f[0], 7); XCTAssertEqual(d[0], 7)
            if count < 45 { XCTAssertNotEqual(f[1 + count], 0); XCTAssertNotEqual(d[1 + count], 0) }
        }
    }

    func testSmallConvolutionsRunOnOneThreadWithTheSameResults() throws {
        let saved = EngineConfig.threads
        defer { EngineConfig.threads = saved }
        EngineConfig.threads = 2
        XCTAssertEqual(withThreads(forWork: parallelWorkThreshold - 1) { EngineConfig.threads }, 1)
        XCTAssertEqual(withThreads(forWork: parallelWorkThreshold) { EngineConfig.threads }, 2)
        XCTAssertEqual(EngineConfig.threads, 2)
        XCTAssertEqual(threadsWorthUsing(work: 32 * 128 * 10), 1)
        // A digits-sized layer (batch 32, 16→32, 4x4) and a large one (split over
        // two threads) give the 1-thread values and gradients.
        for (n, c, o, hw) in [(32, 16, 32, 4), (4, 16, 64, 48)] {
            let x = try testTensor([n, c, hw, hw], seed: 3, dtype: .float32).setRequiresGrad()
            let w = try testTensor([o, c, 3, 3], seed: 4, dtype: .float32).setRequiresGrad()
            func run(threads: Int) throws -> [[Double]] {
                EngineConfig.threads = threads
                let y = try conv2d(x, w, padding: [1])
                let gs = try grad([sum(mul(y, y))], [x, w])
                return [y.toDoubles()] + gs.map { $0?.toDoubles() ?? [] }
            }
            let one = try run(threads: 1), two = try run(threads: 2)
            XCTAssertEqual(one.map(\.count), two.map(\.count))
            for (a, b) in zip(one, two) {
                for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-3 * Swift.max(1, abs(u))) }
            }
        }
    }
}
