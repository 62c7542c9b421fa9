import TenshText

/// Views and in-place changes, as PyTorch tracks them: a tensor made by a view
/// op (`x[1:3]`, `x.T`, `view`, `expand`, ...) remembers its base (the tensor
/// that is not itself a view) and where it sits in the base. An in-place change
/// through a view rewrites the base's history (`CopySlices`), and every view of
/// that base made earlier sees the change: the next time its `gradFn` is read it
/// is rebuilt as a view of the base's new history (`AsStrided`).

/// A view's base and its layout relative to the base's contiguous layout.
struct ViewOrigin {
    /// The tensor whose elements the view reads; never itself a view. Not kept
    /// alive by the view: the base's history may hold the view (`x[1:] = x[:-1] * 2`),
    /// and a strong reference back would be a cycle that is never freed. Once the
    /// base is gone nothing else can change its history, and the view stands on its own.
    let token: BaseToken
    /// Shape, strides and offset of the view in the base's row-major element order;
    /// nil when the base is not contiguous (then in-place changes that need autograd are refused).
    let layout: ViewLayout?

    var base: Tensor? { token.isAlive ? token.tensor : nil }
}

/// A reference to a base tensor that does not keep it alive and knows when it is
/// gone (its deinit clears `isAlive`). A Swift `weak` reference would do the same
/// but moves the base's reference count to a side table, which made every small
/// op measurably slower.
final class BaseToken {
    unowned(unsafe) let tensor: Tensor
    var isAlive = true

    init(_ tensor: Tensor) { self.tensor = tensor }
}

extension Tensor {
    /// The tensor that owns this one's layout: the base of a view, otherwise itself.
    var viewBase: Tensor { viewOrigin?.base ?? self }

    /// Whether this is a view whose base is still alive.
    var isLiveView: Bool { viewOrigin?.base != nil }

    /// Marks `self`, just made by a view op from `source`, as a view of `source`'s base.
    @discardableResult
    func markedView(of source: Tensor) -> Tensor {
        let base = source.viewBase
        guard base !== self, base.storage === storage else { return self }
        let layout = base.isContiguous
            ? ViewLayout(shape: shape, strides: strides, offset: offset &- base.offset) : nil
        viewOrigin = ViewOrigin(token: base.baseToken, layout: layout)
        historyVersion = storage.version
        return self
    }

    /// After the storage changed in place, a view of a base that requires grad
    /// reads its values through the base's current history, as torch regenerates
    /// a view's grad_fn. Cheap when nothing changed: one comparison.
    @inline(__always)
    func refreshViewHistory() {
        guard let origin = viewOrigin, historyVersion != storage.version else { return }
        historyVersion = storage.version
        guard let base = origin.base, base.storedRequiresGrad, let layout = origin.layout else { return }
        let baseShape = base.shape
        storedGradFn = Node(op: "AsStrided", attributes: [("shape", shapeText(shape))], inputs: [base],
                            savedNames: [], output: self) { c in
            [try scatterView(c.gradOutput, into: baseShape, layout)]
        }
        storedRequiresGrad = true
    }

    /// Whether two elements of this tensor share one memory location (a broadcast
    /// dimension): writing into such a tensor in place is refused, as in torch.
    var hasInternalOverlap: Bool {
        zip(shape, strides).contains { size, stride in size > 1 && stride == 0 }
    }
}
