import TenshText

/// In-place changes of a tensor's elements, with PyTorch's rules:
/// - every change bumps the storage's version (shared by all views of it), so a
///   gradient rule that saved the old values refuses to run (SavedTensors.swift);
/// - outside no_grad, a leaf that requires grad (or a view of one) cannot be changed;
/// - a tensor with history gets a new history: the op's node for a whole tensor
///   (`x.mul_(y)` → `Mul`), or `CopySlices` on the base for a view (`x[0] = v`),
///   whose gradient is zero on the overwritten region and flows to the new values there.

/// Writes `value` (broadcast to the leaf's shape, converted to its dtype)
/// into `leaf`'s elements without recording a graph node; `leaf` stays a leaf
/// and keeps `requiresGrad`, like `with torch.no_grad(): w -= lr * w.grad`.
public func updateInPlace(_ leaf: Tensor, with value: Tensor) throws {
    guard leaf.isLeaf else {
        throw EngineError(.autograd, op: "update", argument: "target",
                          "only a leaf tensor can be updated in place (this one was made by \(leaf.gradFn?.op ?? "an op"))")
    }
    let shape = try ShapeMath.broadcast(leaf.shape, value.shape, op: "update")
    guard shape == leaf.shape else {
        throw EngineError.invalid("update", "value", "a value of shape \(shapeText(value.shape)) cannot update a tensor of shape \(shapeText(leaf.shape))")
    }
    try GradMode.noGrad { try writeElements(value.detached(), into: leaf, op: "update") }
}

/// Changes `target`'s elements to `newValues(old)`, a tensor of target's shape
/// computed out of place from `old` (target's current values and history) and
/// `others` (the other tensors it reads). `direct`, when given, writes the new
/// values straight into the target when autograd is not involved (a scatter that
/// touches only the indexed elements instead of rebuilding the whole tensor).
func modifyInPlace(_ target: Tensor, op: String, others: [Tensor] = [],
                   direct: ((Tensor) throws -> Void)? = nil,
                   _ newValues: (Tensor) throws -> Tensor) throws {
    guard !target.hasInternalOverlap else {
        throw EngineError.invalid(op, "x", "unsupported operation: more than one element of the written-to tensor refers to a single memory location (shape \(shapeText(target.shape)), strides \(shapeText(target.strides))); clone() the tensor before changing it")
    }
    let base = target.viewBase
    if GradMode.isEnabled { try refuseLeaf(target, base: base, op: op) }
    let tracking = GradMode.isEnabled
        && (base.requiresGrad || target.requiresGrad || others.contains { $0.requiresGrad })
    guard tracking else {
        if let direct {
            try direct(target)
            target.storage.bumpVersion()
        } else {
            try writeElements(newValues(target.detached()), into: target, op: op)
        }
        return
    }
    guard !target.isLiveView || target.viewOrigin?.layout != nil else {
        throw EngineError(.autograd, op: op, "an in-place change of a view of a non-contiguous tensor cannot be recorded for autograd (shape \(shapeText(target.shape))); change a clone() of it instead")
    }
    var result = try newValues(snapshot(target, op: op))
    if result.dtype != target.dtype { result = try result.to(target.dtype) }
    guard result.shape == target.shape else {
        throw EngineError.invalid(op, "x", "internal: new values of shape \(shapeText(result.shape)) for a tensor of shape \(shapeText(target.shape))")
    }
    let baseBefore = historyAlias(of: base), targetBefore = historyAlias(of: target)
    let oldNodes = Set([base.gradFn, target.gradFn].compactMap { $0 }.map(ObjectIdentifier.init))
    try writeElements(result, into: target, op: op)
    try rebaseHistory(target, base: base, baseBefore: baseBefore, newValues: result)
    unlinkOldUses(from: base.storedGradFn, [(target, targetBefore), (base, baseBefore)], stopAt: oldNodes)
}

