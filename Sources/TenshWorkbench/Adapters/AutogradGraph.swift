import TenshEngine
import TenshRender
import TenshText

/// The autograd graph behind a tensor, copied out of the engine into render's
/// `GraphModel`, plus the tensor each node stands for (what `Enter` shows as
/// feature maps, and whose `.grad` `G` shows). Walked with an explicit stack:
/// graphs from long sessions are deep.
public struct AutogradGraph {
    public let model: GraphModel
    /// The tensor of each node id: an op node's output, or the leaf itself.
    public let tensors: [Int: Tensor]
    /// True when the graph had more than `maxNodes` nodes and was cut.
    public let truncated: Bool

    /// - Parameters:
    ///   - name: a variable name for a tensor when the session knows one (`x`, `w`).
    ///   - maxNodes: nodes beyond this are left out (the layout of thousands of boxes is unreadable anyway).
    public init(root: Tensor, name: (Tensor) -> String? = { _ in nil }, maxNodes: Int = 400) {
        var ids: [ObjectIdentifier: Int] = [:]
        var tensors: [Int: Tensor] = [:]
        var nodes: [GraphNode] = []
        var edges: [GraphEdge] = []
        var truncated = false

        func key(_ t: Tensor) -> ObjectIdentifier {
            if let fn = t.gradFn { return ObjectIdentifier(fn) }
            return ObjectIdentifier(t)
        }
        /// The id of `t`, and whether it was seen for the first time.
        func identify(_ t: Tensor) -> (id: Int, isNew: Bool)? {
            if let id = ids[key(t)] { return (id, false) }
            guard ids.count < maxNodes else { truncated = true; return nil }
            let id = ids.count
            ids[key(t)] = id
            tensors[id] = t
            return (id, true)
        }

        _ = identify(root)
        var stack = [root]
        while let t = stack.popLast() {
            guard let myID = ids[key(t)] else { continue }
            if let fn = t.gradFn {
                for input in fn.inputs {
                    guard let (inputID, isNew) = identify(input) else { continue }
                    edges.append(GraphEdge(from: inputID, to: myID))
                    if isNew { stack.append(input) }
                }
            }
            nodes.append(Self.node(for: t, id: myID, isRoot: t === root, name: name(t)))
        }
        nodes.sort { $0.id < $1.id }
        self.model = GraphModel(nodes: nodes, edges: edges)
        self.tensors = tensors
        self.truncated = truncated
    }

    static func node(for t: Tensor, id: Int, isRoot: Bool, name: String?) -> GraphNode {
        var notes: [String] = []
        if let g = t.grad { notes.append("|grad|=" + NumberText.short(TensorValues.norm(g))) }
        if let fn = t.gradFn {
            return GraphNode(id: id, title: fn.op, kind: isRoot ? .output : .op,
                             attributes: fn.attributes.map { "\($0.name)=\($0.value)" },
                             shape: shapeText(fn.outputShape) + dtypeSuffix(fn.outputDType), notes: notes)
        }
        return GraphNode(id: id, title: name ?? leafTitle(t), kind: t.requiresGrad ? .parameter : .input,
                         shape: shapeText(t.shape) + dtypeSuffix(t.dtype), notes: notes)
    }

    /// Unnamed one-element constants show their value (`2`); other leaves say `tensor`.
    static func leafTitle(_ t: Tensor) -> String {
        if t.count == 1, t.rank == 0 { return NumberText.short(TensorValues.load(t, at: t.offset)) }
        return "tensor"
    }

    /// float32 is the default and goes unsaid; other dtypes are named.
    static func dtypeSuffix(_ dtype: DType) -> String {
        dtype == .float32 ? "" : " " + dtype.rawValue
    }
}
