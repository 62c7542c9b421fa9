import TenshEngine
import TenshText

/// `x.shape`, `x.grad`, `d.name`, `result.values`, `torch.zeros`, and method calls `x.name(args)`.
extension Interpreter {
    static let tensorAttributes = ["shape", "ndim", "dtype", "grad", "requires_grad", "T", "is_leaf", "grad_fn", "retains_grad", "data"]

    func attribute(_ receiver: Value, _ name: String, at span: SourceSpan, receiverSpan: SourceSpan) throws -> Value {
        switch receiver {
        case .tensor(let t): return try tensorAttribute(t, name, at: span)
        case .namespace(let ns): return try atSpan(span) { try PyTorchNames.member(name, of: ns, registry: registry) }
        case .module, .optimizer, .scheduler: return try nnAttribute(receiver, name, at: span)
        case .tuple(let box):
            if let value = box.field(name) { return value }
            let hint = Suggestions.hint(for: name, in: box.fieldNames)
            throw RuntimeError("\(box.typeName.map { "'\($0)'" } ?? "a tuple") has no attribute '\(name)'\(hint)", at: span)
        case .dict(let box):
            // `d.name` reads the entry "name", for dicts whose keys are names (state dicts, configs).
            if let value = try box.get(.string(name)) { return value }
            if ContainerMethods.byType["dict"]?[name] != nil {
                throw RuntimeError("'\(name)' is a method of dicts: call it, d.\(name)()", at: span)
            }
            throw RuntimeError("the dict has no key \(Escaping.pythonRepr(name))\(box.keyHint(for: name))", at: span)
        default:
            throw RuntimeError("\(receiver.typeNameWithArticle) has no attribute '\(name)'", at: span)
        }
    }

    private func tensorAttribute(_ t: Tensor, _ name: String, at span: SourceSpan) throws -> Value {
        switch name {
        case "shape": return .tuple(t.shape.map(Value.int))
        case "ndim": return .int(t.rank)
        case "dtype": return .string(t.dtype.rawValue)
        case "grad": return t.grad.map(Value.tensor) ?? .none
        case "requires_grad": return .bool(t.requiresGrad)
        case "is_leaf": return .bool(t.isLeaf)
        case "retains_grad": return .bool(t.retainsGrad)
        case "grad_fn": return t.gradFn.map { .string($0.gradFnName) } ?? .none
        case "data": return .tensor(t.detached())
        case "T":
            guard t.rank == 2 else {
                throw RuntimeError(".T needs a 2-d tensor, got shape \(shapeText(t.shape)); use permute for other ranks", at: span)
            }
            return .tensor(try mapEngineError(at: span) { try t.transposed(0, 1) })
        default:
            if TensorMethods.byName[name] != nil || registry[name] != nil {
                throw RuntimeError("'\(name)' is a method of tensors: call it, x.\(name)()", at: span)
            }
            let hint = Suggestions.hint(for: name, in: Interpreter.tensorAttributes)
            throw RuntimeError("a tensor has no attribute '\(name)'\(hint)", at: span)
        }
    }

    /// What `name` finds among tensor methods and builtins, remembered by the call's `node`.
    private func methodTarget(_ name: String, node: Expr?) -> MethodTarget {
        if let cached = node?.methodTarget { return cached }
        let target: MethodTarget = TensorMethods.byName[name].map(MethodTarget.tensorMethod)
            ?? registry[name].map(MethodTarget.registry) ?? .neither
        node?.methodTarget = target
        return target
    }

