import TenshText

/// Advanced indexing as PyTorch does it: ints, slices, `None` and `...` are
/// applied first as a view; then the tensor entries (int64 positions, or bool
/// masks standing for their nonzero coordinates) are broadcast together and
/// pick elements. The picked dimensions replace the indexed ones in place when
/// the tensor entries are adjacent, and go first otherwise (`x[idx, :, idx2]`).
/// Reading gives a copy; its gradient adds back at the picked positions.

extension TensorIndex {
    var isAdvanced: Bool {
        if case .tensor = self { return true }
        return false
    }
}

extension Tensor {
    /// `x[indices]` when some entry is a tensor (called by `indexed`).
    func advancedIndexed(_ indices: [TensorIndex]) throws -> Tensor {
        let (view, entries) = try advancedSplit(indices, op: "index")
        let map = try positionMap(entries, shape: view.shape, op: "index")
        return try gathered(view, map, name: "AdvancedIndex", op: "index")
    }

    /// `x[indices] = value` in place, broadcasting `value` to the indexed shape:
    /// a copy into the view for basic indices, torch's `index_put_` when an entry
    /// is a tensor. The rules of in-place changes apply (InPlace.swift).
    public func assign(_ value: Tensor, at indices: [TensorIndex]) throws {
        guard indices.contains(where: \.isAdvanced) else {
            try copyInPlace(into: indexed(indices), from: value, op: "index_put_")
            return
        }
        let op = "index_put_"
        let (view, entries) = try advancedSplit(indices, op: op)
        let map = try positionMap(entries, shape: view.shape, op: op)
        guard value.isWrappedNumber || value.dtype == dtype else {
            throw EngineError.invalid(op, "value", "Index put requires the source and destination dtypes match, got \(dtype) for the destination and \(value.dtype) for the source")
        }
        try modifyInPlace(view, op: op, others: [value], direct: { t in
            try putAtPositionsInPlace(t, map, value, op: op)
        }) { old in
            try putAtPositions(old, map, value, op: op)
        }
    }

    /// The view the basic entries select, and the tensor entries with the first
    /// dimension of that view each one indexes.
    private func advancedSplit(_ indices: [TensorIndex], op: String) throws -> (Tensor, [(dim: Int, tensor: Tensor)]) {
        let covered = try indices.map { entry -> Int in
            switch entry {
            case .at, .slice, .all: return 1
            case .ellipsis, .newAxis: return 0
            case .tensor(let t):
                guard t.dtype != .bool || t.rank > 0 else {
                    throw EngineError.invalid(op, "index", "a 0-d bool index is not supported; use a mask with the shape of the indexed dimensions")
                }
                return t.dtype == .bool ? t.rank : 1
            }
        }
        let consumed = covered.reduce(0, +)
        guard consumed <= rank, indices.filter({ $0 == .ellipsis }).count <= 1 else {
            throw EngineError.invalid(op, "index", "too many indices for a tensor of rank \(rank) (shape \(shapeText(shape))): the index covers \(consumed) dimensions")
        }
        var basic: [TensorIndex] = [], entries: [(dim: Int, tensor: Tensor)] = []
        var viewDim = 0
        for (entry, k) in zip(indices, covered) {
            switch entry {
            case .ellipsis:
                basic += [TensorIndex](repeating: .all, count: rank - consumed)
                viewDim += rank - consumed
            case .newAxis, .slice, .all:
                basic.append(entry)
                viewDim += 1
            case .at:
                basic.append(entry)
            case .tensor(let t):
                entries.append((viewDim, t))
                basic += [TensorIndex](repeating: .all, count: k)
                viewDim += k
            }
        }
        let whole = basic.allSatisfy { $0 == .all } && basic.count <= rank
        return (whole ? self : try indexed(basic), entries)
    }
}

