import TenshText

/// Ops that build a new tensor from the elements of others: `cat`, `stack`, `flip`.

/// Concatenation along `dim` (`torch.cat`). Every tensor has the same rank and the
/// same sizes except along `dim`; dtypes are promoted as in arithmetic.
public func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    guard let first = tensors.first else {
        throw EngineError.invalid("cat", "tensors", "expected a non-empty list of tensors")
    }
    guard first.rank > 0 else {
        throw EngineError.invalid("cat", "tensors", "zero-dimensional tensor (tensor 0) cannot be concatenated; use stack")
    }
    let d = try ShapeMath.dim(dim, rank: first.rank, op: "cat")
    var total = 0
    for (i, t) in tensors.enumerated() {
        var a = t.shape, b = first.shape
        if a.count == b.count { a[d] = 0; b[d] = 0 }
        guard a == b else {
            throw EngineError.invalid("cat", "tensors",
                "sizes of tensors must match except in dimension \(d): tensor \(i) has shape \(shapeText(t.shape)) but tensor 0 has shape \(shapeText(first.shape))")
        }
        let (sum, overflow) = total.addingReportingOverflow(t.shape[d])
        guard !overflow else {
            throw EngineError(.resourceLimit, op: "cat", argument: "tensors", "the sizes along dimension \(d) add up to more than \(Int.max)")
        }
        total = sum
    }
    var outShape = first.shape
    outShape[d] = total
    let dtype = resultType(tensors)
    let out = try Tensor.empty(outShape, dtype, op: "cat")
    var start = 0
    var starts: [Int] = []
    for t in tensors {
        starts.append(start)
        let part = out.aliased(shape: t.shape, strides: out.strides, offset: start * out.strides[d])
        copyStrided(try t.materialized(t.shape, dtype, op: "cat"), into: part)
        start += t.shape[d]
    }
    let sizes = tensors.map { $0.shape[d] }
    return out.recorded("Cat", inputs: tensors, attributes: [("dim", "\(d)")]) { c in
        try c.inputs.indices.map { i in
            guard c.needsGrad[i] else { return nil }
            let g = try c.gradOutput.narrowed(d, start: starts[i], length: sizes[i])
            return try g.to(c.inputs[i].dtype)
        }
    }
}

/// Tensors of equal shape joined along a new dimension `dim` (`torch.stack`).
public func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
    guard let first = tensors.first else {
        throw EngineError.invalid("stack", "tensors", "expected a non-empty list of tensors")
    }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
        throw EngineError.invalid("stack", "tensors",
            "stack expects each tensor to be equal size, but tensor \(i) has shape \(shapeText(t.shape)) and tensor 0 has shape \(shapeText(first.shape))")
    }
    let d = try ShapeMath.dim(dim, rank: first.rank + 1, op: "stack")
    return try cat(tensors.map { try $0.unsqueezed(d) }, dim: d)
}

/// The elements reversed along each of `dims` (a copy, like `torch.flip`).
public func flip(_ x: Tensor, dims: [Int]) throws -> Tensor {
    let ds = try dims.map { try ShapeMath.dim($0, rank: x.rank, op: "flip", argument: "dims") }
    guard Set(ds).count == ds.count else {
        throw EngineError.invalid("flip", "dims", "dims \(shapeText(dims)) repeat a dimension (shape \(shapeText(x.shape)))")
    }
    var strides = x.strides, offset = x.offset
    for d in ds where x.rank > 0 && x.shape[d] > 0 {
        offset += (x.shape[d] - 1) * strides[d]
        strides[d] = -strides[d]
    }
    let reversed = x.aliased(shape: x.shape, strides: strides, offset: offset)
    let out = try Tensor.empty(x.shape, x.dtype, op: "flip")
    try copyConverting(reversed, into: out, op: "flip")
    return out.recorded("Flip", inputs: [x], attributes: [("dims", shapeText(ds))]) { c in
        [try flip(c.gradOutput, dims: ds)]
    }
}