/// Nodes recorded before the change that hold the changed tensor (a value computed
/// from it: `y[m] = y[m] * 2`) are pointed at stand-ins with its old history, so the
/// tensor's new history does not lead back to the tensor itself: that would be a
/// reference cycle, never freed. Nodes older than the tensor's old history cannot hold it.
private func unlinkOldUses(from root: Node?, _ replacements: [(Tensor, Tensor)], stopAt old: Set<ObjectIdentifier>) {
    guard let root else { return }
    var visited = old, pending = [root]
    visited.insert(ObjectIdentifier(root))
    while let node = pending.popLast() {
        for (changed, standIn) in replacements { node.replaceInput(changed, with: standIn) }
        for case let next? in node.edges.map(\.node) where visited.insert(ObjectIdentifier(next)).inserted {
            pending.append(next)
        }
    }
}

/// PyTorch's refusal to change a leaf that requires grad (outside no_grad).
private func refuseLeaf(_ target: Tensor, base: Tensor, op: String) throws {
    let hint = " Change it inside no_grad { ... } (as an optimiser step does), or change a clone()."
    if target.isLeaf && target.requiresGrad {
        throw EngineError(.autograd, op: op, "a leaf Variable that requires grad is being used in an in-place operation." + hint)
    }
    if base !== target && base.isLeaf && base.requiresGrad {
        throw EngineError(.autograd, op: op, "a view of a leaf Variable that requires grad is being used in an in-place operation." + hint)
    }
}

/// A copy of `t`'s current values that carries `t`'s current history: what an
/// op reading "the old values" is given (torch keeps `original_self` likewise).
private func snapshot(_ t: Tensor, op: String) throws -> Tensor {
    let copy = try Tensor.empty(t.shape, t.dtype, op: op)
    copyStrided(t, into: copy)
    copy.storedGradFn = t.gradFn
    copy.storedRequiresGrad = t.requiresGrad
    return copy
}

/// A new tensor object over `t`'s storage holding `t`'s history as it is now:
/// the base's old place in the graph, kept while `t` itself gets a new history.
private func historyAlias(of t: Tensor) -> Tensor {
    let alias = t.aliased(shape: t.shape, strides: t.strides, offset: t.offset)
    alias.storedGradFn = t.gradFn
    alias.storedRequiresGrad = t.requiresGrad
    return alias
}

/// Gives `target` (or its base) the history of its new values.
private func rebaseHistory(_ target: Tensor, base: Tensor, baseBefore: Tensor, newValues: Tensor) throws {
    if !target.isLiveView, newValues.requiresGrad, let node = newValues.gradFn {
        // The whole tensor was replaced: its history is the op's (torch shows `MulBackward0` for `mul_`).
        target.gradFn = node
        target.storedRequiresGrad = true
        return
    }
    let region = target.isLiveView ? target.viewOrigin?.layout ?? .contiguous(target.shape) : .contiguous(target.shape)
    try copySlices(base, before: baseBefore, region: region, values: newValues)
}

/// Records `base`'s new history: `before` with `region` replaced by `values`.
/// Gradient: zero on the region for `before`; the region's gradient for `values`.
private func copySlices(_ base: Tensor, before: Tensor, region: ViewLayout, values: Tensor) throws {
    let shape = base.shape
    let keep = try full(shape, 1, dtype: base.dtype)
    let hole = keep.aliased(shape: region.shape, strides: region.strides, offset: region.offset)
    copyStrided(try Tensor(zeros: [], dtype: base.dtype).broadcastAlias(to: region.shape, op: "copy_slices"), into: hole)
    base.recorded("CopySlices", inputs: [before, values], attributes: [("region", shapeText(region.shape))]) { c in
        [c.needsGrad[0] ? try mul(c.gradOutput, keep) : nil,
         c.needsGrad[1] ? try gatherView(c.gradOutput, from: shape, region) : nil]
    }
}

/// Copies `values` (broadcast to `target`'s shape, converted to its dtype) into
/// `target`'s elements through its strides, and bumps the storage's version.
func writeElements(_ values: Tensor, into target: Tensor, op: String) throws {
    var source = try values.materialized(target.shape, target.dtype, op: op)
    // A source sharing the target's memory (`x[1:] = x[:-1]`) is copied first.
    if source.storage === target.storage { source = try source.cloned().detached() }
    copyStrided(source, into: target)
    target.storage.bumpVersion()
}
