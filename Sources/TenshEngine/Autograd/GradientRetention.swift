import TenshText

extension Tensor {
    /// PyTorch's `retain_grad()`: the next backward (or grad) also accumulates
    /// this op output's gradient into `.grad`. A no-op on a leaf, which keeps
    /// its gradient anyway; an error on a tensor that does not require grad.
    public func retainGrad() throws {
        guard requiresGrad else {
            throw EngineError(.autograd, op: "retain_grad", argument: "x",
                              "can't retain_grad on a tensor that has requires_grad=false (shape \(shapeText(shape)))")
        }
        if !isLeaf { retainsGrad = true }
    }
}

/// The gradients of op outputs from the last backward (or grad) that was given
/// this store, kept for looking at: the workbench draws `|grad|` on every graph
/// node and shows any node's gradient, and `stats` reads them. Only gradients
/// that fit in `byteLimit` (and the allocation limit) are kept; `shortfall`
/// says what was left out. Entries hold their node weakly, so a stale entry
/// never answers for a new node at a reused address.
public final class RetainedGradients {
    /// 512 MiB: every activation gradient of a mid-sized network at a useful batch.
    public static let defaultByteLimit = 512 << 20

    public let byteLimit: Int
    public private(set) var keptBytes = 0
    /// Gradients the last pass computed but did not keep, and their bytes.
    public private(set) var skippedCount = 0
    public private(set) var skippedBytes = 0

    private struct Entry {
        weak var node: Node?
        let gradient: Tensor
    }
    private var entries: [ObjectIdentifier: Entry] = [:]

    public init(byteLimit: Int = RetainedGradients.defaultByteLimit) {
        self.byteLimit = max(0, byteLimit)
    }

    /// The kept gradient of `t`'s output, nil for leaves and for nodes the last pass did not keep.
    public func gradient(of t: Tensor) -> Tensor? {
        guard let node = t.gradFn, let entry = entries[ObjectIdentifier(node)], entry.node === node else { return nil }
        return entry.gradient
    }

    public var count: Int { entries.count }
    /// Counts the passes (and clears): a display says each pass's shortfall once.
    public private(set) var generation = 0

    /// Forgets every gradient (a new pass starts, or `:reset`).
    public func clear() {
        generation += 1
        entries = [:]
        keptBytes = 0
        skippedCount = 0
        skippedBytes = 0
    }

    /// What the last pass could not keep, as a sentence; nil when it kept everything.
    public var shortfall: String? {
        guard skippedCount > 0 else { return nil }
        let limit = min(byteLimit, EngineConfig.maxTensorBytes)
        return "kept the gradients of \(entries.count) of \(entries.count + skippedCount) op nodes for display: "
            + "the other \(skippedCount) (\(Self.mebibytes(skippedBytes))) would pass the limit of \(Self.mebibytes(limit))"
    }

    /// Keeps `gradient` (detached) as the gradient of `node`'s output when it fits.
    func keep(_ gradient: Tensor, of node: Node) {
        let bytes = gradient.count * gradient.dtype.itemSize
        guard keptBytes + bytes <= min(byteLimit, EngineConfig.maxTensorBytes) else {
            skippedCount += 1
            skippedBytes += bytes
            return
        }
        keptBytes += bytes
        entries[ObjectIdentifier(node)] = Entry(node: node, gradient: gradient.detached())
    }

    static func mebibytes(_ bytes: Int) -> String {
        bytes < 1 << 20 ? "\(bytes) bytes" : NumberText.short(Double(bytes) / Double(1 << 20)) + " MiB"
    }
}

extension GradientEngine {
    /// The gradient of an op output has been summed from all its consumers:
    /// keep it for display, and in `.grad` when `retainGrad()` asked for it.
    static func retain(_ gradient: Tensor, of tensor: Tensor, node: Node, into store: RetainedGradients?,
                       createGraph: Bool) throws {
        store?.keep(gradient, of: node)
        guard tensor.retainsGrad else { return }
        let g = createGraph ? gradient : gradient.detached()
        tensor.grad = try tensor.grad.map { try add($0.detached(), g) } ?? g.cloned()
    }
}
