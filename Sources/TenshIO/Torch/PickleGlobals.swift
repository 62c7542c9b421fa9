import TenshText

/// The only globals a checkpoint's pickle may name: those PyTorch's own
/// `weights_only=True` loader allows for plain tensors and containers. Any
/// other global (`os.system`, `builtins.eval`, `subprocess.Popen`, a model
/// class) stops the load with an error that names it; none is ever imported,
/// looked up or called: each allowed one is a case handled by Swift code here.
enum PickleGlobal {
    case orderedDict
    case rebuildTensorV2, rebuildTensor, rebuildParameter, rebuildParameterWithState, rebuildFromTypeV2
    case storageType(String, StoredElement)
    case parameterClass, tensorClass
    case size, device
    /// `torch.float32` and the like: loaded as their name.
    case dtype(String)

    static let storageTypes: [String: StoredElement] = [
        "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8,
        "ByteStorage": .uint8, "BoolStorage": .bool,
    ]

    static let dtypeNames: Set<String> = [
        "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
        "float", "double", "half", "long", "int", "short",
    ]

    /// The global `module.name`, or nil when it is not allowed.
    static func lookup(module: String, name: String) -> PickleGlobal? {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): return .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"): return .rebuildFromTypeV2
        case ("torch.nn.parameter", "Parameter"): return .parameterClass
        case ("torch", "Tensor"), ("torch._tensor", "Tensor"): return .tensorClass
        case ("torch", "Size"): return .size
        case ("torch", "device"): return .device
        case ("torch", _):
            if let element = storageTypes[name] { return .storageType(name, element) }
            return dtypeNames.contains(name) ? .dtype(name) : nil
        default: return nil
        }
    }

    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildTensor: return "torch._utils._rebuild_tensor"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case .storageType(let name, _): return "torch.\(name)"
        case .parameterClass: return "torch.nn.parameter.Parameter"
        case .tensorClass: return "torch.Tensor"
        case .size: return "torch.Size"
        case .device: return "torch.device"
        case .dtype(let name): return "torch.\(name)"
        }
    }

    /// The result of calling this global with `args` (the REDUCE opcode).
    func call(_ args: [PickleValue], fail: (String) -> Error) throws -> PickleValue {
        switch self {
        case .orderedDict: return try PickleGlobal.makeDict(args, fail: fail)
        case .rebuildTensorV2, .rebuildTensor: return try PickleGlobal.rebuildTensor(args, fail: fail)
        case .rebuildParameter, .rebuildParameterWithState:
            guard args.count >= 2, case .tensor(let tensor) = args[0], case .bool(let requiresGrad) = args[1] else {
                throw fail("\(qualifiedName) expects (tensor, requires_grad, ...)")
            }
            tensor.requiresGrad = requiresGrad
            return .tensor(tensor)
        case .rebuildFromTypeV2:
            guard args.count == 4, case .global(let function) = args[0], case .tuple(let inner) = args[2] else {
                throw fail("\(qualifiedName) expects (function, type, args, state)")
            }
            if case .rebuildFromTypeV2 = function { throw fail("\(qualifiedName) cannot rebuild through itself") }
            guard case .global(let type) = args[1], type.isTensorType else {
                throw fail("\(qualifiedName) may only build torch.Tensor or torch.nn.Parameter, not \(args[1].kindName)")
            }
            return try function.call(inner, fail: fail)
        case .size:
            guard args.count == 1, case .tuple(let dims) = args[0] else { throw fail("torch.Size expects one tuple") }
            return .tuple(dims)
        case .device:
            guard case .string(let kind)? = args.first else { throw fail("torch.device expects a string") }
            if args.count == 2, case .int(let index) = args[1] { return .string("\(kind):\(index)") }
            return .string(kind)
        case .storageType, .parameterClass, .tensorClass, .dtype:
            throw fail("\(qualifiedName) cannot be called here")
        }
    }

    private var isTensorType: Bool {
        switch self {
        case .tensorClass, .parameterClass: return true
        default: return false
        }
    }

    /// `OrderedDict()` or `OrderedDict([(key, value), ...])`.
    private static func makeDict(_ args: [PickleValue], fail: (String) -> Error) throws -> PickleValue {
        let dict = PickleDict()
        guard let first = args.first else { return .dict(dict) }
        let pairs: [PickleValue]
        switch first {
        case .list(let list): pairs = list.items
        case .tuple(let items): pairs = items
        default: throw fail("OrderedDict expects a list of pairs")
        }
        for pair in pairs {
            guard case .tuple(let kv) = pair, kv.count == 2 else { throw fail("OrderedDict expects a list of pairs") }
            dict.set(kv[0], kv[1])
        }
        return .dict(dict)
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`.
    private static func rebuildTensor(_ args: [PickleValue], fail: (String) -> Error) throws -> PickleValue {
        guard args.count >= 4, case .storage(let storage) = args[0], case .int(let offset) = args[1],
              let shape = ints(args[2]), let strides = ints(args[3]) else {
            throw fail("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)")
        }
        var requiresGrad = false
        if args.count >= 5, case .bool(let flag) = args[4] { requiresGrad = flag }
        return .tensor(TensorReference(storage: storage, offset: offset, shape: shape, strides: strides, requiresGrad: requiresGrad))
    }

    private static func ints(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        let out = items.compactMap { item -> Int? in if case .int(let i) = item { return i } else { return nil } }
        return out.count == items.count ? out : nil
    }
}

/// The message for a global that is not allowed.
func refusedGlobalMessage(module: String, name: String) -> String {
    "the pickle names the global \(Escaping.pythonRepr(module + "." + name)), which tensh does not allow "
        + "(only the containers and tensor-rebuilding functions of PyTorch's weights_only loader); nothing was run"
}
