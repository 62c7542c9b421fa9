/// Basic indexing and slicing (`x[0]`, `x[:, 1:3]`, `x[::2]`) as a strided
/// view: the result shares storage with the input. Differentiable to any
/// order: the gradient scatters into zeros through the same layout, and the
/// gradient of that scatter gathers through it again.

/// One entry of an index, for one dimension of the input.
public enum IndexComponent: Equatable, Sendable, CustomStringConvertible {
    /// One position (negative counts from the end); the dimension is removed.
    case select(Int)
    /// Python slice semantics: nil bounds mean the ends, out-of-range bounds clamp; `step` > 0.
    case slice(start: Int?, stop: Int?, step: Int)

    public var description: String {
        switch self {
        case .select(let i): return String(i)
        case .slice(let start, let stop, let step):
            return "\(start.map(String.init) ?? ""):\(stop.map(String.init) ?? "")" + (step == 1 ? "" : ":\(step)")
        }
    }
}

/// Shape, strides (elements) and offset of an index view.
struct IndexLayout {
    var shape: [Int]
    var strides: [Int]
    var offset: Int
}

extension Tensor {
    /// `x[components...]`; dimensions after the last component are kept whole.
    public func indexed(_ components: [IndexComponent]) throws -> Tensor {
        let own = try IndexLayout(shape: shape, strides: strides, offset: offset).applying(components)
        let dense = try IndexLayout(shape: shape, strides: ShapeMath.contiguousStrides(shape), offset: 0).applying(components)
        let out = aliased(shape: own.shape, strides: own.strides, offset: own.offset)
        let inShape = shape
        let text = "[" + components.map(\.description).joined(separator: ", ") + "]"
        return out.recorded("Index", inputs: [self], attributes: [("index", text)]) { c in
            [try indexScatter(c.gradOutput, into: inShape, dense)]
        }
    }
}

extension IndexLayout {
    func applying(_ components: [IndexComponent]) throws -> IndexLayout {
        guard components.count <= shape.count else {
            throw EngineError.invalid("index", "index", "too many indices (\(components.count)) for a tensor of rank \(shape.count) (shape \(fmt(shape)))")
        }
        var out = IndexLayout(shape: [], strides: [], offset: offset)
        for (d, size) in shape.enumerated() {
            guard d < components.count else {
                out.shape.append(size)
                out.strides.append(strides[d])
                continue
            }
            switch components[d] {
            case .select(let i):
                guard i >= -size && i < size else {
                    throw EngineError.invalid("index", "index", "index \(i) is out of bounds for dimension \(d) with size \(size) (shape \(fmt(shape)))")
                }
                out.offset += (i < 0 ? i + size : i) * strides[d]
            case .slice(let start, let stop, let step):
                guard step > 0 else {
                    throw EngineError.invalid("index", "step", "slice step must be greater than zero, got \(step)")
                }
                let lo = Self.clamp(start ?? 0, size), hi = Self.clamp(stop ?? size, size)
                let count = hi > lo ? (hi - lo + step - 1) / step : 0
                if count > 0 { out.offset += lo * strides[d] }
                out.shape.append(count)
                out.strides.append(strides[d] * step)
            }
        }
        return out
    }

    /// A slice bound: negative counts from the end, then clamped to [0, size].
    private static func clamp(_ i: Int, _ size: Int) -> Int {
        let j = i < 0 ? i + size : i
        return Swift.min(Swift.max(j, 0), size)
    }
}

/// Zeros of `inShape` with `g` written where `dense` points (the gradient of an index view).
private func indexScatter(_ g: Tensor, into inShape: [Int], _ dense: IndexLayout) throws -> Tensor {
    let out = try Tensor(zeros: inShape, dtype: g.dtype, op: "index")
    copyIndexed(g, into: out.aliased(shape: dense.shape, strides: dense.strides, offset: dense.offset))
    return out.recorded("IndexScatter", inputs: [g], attributes: [("shape", fmt(inShape))]) { c in
        [try indexGather(c.gradOutput, from: inShape, dense)]
    }
}

/// The elements of `g` (shape `inShape`) that `dense` selects (the gradient of a scatter).
private func indexGather(_ g: Tensor, from inShape: [Int], _ dense: IndexLayout) throws -> Tensor {
    let base = try g.contiguous()
    guard base.shape == inShape else {
        throw EngineError(.autograd, op: "index", "gradient shape \(fmt(base.shape)) does not match \(fmt(inShape))")
    }
    let out = base.aliased(shape: dense.shape, strides: dense.strides, offset: base.offset + dense.offset)
    return out.recorded("IndexGather", inputs: [base], attributes: [("shape", fmt(dense.shape))]) { c in
        [try indexScatter(c.gradOutput, into: inShape, dense)]
    }
}

/// Copies `src` into `dst`: same shape and dtype, any strides on both sides.
func copyIndexed(_ src: Tensor, into dst: Tensor) {
    switch src.dtype.itemSize {
    case 8: copyIndexedBits(src, dst, UInt64.self)
    case 4: copyIndexedBits(src, dst, UInt32.self)
    default: copyIndexedBits(src, dst, UInt8.self)
    }
}

private func copyIndexedBits<W: FixedWidthInteger>(_ src: Tensor, _ dst: Tensor, _: W.Type) {
    let sp = src.pointer(W.self), dp = dst.pointer(W.self)
    forEachOffset2(src.shape, src.strides, dst.strides) { s, d in dp[d] = sp[s] }
}
