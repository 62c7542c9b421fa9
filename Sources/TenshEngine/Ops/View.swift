import TenshText

/// Views: results share storage with the input when the layout allows.

extension Tensor {
    /// Same elements in a new shape; one size may be -1. A view when the layout
    /// allows, otherwise a copy (like `torch.reshape`).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let target = try inferShape(newShape, op: "reshape")
        if target == shape { return self }
        let source = try isContiguous ? self : contiguous()
        let out = source.aliased(shape: target, strides: ShapeMath.contiguousStrides(target), offset: source.offset)
        guard willRecord(self) else { return out.markedView(of: self) }
        let inShape = shape
        return out.recorded("View", inputs: [self], attributes: [("shape", shapeText(target))]) { c in
            [try c.gradOutput.reshaped(inShape)]
        }.markedView(of: self)
    }

    /// Resolves a -1 entry and checks that the element count matches.
    func inferShape(_ newShape: [Int], op: String) throws -> [Int] {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else {
            throw EngineError.invalid(op, "shape", "only one dimension can be -1, got \(shapeText(newShape))")
        }
        if let bad = newShape.first(where: { $0 < -1 }) {
            throw EngineError.invalid(op, "shape", "invalid size \(bad) in shape \(shapeText(newShape))")
        }
        let known = try ShapeMath.count(newShape.map { $0 == -1 ? 1 : $0 }, op: op, argument: "shape")
        var result = newShape
        if let i = inferred.first {
            guard known != 0, count % known == 0 else {
                throw EngineError.invalid(op, "shape", "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
            }
            result[i] = count / known
        }
        guard try ShapeMath.count(result, op: op, argument: "shape") == count else {
            throw EngineError.invalid(op, "shape", "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
        }
        return result
    }

    /// A broadcast view to `newShape` (-1 keeps a size), like `x.expand(...)`.
    public func expanded(_ newShape: [Int]) throws -> Tensor {
        guard newShape.count >= rank else {
            throw EngineError.invalid("expand", "size", "the number of sizes (\(newShape.count)) must be at least the tensor's rank (\(rank)); shape \(shapeText(shape))")
        }
        let lead = newShape.count - rank
        var target = newShape
        for i in 0..<rank where newShape[i + lead] == -1 { target[i + lead] = shape[i] }
        if target == shape { return self }
        if let bad = target.first(where: { $0 < 0 }) {
            throw EngineError.invalid("expand", "size", "invalid size \(bad) in \(shapeText(newShape))")
        }
        // A view larger than any tensor the engine may allocate could only feed ops
        // that overflow or run for ages: refuse it like an allocation.
        let n = try ShapeMath.count(target, op: "expand")
        guard n <= EngineConfig.maxTensorBytes / dtype.itemSize else {
            throw EngineError(.resourceLimit, op: "expand", argument: "size",
                "expanding \(shapeText(shape)) to \(shapeText(target)) gives \(n) elements, above the allocation limit of \(EngineConfig.maxTensorBytes) bytes")
        }
        // Only sizes of 1 can grow: blame the `size` argument (the REPL points at it).
        for i in 0..<rank where shape[i] != 1 && shape[i] != target[i + lead] {
            throw EngineError.invalid("expand", "size", "cannot expand shape \(shapeText(shape)) to \(shapeText(target)): dimension \(i + lead) has size \(shape[i]), and only sizes of 1 can be expanded")
        }
        let out = try broadcastAlias(to: target, op: "expand")
        let inShape = shape
        return out.recorded("Expand", inputs: [self], attributes: [("shape", shapeText(target))]) { c in
            [try sumToShape(c.gradOutput, inShape)]
        }.markedView(of: self)
    }
}
