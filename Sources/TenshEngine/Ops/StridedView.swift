import TenshText

/// The machinery shared by every strided view (permute, transpose, squeeze,
/// unsqueeze, slicing, narrowing): a view is a `ViewLayout` computed from the
/// input's layout. The forward result aliases the input's storage; the
/// gradient is the same transform applied to the contiguous layout of the
/// input's shape, scattered into zeros. Both directions are recorded ops, so
/// gradients of any order flow through views.

/// Shape, strides (elements) and offset of a view.
struct ViewLayout: Equatable {
    var shape: [Int]
    var strides: [Int]
    var offset: Int

    /// The contiguous layout of `shape` at offset 0.
    static func contiguous(_ shape: [Int]) -> ViewLayout {
        ViewLayout(shape: shape, strides: ShapeMath.contiguousStrides(shape), offset: 0)
    }
}

extension Tensor {
    var layout: ViewLayout { ViewLayout(shape: shape, strides: strides, offset: offset) }
}

/// A view of `x` whose layout is `transform(x.layout)`, recorded as `name`.
/// `transform` must describe a view that visits each input element at most once.
/// Without autograd only the view's own layout is computed (the gradient's
/// selection and the attribute strings cost more than the view itself).
func stridedView(_ x: Tensor, _ name: String, attributes: @autoclosure () -> [(String, String)] = [],
                 _ transform: (ViewLayout) throws -> ViewLayout) throws -> Tensor {
    let own = try transform(x.layout)
    if own.shape.count > ShapeMath.maxRank { try ShapeMath.checkRank(own.shape.count, op: name.lowercased()) }
    let out = x.aliased(shape: own.shape, strides: own.strides, offset: own.offset)
    guard willRecord(x) else { return out.markedView(of: x) }
    let selection = try transform(.contiguous(x.shape))
    let inShape = x.shape
    return out.recorded(name, inputs: [x], attributes: attributes()) { c in
        [try scatterView(c.gradOutput, into: inShape, selection)]
    }.markedView(of: x)
}

/// The elements of a contiguous tensor of shape `inShape` selected by `selection`
/// (a layout relative to that contiguous tensor), taken from `g`. Differentiable.
func gatherView(_ g: Tensor, from inShape: [Int], _ selection: ViewLayout) throws -> Tensor {
    let base = try g.contiguous()
    guard base.shape == inShape else {
        throw EngineError(.autograd, op: "strided_view", "gradient shape \(shapeText(base.shape)) does not match \(shapeText(inShape))")
    }
    let out = base.aliased(shape: selection.shape, strides: selection.strides, offset: base.offset + selection.offset)
    return out.recorded("StridedView", inputs: [base], attributes: [("shape", shapeText(selection.shape))]) { c in
        [try scatterView(c.gradOutput, into: inShape, selection)]
    }
}

/// Zeros of `inShape` with `g` written at the positions `selection` selects
/// (the gradient of a view). Differentiable: its gradient is `gatherView`.
func scatterView(_ g: Tensor, into inShape: [Int], _ selection: ViewLayout) throws -> Tensor {
    let out = try Tensor(zeros: inShape, dtype: g.dtype, op: "strided_view")
    let target = out.aliased(shape: selection.shape, strides: selection.strides, offset: selection.offset)
    copyStrided(g, into: target)
    return out.recorded("ScatterView", inputs: [g], attributes: [("shape", shapeText(inShape))]) { c in
        [try gatherView(c.gradOutput, from: inShape, selection)]
    }
}

/// Copies `src` into `dst` (same shape and dtype, any strides on both sides).
func copyStrided(_ src: Tensor, into dst: Tensor) {
    switch src.dtype.itemSize {
    case 8: copyStridedBits(src, dst, UInt64.self)
    case 4: copyStridedBits(src, dst, UInt32.self)
    default: copyStridedBits(src, dst, UInt8.self)
    }
}

private func copyStridedBits<W: FixedWidthInteger>(_ src: Tensor, _ dst: Tensor, _: W.Type) {
    let sp = src.pointer(W.self), dp = dst.pointer(W.self)
    forEachOffset2(src.shape, src.strides, dst.strides) { so, d in dp[d] = sp[so] }
}
