import TenshText

/// Basic indexing (`x[0]`, `x[:, 1:3]`, `x[..., -1]`, `x[::2]`, `x[None]`) as a
/// strided view, with Python's rules for negative and out-of-range bounds.
/// An index with a tensor entry is advanced indexing (AdvancedIndexing.swift).

/// One entry of an index expression.
public enum TensorIndex: Equatable, CustomStringConvertible {
    /// A single position (negative counts from the end); removes the dimension.
    case at(Int)
    /// `start:end:step` with Python semantics: nil bounds mean the whole range,
    /// negative bounds count from the end, out-of-range bounds are clamped. `step > 0`.
    case slice(start: Int? = nil, end: Int? = nil, step: Int = 1)
    /// `:` — the whole dimension.
    case all
    /// `...` — as many `:` as needed to index every dimension.
    case ellipsis
    /// `None` — inserts a dimension of size 1.
    case newAxis
    /// An int64 tensor of positions, or a bool mask over as many dimensions as it has
    /// (advanced indexing: the result is a copy; see AdvancedIndexing.swift).
    case tensor(Tensor)

    public static func == (a: TensorIndex, b: TensorIndex) -> Bool {
        switch (a, b) {
        case let (.at(i), .at(j)): return i == j
        case let (.slice(s1, e1, t1), .slice(s2, e2, t2)): return s1 == s2 && e1 == e2 && t1 == t2
        case (.all, .all), (.ellipsis, .ellipsis), (.newAxis, .newAxis): return true
        case let (.tensor(x), .tensor(y)): return x === y
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .at(let i): return "\(i)"
        case .all: return ":"
        case .ellipsis: return "..."
        case .newAxis: return "None"
        case .tensor(let t): return "<\(t.dtype) tensor \(shapeText(t.shape))>"
        case let .slice(start, end, step):
            let s = start.map(String.init) ?? "", e = end.map(String.init) ?? ""
            return step == 1 ? "\(s):\(e)" : "\(s):\(e):\(step)"
        }
    }

    var consumesDimension: Bool {
        switch self {
        case .at, .slice, .all, .tensor: return true
        case .ellipsis, .newAxis: return false
        }
    }
}

extension Tensor {
    /// `x[indices]`: a view sharing storage, differentiable (the gradient is
    /// scattered into zeros of the input's shape).
    public func indexed(_ indices: [TensorIndex]) throws -> Tensor {
        if indices.contains(where: { $0.isAdvanced }) { return try advancedIndexed(indices) }
        let expanded = try expandEllipsis(indices)
        // The text is for errors and the graph view: formatted only when needed.
        func text() -> String { "[" + indices.map(\.description).joined(separator: ", ") + "]" }
        // A bad entry throws on the first transform, before any view exists.
        return try stridedView(self, "Index", attributes: [("index", text())]) { l in
            try applyIndex(expanded, to: l, text: text)
        }
    }

    /// The index with `...` replaced by `:` for every unindexed dimension. Without
    /// `...` it is used as given: `applyIndex` keeps the trailing dimensions it leaves.
    private func expandEllipsis(_ indices: [TensorIndex]) throws -> [TensorIndex] {
        var text: String { "[" + indices.map(\.description).joined(separator: ", ") + "]" }
        var ellipses = 0, consumed = 0 // counted without filtered copies: this runs for every x[i]
        for entry in indices {
            if entry == .ellipsis { ellipses += 1 }
            if entry.consumesDimension { consumed += 1 }
        }
        guard ellipses <= 1 else {
            throw EngineError.invalid("index", "index", "an index can only have a single ellipsis (...), got \(text)")
        }
        guard consumed <= rank else {
            throw EngineError.invalid("index", "index", "too many indices for a tensor of rank \(rank): \(text) indexes \(consumed) dimensions of shape \(shapeText(shape))")
        }
        guard ellipses == 1, let e = indices.firstIndex(of: .ellipsis) else { return indices }
        let fill = [TensorIndex](repeating: .all, count: rank - consumed)
        return Array(indices[..<e]) + fill + Array(indices[(e + 1)...])
    }
}

/// The layout `index` selects from `l`: each entry consumes at most one leading
/// dimension of `l` in order, and the dimensions left over are kept whole (`x[i]` of a
/// matrix is `x[i, :]`). `index` has no `...` (`expandEllipsis` replaced it).
private func applyIndex(_ index: [TensorIndex], to l: ViewLayout, text: () -> String) throws -> ViewLayout {
    var out = ViewLayout(shape: [], strides: [], offset: l.offset)
    out.shape.reserveCapacity(index.count + l.shape.count)
    out.strides.reserveCapacity(index.count + l.shape.count)
    var d = 0
    for entry in index {
        switch entry {
        case .newAxis:
            out.shape.append(1)
            out.strides.append(0)
        case .all:
            out.shape.append(l.shape[d]); out.strides.append(l.strides[d]); d += 1
        case .at(let i):
            let size = l.shape[d]
            let j = i < 0 ? i + size : i
            guard j >= 0 && j < size else {
                throw EngineError.invalid("index", "index", "index \(i) is out of bounds for dimension \(d) with size \(size) (shape \(shapeText(l.shape)), index \(text()))")
            }
            out.offset += j * l.strides[d]; d += 1
        case let .slice(start, end, step):
            guard step > 0 else {
                throw EngineError.invalid("index", "step", "slice step must be positive, got \(step) in \(text())")
            }
            let size = l.shape[d]
            let s = clampBound(start, size: size, default: 0)
            let e = clampBound(end, size: size, default: size)
            // Written so that a huge step cannot overflow: length ≤ 1 ignores the stride.
            let length = e > s ? (e - s - 1) / step + 1 : 0
            out.offset += s * l.strides[d]
            out.shape.append(length); out.strides.append(length > 1 ? l.strides[d] * step : l.strides[d]); d += 1
        case .ellipsis:
            break // already expanded
        case .tensor:
            throw EngineError.invalid("index", "index", "internal: a tensor index reached basic indexing (\(text()))")
        }
    }
    while d < l.shape.count {
        out.shape.append(l.shape[d]); out.strides.append(l.strides[d]); d += 1
    }
    return out
}

/// Python's slice bound: negative counts from the end, then clamped to 0...size.
private func clampBound(_ bound: Int?, size: Int, default value: Int) -> Int {
    guard let b = bound else { return value }
    let adjusted = b < 0 ? b + size : b
    return Swift.min(Swift.max(adjusted, 0), size)
}
