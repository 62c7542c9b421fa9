/// One recorded op in the autograd graph. The graph is the engine's own data:
/// the workbench and `dot` draw it by reading `op`, `attributes`, `inputs`.
///
/// A node holds its inputs strongly and never its output (the output holds the
/// node), so graphs have no reference cycles and are freed with their last tensor.
public final class Node {
    /// What the backward closure is given.
    public struct Context {
        /// Gradient of the loss with respect to the node's output (same shape as the output).
        public let gradOutput: Tensor
        /// The node's output tensor (with its graph, for higher-order gradients).
        public let output: Tensor
        public private(set) var inputs: [Tensor]
        /// Whether input i needs a gradient; rules skip work for the others.
        public let needsGrad: [Bool]
    }

    public typealias Backward = (Context) throws -> [Tensor?]

    /// PyTorch-style name of the op, e.g. `Conv2d`, `Relu`, `Sum`.
    public let op: String
    /// Op attributes for display, in order, e.g. `[("stride", "[2, 2]"), ("padding", "[1, 1]")]`.
    public let attributes: [(name: String, value: String)]
    /// The tensor inputs the gradient flows to (one entry per backward result).
    public private(set) var inputs: [Tensor]
    /// Names of tensors the backward rule keeps (for inspection).
    public let savedNames: [String]
    /// Shape and dtype of the output this node produced (the node does not hold the output itself).
    public let outputShape: [Int]
    public let outputDType: DType
    private(set) var backward: Backward?

    init(op: String, attributes: [(String, String)], inputs: [Tensor], savedNames: [String],
         output: Tensor, backward: @escaping Backward) {
        self.op = op
        self.outputShape = output.shape
        self.outputDType = output.dtype
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
        self.inputs = inputs
        self.savedNames = savedNames
        self.backward = backward
    }

    /// Frees the graph behind this node iteratively. Releasing a long chain
    /// naively recurses once per node (tensor → node → tensor ...) and
    /// overflows the stack after ~10^4 ops; here each node whose last owner is
    /// this walk hands its inputs to a local stack before it dies.
    deinit {
        var pending = inputs
        inputs = []
        backward = nil
        while var tensor = pending.popLast() {
            guard isKnownUniquelyReferenced(&tensor), var node = tensor.gradFn else { continue }
            tensor.gradFn = nil
            guard isKnownUniquelyReferenced(&node) else { continue }
            pending.append(contentsOf: node.inputs)
            node.inputs = []
            node.backward = nil
        }
    }

    /// `Conv2dBackward`, the name shown as `grad_fn=<...>`.
    public var gradFnName: String { op + "Backward" }
}

/// Whether ops record the graph. `noGrad { }` turns it off; backward turns it
/// off unless `createGraph` is set.
public enum GradMode {
    // The interpreter and backward run on one thread; kernels never read this.
    nonisolated(unsafe) private static var enabled = true

    public static var isEnabled: Bool { enabled }

    /// Runs `body` with recording turned off (PyTorch's `torch.no_grad()`).
    public static func noGrad<R>(_ body: () throws -> R) rethrows -> R {
        try with(enabled: false, body)
    }

    static func with<R>(enabled value: Bool, _ body: () throws -> R) rethrows -> R {
        let saved = enabled
        enabled = value
        defer { enabled = saved }
        return try body()
    }
}

/// Runs `body` without recording the autograd graph.
public func noGrad<R>(_ body: () throws -> R) rethrows -> R { try GradMode.noGrad(body) }

extension Tensor {
    /// Attaches a graph node to `self` (an op's fresh output) when grad mode is
    /// on and any input requires grad. Returns `self` for chaining.
    @discardableResult
    func recorded(_ op: String, inputs: [Tensor], attributes: [(String, String)] = [],
                  saved: [String] = [], backward: @escaping Node.Backward) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        gradFn = Node(op: op, attributes: attributes, inputs: inputs, savedNames: saved, output: self, backward: backward)
        requiresGrad = true
        return self
    }

    /// Marks a leaf as requiring grad (`x.requires_grad_()`); errors on non-leaves and integers.
    @discardableResult
    public func setRequiresGrad(_ value: Bool = true) throws -> Tensor {
        guard isLeaf else {
            throw EngineError(.autograd, op: "requires_grad", "can only be changed on a leaf tensor (this one was made by \(gradFn?.op ?? "an op"))")
        }
        guard !value || dtype.isFloatingPoint else {
            throw EngineError(.autograd, op: "requires_grad", "only floating point tensors can require gradients (dtype is \(dtype))")
        }
        requiresGrad = value
        return self
    }
}
