/// PyTorch's prefixes: `torch.zeros(2, 3)`, `F.conv2d(...)`,
/// `torch.nn.functional.relu(x)`, `nn.Conv2d(...)`, `optim.SGD(...)` name the
/// builtin of the same name, so a line pasted from PyTorch code mostly runs.
/// `torch.float64` and the other dtypes are tensh's dtype names (`"f64"`).
public final class Namespace {
    /// `torch`, `torch.nn`, `torch.nn.functional`, `torch.optim`.
    public let path: String
    let children: [String: String]

    init(_ path: String, children: [String: String] = [:]) {
        self.path = path
        self.children = children
    }
}

enum PyTorchNames {
    static let torch = Namespace("torch", children: ["nn": "torch.nn", "optim": "torch.optim"])
    static let nn = Namespace("torch.nn", children: ["functional": "torch.nn.functional", "init": "torch.nn.init"])
    static let functional = Namespace("torch.nn.functional")
    static let optim = Namespace("torch.optim")
    static let initializers = Namespace("torch.nn.init")

    static let byPath: [String: Namespace] = Dictionary(uniqueKeysWithValues: [torch, nn, functional, optim, initializers].map { ($0.path, $0) })

    /// The names a script can start with; a variable of the same name hides them.
    static let roots: [String: Namespace] = ["torch": torch, "F": functional, "nn": nn, "optim": optim]

    /// `torch.float32` → `"f32"`: PyTorch's dtype names as tensh's.
    static let dtypes: [String: String] = [
        "float32": "f32", "float": "f32", "float64": "f64", "double": "f64",
        "int64": "i64", "long": "i64", "bool": "bool",
    ]

    /// Numbers PyTorch keeps on its module.
    static let constants: [String: Value] = ["pi": .float(Double.pi), "e": .float(2.718281828459045), "inf": .float(.infinity), "nan": .float(.nan)]

    /// What to write instead of a PyTorch name tensh does not have (or has with another meaning).
    static let instead: [String: String] = [
        "mm": "matmul(a, b) or a @ b", "bmm": "matmul(a, b) or a @ b", "einsum": "matmul, permute and sum",
        "dot": "sum(a * b) (tensh's dot(y, path) writes the autograd graph as a Graphviz file)",
        "float16": "f32 or f64 (tensh has no float16 tensors)", "half": "f32 or f64 (tensh has no float16 tensors)",
        "bfloat16": "f32 or f64 (tensh has no bfloat16 tensors)", "int32": "i64 (tensh's only integer dtype)",
        "int": "i64 (tensh's only integer dtype)", "int16": "i64 (tensh's only integer dtype)",
        "int8": "i64 (tensh's only integer dtype)", "uint8": "i64 or bool", "clip": "clamp",
        "empty": "zeros", "empty_like": "zeros_like", "full_like": "full(x.shape, value)",
        "as_tensor": "tensor(data)", "from_numpy": "tensor(data) or load(\"file.npy\")", "Tensor": "tensor(data)",
        "no_grad": "a no_grad { ... } block", "set_grad_enabled": "a no_grad { ... } block",
        "enable_grad": "code outside a no_grad { ... } block", "device": "nothing: tensh runs on the CPU",
        "chunk": "slices such as x[:n] and x[n:]", "split": "slices such as x[:n] and x[n:]",
        "argwhere": "nonzero(x)", "masked_select": "x[mask]", "numel": "x.numel()",
        "square": "x ** 2", "rsqrt": "1 / sqrt(x)", "reciprocal": "1 / x", "prod": "exp(sum(log(x))) for positive x",
        "log2": "log(x) / log(2)", "log10": "log(x) / log(10)", "log1p": "log(1 + x)", "expm1": "exp(x) - 1",
        "softplus": "log(1 + exp(x))", "silu": "x * sigmoid(x)", "relu6": "clamp(x, 0, 6)",
        "normalize": "x / norm(x, dim=1, keepdim=true)", "is_tensor": "x.dtype (only tensors have one)",
        "ModuleList": "Sequential(...) (indexable and iterable) or a list of modules",
        "CrossEntropyLoss": "cross_entropy(logits, target)", "NLLLoss": "nll_loss(log_probs, target)", "MSELoss": "mse_loss(x, y)",
        "cuda": "nothing: tensh runs on the CPU", "numpy": "x.tolist() or save(x, \"x.npy\")",
    ]

    /// tensh builtins whose PyTorch namesake does something else.
    static let differentMeaning: Set<String> = ["dot"]

    /// `ns.name`: a builtin, a child namespace, a dtype name or a constant.
    static func member(_ name: String, of ns: Namespace, registry: BuiltinRegistry) throws -> Value {
        if let child = ns.children[name], let namespace = byPath[child] { return .namespace(namespace) }
        if ns === torch, let dtype = dtypes[name] { return .string(dtype) }
        if ns === torch, let constant = constants[name] { return constant }
        if !differentMeaning.contains(name), let b = registry[name] { return .builtin(b) }
        if let alternative = instead[name] {
            throw RuntimeError("\(ns.path).\(name) is not available in tensh; use \(alternative)")
        }
        let hint = Suggestions.hint(for: name, in: registry.names + Array(ns.children.keys))
        throw RuntimeError("\(ns.path).\(name) is not available in tensh\(hint)")
    }
}