/// The positions the tensor entries pick from a tensor of `shape`.
private func positionMap(_ entries: [(dim: Int, tensor: Tensor)], shape: [Int], op: String) throws -> PositionMap {
    var dims: [Int] = [], indexTensors: [Tensor] = []
    for (d, t) in entries {
        switch t.dtype {
        case .int64:
            dims.append(d)
            indexTensors.append(t)
        case .bool:
            let covered = Array(shape[d..<(d + t.rank)])
            guard t.shape == covered else {
                throw EngineError.invalid(op, "index", "the shape of the mask \(shapeText(t.shape)) at index \(d) does not match the shape of the indexed tensor \(shapeText(shape)) at index \(d)")
            }
            for (j, coordinates) in try nonzeroCoordinates(t).enumerated() {
                dims.append(d + j)
                indexTensors.append(try Tensor(coordinates.map(Double.init), shape: [coordinates.count], dtype: .int64))
            }
        default:
            throw EngineError.invalid(op, "index", "tensors used as indices must be int64 or bool tensors, got \(t.dtype) (shape \(shapeText(t.shape)))")
        }
    }
    var picked: [Int] = indexTensors.first?.shape ?? []
    for t in indexTensors.dropFirst() {
        picked = try ShapeMath.broadcast(picked, t.shape, op: op)
    }
    let dense = ShapeMath.contiguousStrides(shape)
    let pickedOffsets = try offsetsOfPicks(dims, indexTensors, picked, shape: shape, dense: dense, op: op)
    // Adjacent tensor entries keep their place; separated ones move to the front, as in torch.
    let adjacent = dims.isEmpty || dims == Array(dims[0]..<(dims[0] + dims.count))
    let rest = shape.indices.filter { !dims.contains($0) }
    let before = adjacent ? rest.filter { $0 < (dims.first ?? 0) } : []
    let after = rest.filter { !before.contains($0) }
    let resultShape = before.map { shape[$0] } + picked + after.map { shape[$0] }
    _ = try PositionMap.reserve(resultShape, op: op)
    let beforeOffsets = gridOffsets(before, shape: shape, dense: dense)
    let afterOffsets = gridOffsets(after, shape: shape, dense: dense)
    var positions: [Int] = []
    positions.reserveCapacity(beforeOffsets.count * pickedOffsets.count * afterOffsets.count)
    for b in beforeOffsets {
        for p in pickedOffsets {
            for a in afterOffsets { positions.append(b + p + a) }
        }
    }
    return PositionMap(sourceShape: shape, resultShape: resultShape, positions: positions)
}

/// For every element of the broadcast index shape, the offset the index tensors pick
/// (negative positions count from the end; out-of-range ones are torch's error).
private func offsetsOfPicks(_ dims: [Int], _ tensors: [Tensor], _ picked: [Int], shape: [Int], dense: [Int],
                            op: String) throws -> [Int] {
    let count = try PositionMap.reserve(picked, op: op)
    var offsets = [Int](repeating: 0, count: count)
    for (d, t) in zip(dims, tensors) {
        let values = try t.broadcastAlias(to: picked, op: op)
        let p = values.pointer(Int64.self), size = shape[d]
        var k = 0, bad: Int64?
        forEachOffset(values.shape, values.strides) { o in
            let v = p[o]
            let j = v < 0 ? v &+ Int64(size) : v
            if j < 0 || j >= Int64(size) { bad = bad ?? v } else { offsets[k] += Int(j) * dense[d] }
            k += 1
        }
        if let bad {
            throw EngineError.invalid(op, "index", "index \(bad) is out of bounds for dimension \(d) with size \(size)")
        }
    }
    return offsets
}

/// Offsets of every row-major combination of coordinates over `dims`.
func gridOffsets(_ dims: [Int], shape: [Int], dense: [Int]) -> [Int] {
    var offsets = [0]
    for d in dims {
        offsets = offsets.flatMap { base in (0..<shape[d]).map { base + $0 * dense[d] } }
    }
    return offsets
}

/// Row-major coordinates of the true (non-zero) elements of `t`, one array per dimension.
func nonzeroCoordinates(_ t: Tensor) throws -> [[Int]] {
    let flags = try t.detached().materialized(t.shape, .bool, op: "nonzero")
    let p = flags.pointer(Bool.self), dense = ShapeMath.contiguousStrides(t.shape)
    var coordinates = [[Int]](repeating: [], count: t.rank)
    for k in 0..<flags.count where p[k] {
        var rest = k
        for d in 0..<t.rank {
            coordinates[d].append(rest / dense[d])
            rest %= dense[d]
        }
    }
    return coordinates
}
