import TenshEngine

/// A tensor read from a file, with the element type the file stored it as
/// (`f16` data loads as an f32 tensor; `stored` still says f16).
public struct LoadedTensor {
    public let tensor: Tensor
    public let stored: StoredElement
    /// Saved as an `nn.Parameter` or with `requires_grad=True` (PyTorch checkpoints).
    public var requiresGrad = false

    public init(_ tensor: Tensor, stored: StoredElement, requiresGrad: Bool = false) {
        self.tensor = tensor
        self.stored = stored
        self.requiresGrad = requiresGrad
        let native = StoredElement.native(tensor.dtype)
        tensor.storedDType = stored.kind == native.kind && stored.size == native.size ? nil : stored.description
    }

    /// `f32`, or `f16→f32` when the file stored another type.
    public var dtypeText: String { tensor.dtypeText }
}

/// What a file holds, independent of the language: the readers of .npz,
/// .safetensors and PyTorch checkpoints return this tree, and the language
/// turns it into its own values. Dict keys are values too (an optimizer's
/// state_dict has int keys); entries keep the file's order.
public indirect enum LoadedValue {
    case tensor(LoadedTensor)
    case dict([(key: LoadedValue, value: LoadedValue)])
    case list([LoadedValue])
    case tuple([LoadedValue])
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case none

    /// "a dict", "a tensor": for messages.
    public var kindName: String {
        switch self {
        case .tensor: return "a tensor"
        case .dict: return "a dict"
        case .list: return "a list"
        case .tuple: return "a tuple"
        case .int: return "an int"
        case .float: return "a float"
        case .string: return "a string"
        case .bool: return "a bool"
        case .none: return "None"
        }
    }

    /// Every tensor in the tree with its dotted name (`model.conv1.weight`,
    /// `layers.0`), in order: the rows of `inspect`. Walks with an explicit stack.
    public var namedTensors: [(name: String, tensor: LoadedTensor)] {
        var out: [(String, LoadedTensor)] = []
        var stack: [(String, LoadedValue)] = [("", self)]
        while let (prefix, value) = stack.popLast() {
            let join = { (key: String) in prefix.isEmpty ? key : prefix + "." + key }
            switch value {
            case .tensor(let t): out.append((prefix, t))
            case .dict(let entries): stack += entries.reversed().map { (join($0.key.keyText), $0.value) }
            case .list(let items), .tuple(let items): stack += items.indices.reversed().map { (join(String($0)), items[$0]) }
            default: break
            }
        }
        return out
    }

    /// A dict key as text: strings as they are, numbers and others as Python prints them.
    var keyText: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        default: return kindName
        }
    }
}
