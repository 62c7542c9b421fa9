import TenshText

/// `sort`, `topk`, `argsort` along one dim. The order is stable (torch's
/// `stable=True`): equal values keep their original order, in descending sorts
/// too, and NaN counts as larger than every number (last ascending, first
/// descending), as in torch. `topk` is the first k of that order, so among tied
/// values the lower index wins (torch leaves the order of ties unspecified).
/// Values are gathered from the input, so their gradient flows back to the
/// positions they came from.

/// Values along `dim` in ascending (or descending) order, and their int64 positions.
public func sort(_ x: Tensor, dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
    let d = try ShapeMath.dim(dim, rank: x.rank, op: "sort")
    return try orderedSelection(x, dim: d, keep: x.rank == 0 ? 1 : x.shape[d], descending: descending, name: "Sort", op: "sort")
}

/// The k largest (or smallest) values along `dim`, sorted, and their int64 positions.
public func topk(_ x: Tensor, _ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
    let d = try ShapeMath.dim(dim, rank: x.rank, op: "topk")
    let size = x.rank == 0 ? 1 : x.shape[d]
    guard k >= 0 && k <= size else {
        throw EngineError.invalid("topk", "k", "selected index k out of range: k = \(k) for dimension \(d) of size \(size) (shape \(shapeText(x.shape)))")
    }
    return try orderedSelection(x, dim: d, keep: k, descending: largest, name: "Topk", op: "topk")
}

/// The int64 positions that sort x along `dim` (the indices of `sort`).
public func argsort(_ x: Tensor, dim: Int = -1, descending: Bool = false) throws -> Tensor {
    let d = try ShapeMath.dim(dim, rank: x.rank, op: "argsort")
    return try orderedSelection(x.detached(), dim: d, keep: x.rank == 0 ? 1 : x.shape[d], descending: descending,
                                name: "Sort", op: "argsort").indices
}

/// The first `keep` elements of each slice along `dim` in sorted order: values (gathered,
/// differentiable) and indices.
private func orderedSelection(_ x: Tensor, dim d: Int, keep: Int, descending: Bool, name: String,
                              op: String) throws -> (values: Tensor, indices: Tensor) {
    if x.rank == 0 {
        let map = PositionMap(sourceShape: [], resultShape: [], positions: [0])
        return (try gathered(x, map, name: name, op: op), try Tensor(zeros: [], dtype: .int64, op: op))
    }
    let src = try x.detached().materialized(x.shape, x.dtype == .bool ? .int64 : x.dtype, op: op)
    var outShape = x.shape
    outShape[d] = keep
    let indices = try Tensor.empty(outShape, .int64, op: op)
    var positions = [Int](repeating: 0, count: indices.count)
    var srcOuter = src.strides, outOuter = indices.strides
    let srcStep = srcOuter[d], outStep = outOuter[d], n = x.shape[d]
    var outerShape = x.shape
    outerShape[d] = 1
    srcOuter[d] = 0; outOuter[d] = 0
    let pi = indices.pointer(Int64.self)
    var sorted = 0
    forEachOffset2(outerShape, srcOuter, outOuter) { sb, ob in
        if sorted >= cancellationChunk { sorted = 0; if Cancellation.isRequested { return } }
        sorted += n
        let order: [Int]
        switch src.dtype {
        case .float32: order = sortedSlice(src.pointer(Float.self) + sb, n, srcStep, descending, isNaN: { $0.isNaN })
        case .float64: order = sortedSlice(src.pointer(Double.self) + sb, n, srcStep, descending, isNaN: { $0.isNaN })
        default: order = sortedSlice(src.pointer(Int64.self) + sb, n, srcStep, descending, isNaN: { _ in false })
        }
        for j in 0..<keep {
            pi[ob + j * outStep] = Int64(order[j])
            positions[ob + j * outStep] = sb + order[j] * srcStep
        }
    }
    try Cancellation.check(op)
    let map = PositionMap(sourceShape: x.shape, resultShape: outShape, positions: positions)
    return (try gathered(x, map, name: name, op: op), indices)
}

/// The positions 0..<n of one slice (elements `p[j * step]`) in stable sorted order.
private func sortedSlice<T: Comparable>(_ p: UnsafeMutablePointer<T>, _ n: Int, _ step: Int, _ descending: Bool,
                                        isNaN: (T) -> Bool) -> [Int] {
    var order = Array(0..<n)
    order.sort { i, j in
        let a = p[i * step], b = p[j * step]
        let aNaN = isNaN(a), bNaN = isNaN(b)
        if aNaN || bNaN { return aNaN && bNaN ? i < j : (descending ? aNaN : bNaN) }
        if a == b { return i < j }
        return descending ? a > b : a < b
    }
    return order
}
