/// Layout and dtype conversions: `contiguous`, `cloned`, `to(dtype)`.
extension Tensor {
    /// `self` when already contiguous, otherwise a contiguous copy (differentiable).
    public func contiguous() throws -> Tensor {
        if isContiguous { return self }
        return try cloned()
    }

    /// A contiguous copy with its own storage (differentiable, like `x.clone()`).
    public func cloned() throws -> Tensor {
        let out = try Tensor.empty(shape, dtype, op: "clone")
        try copyConverting(self, into: out, op: "clone")
        return out.recorded("Clone", inputs: [self]) { ctx in [ctx.gradOutput] }
    }

    /// A copy converted to `dtype` (`self` if it already has it). Differentiable between float types.
    public func to(_ dtype: DType) throws -> Tensor {
        if dtype == self.dtype { return self }
        let out = try Tensor.empty(shape, dtype, op: "to")
        try copyConverting(self, into: out, op: "to")
        out.isWrappedNumber = isWrappedNumber
        guard dtype.isFloatingPoint else { return out }
        let source = self.dtype
        return out.recorded("ToCopy", inputs: [self], attributes: [("dtype", dtype.rawValue)]) { ctx in
            [try ctx.gradOutput.to(source)]
        }
    }
}
