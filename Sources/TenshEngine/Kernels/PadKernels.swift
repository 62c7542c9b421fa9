/// Padding as an index map: along each padded dimension, output position o reads
/// input position map[o] (or the constant when map[o] < 0). The forward is a
/// gather; its adjoint (the gradient) scatter-adds through the same map, so
/// reflect/replicate/circular edges accumulate every place they were copied to.

struct PadPlan {
    /// Contiguous input and output shapes (same rank).
    let inShape: [Int]
    let outShape: [Int]
    /// Per dimension: source index for each output index (-1 = constant). Identity for unpadded dims.
    let maps: [[Int]]

    init(inShape: [Int], before: [Int], after: [Int], mode: PadMode) {
        self.inShape = inShape
        outShape = zip(inShape, zip(before, after)).map { $0 + $1.0 + $1.1 }
        maps = inShape.indices.map { d in
            let n = inShape[d]
            return (0..<(n + before[d] + after[d])).map { o in
                let i = o - before[d]
                if i >= 0 && i < n { return i }
                switch mode {
                case .constant: return -1
                case .reflect: return i < 0 ? -i : 2 * (n - 1) - i
                case .replicate: return i < 0 ? 0 : n - 1
                case .circular: return ((i % n) + n) % n
                }
            }
        }
    }

    /// Calls body(outRowStart, inRowStart or -1) for every row (all dims but the last),
    /// stopping early on Ctrl-C (the caller then checks `Cancellation`).
    func forEachRow(_ body: (Int, Int) -> Void) {
        let rank = outShape.count
        let inStrides = ShapeMath.contiguousStrides(inShape)
        let outer = outShape.dropLast().reduce(1, *)
        let rowLength = outShape.last ?? 1
        var index = [Int](repeating: 0, count: max(rank - 1, 0))
        for row in 0..<outer {
            if Cancellation.isRequested { return }
            var source = 0
            for d in 0..<index.count {
                let m = maps[d][index[d]]
                if m < 0 { source = -1; break }
                source += m * inStrides[d]
            }
            body(row * rowLength, source)
            var d = index.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < outShape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// out = pad(x) for contiguous buffers of any element type.
func padGatherKernel<T>(_ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ plan: PadPlan, fill: T) {
    let last = plan.maps.last ?? [0]
    let rowLength = plan.outShape.last ?? 1
    last.withUnsafeBufferPointer { map in
        plan.forEachRow { outRow, inRow in
            let dst = out + outRow
            if inRow < 0 {
                for j in 0..<rowLength { dst[j] = fill }
                return
            }
            let src = x + inRow
            for j in 0..<rowLength {
                let m = map[j]
                dst[j] = m >= 0 ? src[m] : fill
            }
        }
    }
}

/// gx += padᵀ(g): scatter-adds each padded position back to its source. `gx` must start zeroed.
func padScatterKernel<T: GemmScalar>(_ g: UnsafePointer<T>, _ gx: UnsafeMutablePointer<T>, _ plan: PadPlan) {
    let last = plan.maps.last ?? [0]
    let rowLength = plan.outShape.last ?? 1
    last.withUnsafeBufferPointer { map in
        plan.forEachRow { outRow, inRow in
            guard inRow >= 0 else { return }
            let src = g + outRow, dst = gx + inRow
            for j in 0..<rowLength where map[j] >= 0 { dst[map[j]] += src[j] }
        }
    }
}
