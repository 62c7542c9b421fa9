import TenshText

/// Shape transforms that share storage with their input, like PyTorch's:
/// `view`, `permuted`, `transposed`, `T`, `flattened`, `squeezed`, `unsqueezed`, `narrowed`.

extension Tensor {
    /// The same elements in `newShape` (one size may be -1), always sharing storage.
    /// Errors when the strides cannot express the new shape (use `reshaped`), like `x.view(...)`.
    public func view(_ newShape: [Int]) throws -> Tensor {
        let target = try inferShape(newShape, op: "view")
        guard let newStrides = viewStrides(target) else {
            throw EngineError.invalid("view", "shape",
                "view size \(shapeText(target)) is not compatible with input of shape \(shapeText(shape)) and strides \(shapeText(strides)) (at least one dimension spans across two contiguous subspaces); use reshape instead")
        }
        let out = aliased(shape: target, strides: newStrides, offset: offset)
        let inShape = shape
        return out.recorded("View", inputs: [self], attributes: [("shape", shapeText(target))]) { c in
            [try c.gradOutput.reshaped(inShape)]
        }.markedView(of: self)
    }

    /// Strides giving `target` over this tensor's memory without a copy, or nil
    /// (PyTorch's `computeStride`: dimensions are regrouped chunk by chunk of
    /// contiguous memory).
    func viewStrides(_ target: [Int]) -> [Int]? {
        if shape.isEmpty || count == 0 { return ShapeMath.contiguousStrides(target) }
        var newStrides = [Int](repeating: 1, count: target.count)
        var viewD = target.count - 1
        var chunkBase = strides[rank - 1]
        var tensorNumel = 1, viewNumel = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            tensorNumel *= shape[d]
            let chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)
            guard chunkEnds else { continue }
            while viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1) {
                newStrides[viewD] = viewNumel * chunkBase
                viewNumel *= target[viewD]
                viewD -= 1
            }
            if viewNumel != tensorNumel { return nil }
            if d > 0 {
                chunkBase = strides[d - 1]
                tensorNumel = 1
                viewNumel = 1
            }
        }
        return viewD == -1 ? newStrides : nil
    }

    /// Dimensions reordered: result dimension i is input dimension `dims[i]` (a view).
    public func permuted(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw EngineError.invalid("permute", "dims", "got \(dims.count) dims \(shapeText(dims)) for a tensor of rank \(rank) (shape \(shapeText(shape)))")
        }
        let order = try dims.map { try ShapeMath.dim($0, rank: rank, op: "permute", argument: "dims") }
        guard Set(order).count == order.count else {
            throw EngineError.invalid("permute", "dims", "dims \(shapeText(dims)) repeat a dimension (shape \(shapeText(shape)))")
        }
        return try stridedView(self, "Permute", attributes: [("dims", shapeText(order))]) { l in
            ViewLayout(shape: order.map { l.shape[$0] }, strides: order.map { l.strides[$0] }, offset: l.offset)
        }
    }

    /// Dimensions `d0` and `d1` swapped (a view).
    public func transposed(_ d0: Int, _ d1: Int) throws -> Tensor {
        let a = try ShapeMath.dim(d0, rank: rank, op: "transpose", argument: "dim0")
        let b = try ShapeMath.dim(d1, rank: rank, op: "transpose", argument: "dim1")
        if rank == 0 { return self }
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// The transpose of a matrix (a 0-d or 1-d tensor is returned unchanged), like `x.T`.
    public var T: Tensor {
        get throws {
            guard rank <= 2 else {
                throw EngineError.invalid("T", "x", "T needs a tensor of rank <= 2, got shape \(shapeText(shape)); use permute")
            }
            return rank == 2 ? try transposed(0, 1) : self
        }
    }

    /// Dimensions `startDim...endDim` merged into one (a view when possible), like `torch.flatten`.
    public func flattened(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        let s = try ShapeMath.dim(startDim, rank: rank, op: "flatten", argument: "start_dim")
        let e = try ShapeMath.dim(endDim, rank: rank, op: "flatten", argument: "end_dim")
        guard s <= e else {
            throw EngineError.invalid("flatten", "start_dim", "start_dim \(startDim) comes after end_dim \(endDim) (shape \(shapeText(shape)))")
        }
        if rank == 0 { return try reshaped([1]) }
        let merged = shape[s...e].reduce(1, *)
        return try reshaped(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Size-1 dimensions removed: all of them, or only `dim` (unchanged when its size is not 1).
    public func squeezed(_ dim: Int? = nil) throws -> Tensor {
        var drop: [Int]
        if let dim {
            let d = try ShapeMath.dim(dim, rank: rank, op: "squeeze")
            drop = rank > 0 && shape[d] == 1 ? [d] : []
        } else {
            drop = shape.indices.filter { shape[$0] == 1 }
        }
        if drop.isEmpty { return self }
        let keep = shape.indices.filter { !drop.contains($0) }
        return try stridedView(self, "Squeeze", attributes: [("dim", shapeText(drop))]) { l in
            ViewLayout(shape: keep.map { l.shape[$0] }, strides: keep.map { l.strides[$0] }, offset: l.offset)
        }
    }

    /// A size-1 dimension inserted at `dim` (in `-(rank+1)...rank`), a view.
    public func unsqueezed(_ dim: Int) throws -> Tensor {
        let d = try ShapeMath.dim(dim, rank: rank + 1, op: "unsqueeze")
        return try stridedView(self, "Unsqueeze", attributes: [("dim", "\(d)")]) { l in
            var out = l
            let stride = d < l.shape.count ? l.shape[d] * l.strides[d] : 1
            out.shape.insert(1, at: d)
            out.strides.insert(stride, at: d)
            return out
        }
    }

    /// Elements `start..<start+length` along `dim` (a view), like `x.narrow(dim, start, length)`.
    public func narrowed(_ dim: Int, start: Int, length: Int) throws -> Tensor {
        guard rank > 0 else { throw EngineError.invalid("narrow", "x", "cannot narrow a 0-d tensor") }
        let d = try ShapeMath.dim(dim, rank: rank, op: "narrow")
        let s = start < 0 ? start + shape[d] : start
        guard s >= 0, s <= shape[d], length >= 0, length <= shape[d] - s else {
            throw EngineError.invalid("narrow", "start", "start \(start) and length \(length) exceed dimension \(d) of size \(shape[d]) (shape \(shapeText(shape)))")
        }
        return try stridedView(self, "Narrow", attributes: [("dim", "\(d)"), ("start", "\(s)"), ("length", "\(length)")]) { l in
            var out = l
            out.offset += s * l.strides[d]
            out.shape[d] = length
            return out
        }
    }
}
