import TenshText

/// PyTorch's type promotion (`torch.result_type`): dimensioned tensors decide
/// first; 0-d tensors and then plain numbers raise the result only when they
/// are of a higher category (bool < integer < floating point).
func resultType(_ tensors: [Tensor]) -> DType {
    var promotion = TypePromotion()
    for t in tensors { promotion.add(t) }
    return promotion.result
}

/// `resultType([a, b])` without building the list (every binary op with a plain number asks it).
func resultType(_ a: Tensor, _ b: Tensor) -> DType {
    var promotion = TypePromotion()
    promotion.add(a)
    promotion.add(b)
    return promotion.result
}

/// The promotion state over the tensors seen so far, by kind of operand.
private struct TypePromotion {
    var dimResult: DType?
    var zeroDimResult: DType?
    var wrappedResult: DType?

    mutating func add(_ t: Tensor) {
        if t.rank > 0 {
            dimResult = dimResult.map { DType.promote($0, t.dtype) } ?? t.dtype
        } else if t.isWrappedNumber {
            wrappedResult = wrappedResult.map { DType.promote($0, t.dtype) } ?? t.dtype
        } else {
            zeroDimResult = zeroDimResult.map { DType.promote($0, t.dtype) } ?? t.dtype
        }
    }

    var result: DType {
        var result = dimResult ?? zeroDimResult ?? .float32
        if dimResult == nil && zeroDimResult == nil, let w = wrappedResult {
            return w == .float64 ? .float32 : w // numbers alone: floats are the default dtype
        }
        if let z = zeroDimResult, z.category > result.category { result = z }
        // Plain numbers are kept as f64 / i64 / bool; a float number meeting
        // integer tensors gives the default dtype, float32.
        if let w = wrappedResult, w.category > result.category { result = w.isFloatingPoint ? .float32 : w }
        return result
    }
}

extension Tensor {
    /// This tensor's values laid out contiguously as `shape` (broadcast) in `dtype`,
    /// without recording a graph node. Returns `self` when nothing needs to change.
    func materialized(_ shape: [Int], _ dtype: DType, op: String) throws -> Tensor {
        if shape == self.shape && dtype == self.dtype && isContiguous { return self }
        let source = shape == self.shape ? self : try broadcastAlias(to: shape, op: op)
        let out = try Tensor.empty(shape, dtype, op: op)
        try copyConverting(source, into: out, op: op)
        return out
    }

    /// This tensor's values laid out contiguously in its own dtype, without recording
    /// a graph node (`self` when already contiguous): what a kernel reads.
    func contiguousData(op: String) throws -> Tensor { try materialized(shape, dtype, op: op) }

    /// A stride-0 alias of `self` broadcast to `shape` (no copy, no graph).
    func broadcastAlias(to target: [Int], op: String) throws -> Tensor {
        guard target.count >= rank else {
            throw EngineError.invalid(op, nil, "cannot broadcast shape \(shapeText(shape)) to \(shapeText(target))")
        }
        let lead = target.count - rank
        var newStrides = [Int](repeating: 0, count: target.count)
        for i in 0..<target.count where i >= lead {
            let d = shape[i - lead]
            if d == target[i] { newStrides[i] = strides[i - lead] } else if d != 1 {
                throw EngineError.invalid(op, nil, "cannot broadcast shape \(shapeText(shape)) to \(shapeText(target))")
            }
        }
        return aliased(shape: target, strides: newStrides, offset: offset)
    }
}
