import TenshText

/// `pad`, like `torch.nn.functional.pad`: constant, reflect, replicate and
/// circular modes, differentiable in all four (the gradient scatter-adds the
/// copies back; its own gradient is the pad again, so higher orders work).

/// Pads the last dimensions of `x`. `pads` is torch order, last dimension first:
/// `[left, right]`, `[left, right, top, bottom]`, ... (an even count ≤ 2·rank,
/// non-negative). reflect needs padding < the dimension's size; circular ≤ size;
/// replicate a non-empty dimension.
///
///     let y = try pad(x, [1, 1, 2, 0], mode: .reflect)   // [N, C, H, W] → [N, C, H + 2, W + 2]
public func pad(_ x: Tensor, _ pads: [Int], mode: PadMode = .constant, value: Double = 0) throws -> Tensor {
    try pad(x, pads, mode: mode, value: value, op: "pad")
}

/// `pad` reporting errors as `op` (conv2d's padding modes run it).
func pad(_ x: Tensor, _ pads: [Int], mode: PadMode, value: Double, op: String) throws -> Tensor {
    let (before, after) = try padAmounts(op, x, pads, mode: mode)
    let plan = PadPlan(inShape: x.shape, before: before, after: after, mode: mode)
    _ = try ShapeMath.count(plan.outShape, op: op)
    let source = try x.contiguousData(op: op)
    let out = try Tensor.empty(plan.outShape, x.dtype, op: op)
    func run<T: Element>(_: T.Type) {
        padGatherKernel(source.pointer(T.self), out.pointer(T.self), plan, fill: T(fromDouble: value))
    }
    withElementType(x.dtype) { T in run(T) }
    try Cancellation.check(op)
    return out.recorded("Pad", inputs: [x], attributes: [("pad", shapeText(pads)), ("mode", mode.rawValue)]) { ctx in
        [try padAdjoint(ctx.gradOutput, plan, pads: pads, mode: mode, op: op)]
    }
}

/// The gradient of pad: a tensor shaped like the unpadded input (one `PadBackward` node).
func padAdjoint(_ g: Tensor, _ plan: PadPlan, pads: [Int], mode: PadMode, op: String) throws -> Tensor {
    let source = try g.contiguousData(op: op)
    let out = try Tensor(zeros: plan.inShape, dtype: g.dtype, op: op)
    func run<T: GemmScalar>(_: T.Type) { padScatterKernel(source.pointer(T.self), out.pointer(T.self), plan) }
    try withFloatType(g.dtype, op: op) { T in run(T) }
    try Cancellation.check(op)
    return out.recorded("PadBackward", inputs: [g], attributes: [("pad", shapeText(pads)), ("mode", mode.rawValue)]) { ctx in
        [try pad(ctx.gradOutput, pads, mode: mode, value: 0, op: op)]
    }
}

/// Per-dimension (before, after) amounts from torch-order pads, checked against the mode.
private func padAmounts(_ op: String, _ x: Tensor, _ pads: [Int], mode: PadMode) throws -> ([Int], [Int]) {
    guard pads.count % 2 == 0, pads.count / 2 <= x.rank else {
        throw EngineError.invalid(op, "pad", "pad needs an even number of values, at most 2 per dimension (input \(shapeText(x.shape)) has rank \(x.rank)), got \(shapeText(pads))")
    }
    try ConvArguments.nonNegative(pads, "pad", op: op)
    var before = [Int](repeating: 0, count: x.rank), after = before
    for i in 0..<(pads.count / 2) {
        let d = x.rank - 1 - i
        before[d] = pads[2 * i]; after[d] = pads[2 * i + 1]
        let size = x.shape[d], amount = max(before[d], after[d])
        guard amount > 0 else { continue }
        switch mode {
        case .constant: break
        case .reflect where amount >= size:
            throw EngineError.invalid(op, "pad", "reflect padding \(amount) must be smaller than the input size \(size) of dimension \(d) (input \(shapeText(x.shape)), pad \(shapeText(pads)))")
        case .circular where amount > size:
            throw EngineError.invalid(op, "pad", "circular padding \(amount) must not exceed the input size \(size) of dimension \(d) (input \(shapeText(x.shape)), pad \(shapeText(pads)))")
        case .replicate where size == 0:
            throw EngineError.invalid(op, "pad", "replicate padding needs a non-empty dimension \(d) (input \(shapeText(x.shape)))")
        default: break
        }
    }
    return (before, after)
}