    /// `receiver.name(args)`: a method of the receiver's type, a member of a
    /// PyTorch namespace, or (for tensors) the builtin `name` with the receiver first.
    func methodCall(_ receiver: Value, _ name: String, nameSpan: SourceSpan, receiverSpan: SourceSpan,
                    _ args: [CallArgument], at span: SourceSpan, node: Expr? = nil) throws -> Value {
        let first = CallArgument(name: nil, nameSpan: nil, value: receiver, span: receiverSpan)
        // The receiver then the arguments, in one allocation (`[first] + args` made two).
        var withReceiver: [CallArgument] {
            var all: [CallArgument] = []
            all.reserveCapacity(args.count + 1)
            all.append(first)
            all.append(contentsOf: args)
            return all
        }
        switch receiver {
        case .namespace(let ns):
            let member = try atSpan(nameSpan) { try PyTorchNames.member(name, of: ns, registry: registry) }
            return try call(member, args, at: span)
        case .tensor:
            let target = methodTarget(name, node: node)
            if case .tensorMethod(let method) = target { return try call(.builtin(method), withReceiver, at: span) }
            let variable = node.map { environment.lookup(name, at: $0) } ?? environment.lookup(name)
            if let function = variable ?? target.registryBuiltin.map(Value.builtin) {
                return try call(function, withReceiver, at: span)
            }
            if ContainerMethods.byType["list"]?[name] != nil {
                throw RuntimeError("a tensor has no method '\(name)' (brackets of numbers such as [1, 2] make a tensor in tensh; start a list with [] or list(...))", at: nameSpan)
            }
            let hint = Suggestions.hint(for: name, in: registry.names + Array(TensorMethods.byName.keys))
            throw RuntimeError("a tensor has no method '\(name)'\(hint)", at: nameSpan)
        case .module, .optimizer, .scheduler:
            return try nnMethodCall(receiver, name, nameSpan: nameSpan, receiverSpan: receiverSpan, args, at: span)
        case .list, .tuple, .dict, .string:
            if let method = ContainerMethods.byType[receiver.typeName]?[name] { return try call(.builtin(method), withReceiver, at: span) }
            if case .dict(let box) = receiver, let value = try box.get(.string(name)) { return try call(value, args, at: span) }
            let methods = Array(ContainerMethods.byType[receiver.typeName]?.keys ?? [:].keys)
            throw RuntimeError("\(receiver.typeNameWithArticle) has no method '\(name)'\(Suggestions.hint(for: name, in: methods))", at: nameSpan)
        default:
            if let function = environment.lookup(name) ?? registry[name].map(Value.builtin) {
                return try call(function, withReceiver, at: span)
            }
            let hint = Suggestions.hint(for: name, in: registry.names + environment.visibleNames)
            throw RuntimeError("no function named '\(name)' for the method call\(hint)", at: nameSpan)
        }
    }

    /// What `import torch.nn.functional as F` binds.
    func importedValue(_ path: [String], at span: SourceSpan) throws -> Value {
        guard let root = PyTorchNames.byPath[path[0]] else {
            throw RuntimeError("there is no module '\(path.joined(separator: "."))' in tensh; torch, torch.nn, torch.nn.functional and torch.optim name its builtins", at: span)
        }
        var value = Value.namespace(root)
        for name in path.dropFirst() {
            guard case .namespace(let ns) = value else {
                throw RuntimeError("'\(path.joined(separator: "."))' is not a module", at: span)
            }
            value = try atSpan(span) { try PyTorchNames.member(name, of: ns, registry: registry) }
        }
        return value
    }

    /// The text of an f-string: each field evaluated, converted (`!r`) and formatted by its spec.
    func formatFString(_ parts: [FStringPart]) throws -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .field(let e, let conversion, let specParts, let debugText):
                var value = try evaluate(e)
                if let debugText { out += debugText }
                switch conversion {
                case "r": value = .string(value.repr)
                case "s": value = .string(value.text)
                case "a": value = .string(Escaping.printable(value.repr))
                default: if debugText != nil, specParts.isEmpty { value = .string(value.repr) }
                }
                let spec = specParts.isEmpty ? "" : try formatFString(specParts)
                out += try atSpan(e.span) { try FormatSpec.format(value, spec) }
            }
            try ValueLimits.checkString(out.utf8.count)
        }
        return out
    }
}

/// What the name of a method called on a tensor finds, besides variables: a
/// tensor method (which comes before a variable of the same name), or a
/// builtin (which comes after one).
enum MethodTarget {
    case tensorMethod(Builtin)
    case registry(Builtin)
    case neither

    var registryBuiltin: Builtin? {
        if case .registry(let b) = self { return b }
        return nil
    }
}
