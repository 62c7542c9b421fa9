import TenshText

/// Saved tensors and their versions. A gradient rule that reads a tensor's
/// values (`Mul` reads its inputs, `Exp` its output) must read the values the
/// forward pass saw. Each storage counts its in-place changes (`Storage.version`);
/// a node records the version of every tensor its rule reads, and backward
/// refuses to run the rule when one has changed since, with PyTorch's message.

/// One tensor a gradient rule reads, and the version its storage had when recorded.
struct SavedTensor {
    enum Role {
        case input(Int)
        case output
        /// A tensor outside the node's inputs (indices, a mask, a condition).
        case other(Tensor)
    }

    let role: Role
    let storage: Storage
    let version: Int
    let shape: [Int]
    let dtype: DType

    init(_ role: Role, _ t: Tensor) {
        self.role = role
        storage = t.storage
        version = t.storage.version
        shape = t.shape
        dtype = t.dtype
    }

    /// The tensors `op`'s rule reads, from the table below plus `extra`, built in one
    /// array without index lists: an op that saves nothing allocates nothing here.
    static func record(op: String, inputs: [Tensor], edges: [(requiredGrad: Bool, node: Node?)], output: Tensor,
                       extra: [Tensor]) -> [SavedTensor] {
        let rule = savedTensorRules[op] ?? .inputs
        var saved: [SavedTensor] = []
        for i in inputs.indices where rule.savesInput(i, of: edges.count, needs: { edges[$0].requiredGrad }) {
            saved.append(SavedTensor(.input(i), inputs[i]))
        }
        if rule.savesOutput { saved.append(SavedTensor(.output, output)) }
        for t in extra { saved.append(SavedTensor(.other(t), t)) }
        return saved
    }

    /// Throws PyTorch's error when the tensor was changed in place after `node` saved it.
    func check(in node: Node, op: String) throws {
        let now = storage.version
        guard now != version else { return }
        var producer: String?
        switch role {
        case .input(let i): producer = node.inputs[i].storedGradFn?.op
        case .output: producer = node.op
        case .other(let t): producer = t.storedGradFn?.op
        }
        let which = producer.map { ", which is output 0 of \($0)," } ?? ""
        throw EngineError(.autograd, op: op,
            "one of the variables needed for gradient computation has been modified by an inplace operation: "
            + "[\(dtype) tensor \(shapeText(shape))]\(which) is at version \(now); expected version \(version) instead. "
            + "Hint: the tensor was changed in place (x -= v, x[i] = v or a method ending in _) after \(node.op) used it; "
            + "change a clone() of it instead, or make the change after backward.")
    }
}

/// Which tensors a rule reads besides the incoming gradient.
enum SavedTensorRule {
    case nothing, inputs, output, inputsAndOutput
    /// Input i when some other input needs a gradient (`a * b` reads b for a's gradient).
    case crossed
    /// Division: the divisor always, the dividend only for the divisor's gradient.
    case quotient
    /// The first n inputs (convolution reads input and weight, not the bias).
    case leading(Int)

    /// Whether input i (of `count`) is saved, given which inputs need a gradient.
    func savesInput(_ i: Int, of count: Int, needs: (Int) -> Bool) -> Bool {
        switch self {
        case .nothing, .output: return false
        case .inputs, .inputsAndOutput: return true
        case .leading(let n): return i < n
        case .crossed: return (0..<count).contains { $0 != i && needs($0) }
        case .quotient: return count == 2 ? i == 1 || needs(1) : true
        }
    }

    var savesOutput: Bool {
        switch self {
        case .output, .inputsAndOutput: return true
        default: return false
        }
    }
}

/// Every op's saved tensors, following what PyTorch saves for the same op
/// (so the same in-place change is an error in both, and nowhere else).
/// An op missing here saves all its inputs: an unlisted op errs towards an error.
let savedTensorRules: [String: SavedTensorRule] = [
    // Arithmetic and elementwise
    "Add": .nothing, "Sub": .nothing, "Neg": .nothing, "Mul": .crossed, "Div": .quotient,
    "Pow": .inputsAndOutput, "Maximum": .inputs, "Minimum": .inputs, "Where": .nothing,
    "Exp": .output, "Sqrt": .output, "Tanh": .output, "Sigmoid": .output, "Relu": .output,
    "Log": .inputs, "Sin": .inputs, "Cos": .inputs, "Abs": .inputs, "LeakyRelu": .inputs,
    "Gelu": .inputs, "Erf": .inputs, "Clamp": .inputs, "Cumsum": .nothing,
    // Views, copies and joins
    "View": .nothing, "Expand": .nothing, "Permute": .nothing, "Squeeze": .nothing, "Unsqueeze": .nothing,
    "Narrow": .nothing, "Index": .nothing, "Transpose": .nothing, "AsStrided": .nothing,
    "StridedView": .nothing, "ScatterView": .nothing, "Clone": .nothing, "ToCopy": .nothing,
    "Cat": .nothing, "Flip": .nothing, "Pad": .nothing, "PadBackward": .nothing,
    "Unfold": .nothing, "Fold": .nothing, "CopySlices": .nothing,
    // Indexing, gathering, sorting
    "IndexSelect": .nothing, "IndexAdd": .nothing, "AdvancedIndex": .nothing, "IndexPut": .nothing,
    "IndexPutAccumulate": .nothing, "Gather": .nothing, "ScatterAdd": .nothing, "MaskedFill": .nothing,
    "Sort": .nothing, "Topk": .nothing,
    // Reductions
    "Sum": .nothing, "Mean": .nothing, "MaxDim": .nothing, "MinDim": .nothing,
    "Max": .inputsAndOutput, "Min": .inputsAndOutput, "Amax": .inputsAndOutput, "Amin": .inputsAndOutput,
    "Var": .inputs, "Std": .inputsAndOutput, "Norm": .inputsAndOutput,
    "Softmax": .output, "LogSoftmax": .output, "Logsumexp": .inputsAndOutput,
    // Linear algebra, convolution, pooling, resampling
    "Matmul": .crossed, "Conv2d": .leading(2), "ConvTranspose2d": .leading(2),
    "MaxPool2d": .inputs, "MaxPool2dBackward": .nothing, "MaxPool2dGather": .nothing,
    "AvgPool2d": .inputs, "AdaptiveAvgPool2d": .inputs,
    "UpsampleNearest2d": .nothing, "UpsampleBilinear2d": .nothing, "UpsampleBicubic2d": .nothing,
    // Layers
    "Dropout": .nothing, "Dropout2d": .nothing,
]
