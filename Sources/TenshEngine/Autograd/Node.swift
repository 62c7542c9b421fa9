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
    /// For each input, whether it required grad when this node was recorded, and
    /// the node that had produced it then (nil for a leaf). Gradients flow along
    /// these: an in-place change later gives the input tensor a new `gradFn`, but
    /// this node used the values of the old one, as torch's graph edges do.
    private(set) var edges: [(requiredGrad: Bool, node: Node?)]
    /// The node that produced each input when this node was recorded (nil for leaves
    /// and inputs that did not require grad): what the graph view should follow.
    public var inputNodes: [Node?] { edges.map(\.node) }
    /// Names of tensors the backward rule keeps (for inspection).
    public let savedNames: [String]
    /// The tensors the rule reads, with the versions they had (checked before it runs).
    let saved: [SavedTensor]
    /// Shape and dtype of the output this node produced (the node does not hold the output itself).
    public let outputShape: [Int]
    public let outputDType: DType
    private(set) var backward: Backward?

    init(op: String, attributes: [(String, String)], inputs: [Tensor], savedNames: [String],
         output: Tensor, saving extra: [Tensor] = [], backward: @escaping Backward) {
        self.op = op
        self.outputShape = output.shape
        self.outputDType = output.dtype
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
        self.inputs = inputs
        let edges: [(requiredGrad: Bool, node: Node?)] = inputs.map { t in t.requiresGrad ? (true, t.gradFn) : (false, nil) }
        self.edges = edges
        self.savedNames = savedNames
        self.saved = SavedTensor.record(op: op, inputs: inputs, edges: edges, output: output, extra: extra)
        self.backward = backward
    }

    /// Frees the graph behind this node iteratively. Releasing a long chain
    /// naively recurses once per node (tensor → node → tensor ...) and
    /// overflows the stack after ~10^4 ops; here each node whose last owner is
    /// this walk hands its inputs to a local stack before it dies.
    deinit {
        var tensors = inputs
        var nodes = edges.compactMap(\.node)
        inputs = []
        edges = []
        backward = nil
        while true {
            if var tensor = tensors.popLast() {
                guard isKnownUniquelyReferenced(&tensor) else { continue }
                if let node = tensor.storedGradFn { nodes.append(node) }
                tensor.storedGradFn = nil
            } else if var node = nodes.popLast() {
                guard isKnownUniquelyReferenced(&node) else { continue }
                tensors.append(contentsOf: node.inputs)
                nodes.append(contentsOf: node.edges.compactMap(\.node))
                node.inputs = []
                node.edges = []
                node.backward = nil
            } else {
                return
            }
        }
    }

    /// Points input uses of `old` at `replacement` (same storage and layout, the history
    /// `old` had): how an in-place change keeps a tensor's new history from holding the tensor.
    func replaceInput(_ old: Tensor, with replacement: Tensor) {
        for i in inputs.indices where inputs[i] === old { inputs[i] = replacement }
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
    /// on and any input requires grad. Returns `self` for chaining. `saving` lists
    /// tensors other than the inputs and the output that the rule reads (indices,
    /// masks); the saved-tensor table in SavedTensors.swift covers inputs and output.
    /// An op's output is not a view unless the view op marks it so afterwards.
    /// `attributes` are formatted only when a node is recorded: most ops run without
    /// autograd, and the strings cost more than a small op's arithmetic.
    @discardableResult
    func recorded(_ op: String, inputs: [Tensor], attributes: @autoclosure () -> [(String, String)] = [],
                  saved: [String] = [], saving: [Tensor] = [], backward: @escaping Node.Backward) -> Tensor {
        viewOrigin = nil
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        gradFn = Node(op: op, attributes: attributes(), inputs: inputs, savedNames: saved, output: self,
                      saving: saving, backward: backward)
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
