import TenshEngine

/// A tensh value. Numbers stay Python-like (int vs float) until they meet a
/// tensor, where they become 0-d "wrapped" tensors that do not raise the
/// tensor's dtype (`x_f32 * 2.5` stays f32, as in PyTorch). Lists and dicts
/// are shared mutable boxes, as Python's are: `b = a; b.append(1)` changes `a`.
public enum Value {
    case tensor(Tensor)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case none
    case list(ListBox)
    case tuple(TupleBox)
    case dict(DictBox)
    case function(UserFunction)
    case builtin(Builtin)
    /// `progress(xs)`: xs, reporting each step of the loop that walks it.
    case progress(ProgressIterable)
    /// `torch`, `torch.nn.functional`, `F`, `nn`, `optim`: PyTorch's prefixes.
    case namespace(Namespace)
    /// A layer or a container of layers (`Conv2d(...)`, `Sequential(...)`).
    case module(Module)
    /// An optimizer (`SGD(...)`, `Adam(...)`).
    case optimizer(Optimizer)
    /// A learning-rate scheduler (`StepLR(opt, 5)`).
    case scheduler(LRScheduler)

    /// A new list holding `items`.
    static func list(_ items: [Value]) -> Value { .list(ListBox(items)) }

    /// A tuple of `items`.
    static func tuple(_ items: [Value]) -> Value { .tuple(TupleBox(items)) }

    /// The name of the kind of value, for messages: "expected a tensor, got a string".
    public var typeName: String {
        switch self {
        case .tensor: return "tensor"
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        case .string: return "string"
        case .none: return "none"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .function, .builtin: return "function"
        case .progress: return "progress"
        case .namespace: return "module"
        case .module: return "module"
        case .optimizer: return "optimizer"
        case .scheduler: return "scheduler"
        }
    }

    /// "an int", "a tensor": the type name with its article, for messages.
    public var typeNameWithArticle: String {
        (typeName.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + typeName
    }

    /// The number as a Double for int/float/bool values.
    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The items of a list or a tuple (both are accepted wherever a sequence is).
    var sequenceItems: [Value]? {
        switch self {
        case .list(let box): return box.items
        case .tuple(let box): return box.items
        default: return nil
        }
    }

    /// The box of a list, tuple or dict (what can hold other values).
    var container: ValueContainer? {
        switch self {
        case .list(let box): return box
        case .tuple(let box): return box
        case .dict(let box): return box
        default: return nil
        }
    }

    /// This value as a tensor operand: numbers become wrapped 0-d tensors.
    func asOperand() -> Tensor? {
        switch self {
        case .tensor(let t): return t
        case .int(let i): return Tensor.wrapped(Double(i), dtype: .int64)
        case .float(let d): return Tensor.wrapped(d, dtype: .float64)
        case .bool(let b): return Tensor.wrapped(b ? 1 : 0, dtype: .bool)
        default: return nil
        }
    }
}

/// `d` as an Int, saturating at the ends of Int's range (no trap on 2^63).
func saturatingInt(_ d: Double) -> Int {
    if d.isNaN { return 0 }
    if d >= 9.2233720368547758e18 { return Int.max }
    if d <= -9.2233720368547758e18 { return Int.min }
    return Int(d)
}

/// A function defined with `def` (or `lambda`). Functions are values: they can
/// be stored, passed to `gradcheck`, and called.
public final class UserFunction {
    public let definition: FunctionDefinition
    /// Default values, evaluated once when the `def` runs (as in Python).
    let defaults: [Value?]
    /// Where the body's spans point: errors inside it render this source.
    let origin: SourceOrigin?

    init(definition: FunctionDefinition, defaults: [Value?], origin: SourceOrigin?) {
        self.definition = definition
        self.defaults = defaults
        self.origin = origin
    }

    public var name: String { definition.name }
    public var parameterNames: [String] { definition.parameters.map(\.name) }
}
