import TenshEngine
import TenshRender
import TenshText

/// The autograd graph behind a tensor, copied out of the engine (`GraphWalk`)
/// into render's `GraphModel`, plus the tensor each node stands for (what
/// `Enter` shows as feature maps) and its gradient (what `G` shows): a leaf's
/// `.grad`, or the gradient the last backward kept for an op's output.
public struct AutogradGraph {
    public let model: GraphModel
    /// The tensor of each node id: an op node's output, or the leaf itself.
    public let tensors: [Int: Tensor]
    /// The gradient of each node id that has one.
    public let gradients: [Int: Tensor]
    /// The norm of each gradient (the `|grad|=` note and the colouring by magnitude).
    public let gradientNorms: [Int: Double]
    /// True when the graph had more than `maxNodes` nodes and was cut.
    public let truncated: Bool

    /// - Parameters:
    ///   - name: a variable name for a tensor when the session knows one (`x`, `w`).
    ///   - gradient: the gradient of a node's output, when there is one.
    ///   - maxNodes: nodes beyond this are left out (the layout of thousands of boxes is unreadable anyway).
    public init(root: Tensor, name: (Tensor) -> String? = { _ in nil }, gradient: (Tensor) -> Tensor? = { $0.grad },
                maxNodes: Int = 400) {
        let walk = GraphWalk(root: root, maxNodes: maxNodes)
        var tensors: [Int: Tensor] = [:], gradients: [Int: Tensor] = [:], norms: [Int: Double] = [:]
        var nodes: [GraphNode] = []
        for (id, entry) in walk.entries.enumerated() {
            let t = entry.tensor
            tensors[id] = t
            if let g = gradient(t) {
                gradients[id] = g
                norms[id] = TensorValues.norm(g)
            }
            nodes.append(Self.node(for: t, made: entry.node, id: id, isRoot: id == 0, name: name(t), gradientNorm: norms[id]))
        }
        self.model = GraphModel(nodes: nodes, edges: walk.edges.map { GraphEdge(from: $0.from, to: $0.to) })
        self.tensors = tensors
        self.gradients = gradients
        self.gradientNorms = norms
        self.truncated = walk.truncated
    }

    static func node(for t: Tensor, made fn: Node?, id: Int, isRoot: Bool, name: String?, gradientNorm: Double?) -> GraphNode {
        let notes = gradientNorm.map { ["|grad|=" + NumberText.short($0)] } ?? []
        if let fn {
            let attributes = fn.attributes.filter { !isDefault($0, of: fn) }.map { "\($0.name)=\($0.value)" }
            return GraphNode(id: id, title: fn.op, kind: isRoot ? .output : .op, attributes: attributes,
                             shape: shapeText(fn.outputShape) + dtypeSuffix(fn.outputDType), notes: notes)
        }
        return GraphNode(id: id, title: name ?? NodeStatistics.fallbackName(t, node: nil), kind: t.requiresGrad ? .parameter : .input,
                         shape: shapeText(t.shape) + dtypeSuffix(t.dtype), notes: notes)
    }

    /// Attribute values that go unsaid because they are the op's defaults.
    static let defaultAttributes: [String: String] = [
        "stride": "[1, 1]", "padding": "[0, 0]", "dilation": "[1, 1]", "groups": "1", "ceil_mode": "false",
        "count_include_pad": "true", "keepdim": "false", "reduction": "mean", "ignore_index": "-100",
    ]

    /// A default value; a pool's stride is by default its kernel size.
    static func isDefault(_ attribute: (name: String, value: String), of node: Node) -> Bool {
        if attribute.name == "stride", let kernel = node.attributes.first(where: { $0.name == "kernel_size" }) {
            return attribute.value == kernel.value
        }
        return defaultAttributes[attribute.name] == attribute.value
    }

    /// The model with each node that has a gradient bordered in the colour of
    /// its norm on a log scale (dark: vanishing, bright: exploding), and that scale.
    public func coloredByGradient() -> (model: GraphModel, scale: LogScale) {
        let scale = LogScale(enclosing: Array(gradientNorms.values))
        var colored = model
        for i in colored.nodes.indices {
            colored.nodes[i].highlight = gradientNorms[colored.nodes[i].id].map(scale.color(for:))
        }
        return (colored, scale)
    }

    /// float32 is the default and goes unsaid; other dtypes are named.
    static func dtypeSuffix(_ dtype: DType) -> String {
        dtype == .float32 ? "" : " " + dtype.rawValue
    }
}
