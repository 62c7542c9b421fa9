/// Basic indexing and slicing (`x[0]`, `x[:, 1:3]`, `x[..., -1]`, `x[::2]`,
/// `x[none]`) as a strided view: the result shares storage with the input.
/// Differentiable to any order: the gradient scatters into zeros through the
/// same layout, and the gradient of that scatter gathers through it again.
///
/// MERGE NOTE: this file has the same public API as the shape-ops branch's
/// `Ops/Indexing.swift` (`TensorIndex`, `Tensor.indexed`); when that branch is
/// merged, delete this file — the language calls only that API.

/// One entry of an index expression.
public enum TensorIndex: Equatable, Sendable, CustomStringConvertible {
    /// A single position (negative counts from the end); removes the dimension.
    case at(Int)
    /// `start:end:step` with Python semantics: nil bounds mean the ends, negative
    /// bounds count from the end, out-of-range bounds clamp. `step > 0`.
    case slice(start: Int? = nil, end: Int? = nil, step: Int = 1)
    /// `:` — the whole dimension.
    case all
    /// `...` — as many `:` as needed to index every dimension.
    case ellipsis
    /// `none` — inserts a dimension of size 1.
    case newAxis

    public var description: String {
        switch self {
        case .at(let i): return String(i)
        case .all: return ":"
        case .ellipsis: return "..."
        case .newAxis: return "None"
        case let .slice(start, end, step):
            let s = start.map(String.init) ?? "", e = end.map(String.init) ?? ""
            return step == 1 ? "\(s):\(e)" : "\(s):\(e):\(step)"
        }
    }
}

extension Tensor {
    /// `x[indices]`: a view sharing storage, differentiable.
    public func indexed(_ indices: [TensorIndex]) throws -> Tensor {
        let text = "[" + indices.map(\.description).joined(separator: ", ") + "]"
        let full = try expandedIndex(indices, shape: shape, text: text)
        let own = try BasicIndexLayout(shape: shape, strides: strides, offset: offset).applying(full, text: text)
        let dense = try BasicIndexLayout(shape: shape, strides: ShapeMath.contiguousStrides(shape), offset: 0).applying(full, text: text)
        let out = aliased(shape: own.shape, strides: own.strides, offset: own.offset)
        let inShape = shape
        return out.recorded("Index", inputs: [self], attributes: [("index", text)]) { c in
            [try basicIndexScatter(c.gradOutput, into: inShape, dense)]
        }
    }
}

/// The index with `...` (or nothing) replaced by `:` for every unindexed dimension.
private func expandedIndex(_ indices: [TensorIndex], shape: [Int], text: String) throws -> [TensorIndex] {
    guard indices.filter({ $0 == .ellipsis }).count <= 1 else {
        throw EngineError.invalid("index", "index", "an index can only have a single ellipsis (...), got \(text)")
    }
    let consumed = indices.filter { $0 != .ellipsis && $0 != .newAxis }.count
    guard consumed <= shape.count else {
        throw EngineError.invalid("index", "index", "too many indices for a tensor of rank \(shape.count): \(text) indexes \(consumed) dimensions of shape \(fmt(shape))")
    }
    let fill = [TensorIndex](repeating: .all, count: shape.count - consumed)
    guard let e = indices.firstIndex(of: .ellipsis) else { return indices + fill }
    return Array(indices[..<e]) + fill + Array(indices[(e + 1)...])
}

/// Shape, strides (elements) and offset of an index view.
private struct BasicIndexLayout {
    var shape: [Int]
    var strides: [Int]
    var offset: Int

    /// The layout `index` selects (every dimension consumed exactly once).
    func applying(_ index: [TensorIndex], text: String) throws -> BasicIndexLayout {
        var out = BasicIndexLayout(shape: [], strides: [], offset: offset)
        var d = 0
        for entry in index {
            switch entry {
            case .newAxis:
                out.shape.append(1)
                out.strides.append(0)
            case .ellipsis:
                break // already expanded
            case .all:
                out.shape.append(shape[d]); out.strides.append(strides[d]); d += 1
            case .at(let i):
                let size = shape[d]
                guard i >= -size && i < size else {
                    throw EngineError.invalid("index", "index", "index \(i) is out of bounds for dimension \(d) with size \(size) (shape \(fmt(shape)), index \(text))")
                }
                out.offset += (i < 0 ? i + size : i) * strides[d]; d += 1
            case let .slice(start, end, step):
                guard step > 0 else {
                    throw EngineError.invalid("index", "step", "slice step must be positive, got \(step) in \(text)")
                }
                let size = shape[d]
                let lo = Self.bound(start, size, 0), hi = Self.bound(end, size, size)
                // Written so that a huge step cannot overflow: a length of at most 1 ignores the stride.
                let length = hi > lo ? (hi - lo - 1) / step + 1 : 0
                if length > 0 { out.offset += lo * strides[d] }
                out.shape.append(length)
                out.strides.append(length > 1 ? strides[d] * step : strides[d]); d += 1
            }
        }
        return out
    }

    /// A slice bound: negative counts from the end, then clamped to [0, size].
    private static func bound(_ b: Int?, _ size: Int, _ fallback: Int) -> Int {
        guard let b else { return fallback }
        let j = b < 0 ? b + size : b
        return Swift.min(Swift.max(j, 0), size)
    }
}

/// Zeros of `inShape` with `g` written where `dense` points (the gradient of an index view).
private func basicIndexScatter(_ g: Tensor, into inShape: [Int], _ dense: BasicIndexLayout) throws -> Tensor {
    let out = try Tensor(zeros: inShape, dtype: g.dtype, op: "index")
    basicIndexCopy(g, into: out.aliased(shape: dense.shape, strides: dense.strides, offset: dense.offset))
    return out.recorded("IndexScatter", inputs: [g], attributes: [("shape", fmt(inShape))]) { c in
        [try basicIndexGather(c.gradOutput, from: inShape, dense)]
    }
}

/// The elements of `g` (shape `inShape`) that `dense` selects (the gradient of a scatter).
private func basicIndexGather(_ g: Tensor, from inShape: [Int], _ dense: BasicIndexLayout) throws -> Tensor {
    let base = try g.contiguous()
    guard base.shape == inShape else {
        throw EngineError(.autograd, op: "index", "gradient shape \(fmt(base.shape)) does not match \(fmt(inShape))")
    }
    let out = base.aliased(shape: dense.shape, strides: dense.strides, offset: base.offset + dense.offset)
    return out.recorded("IndexGather", inputs: [base], attributes: [("shape", fmt(dense.shape))]) { c in
        [try basicIndexScatter(c.gradOutput, into: inShape, dense)]
    }
}

/// Copies `src` into `dst`: same shape and dtype, any strides on both sides.
private func basicIndexCopy(_ src: Tensor, into dst: Tensor) {
    switch src.dtype.itemSize {
    case 8: basicIndexCopyBits(src, dst, UInt64.self)
    case 4: basicIndexCopyBits(src, dst, UInt32.self)
    default: basicIndexCopyBits(src, dst, UInt8.self)
    }
}

private func basicIndexCopyBits<W: FixedWidthInteger>(_ src: Tensor, _ dst: Tensor, _: W.Type) {
    let sp = src.pointer(W.self), dp = dst.pointer(W.self)
    forEachOffset2(src.shape, src.strides, dst.strides) { s, d in dp[d] = sp[s] }
}
