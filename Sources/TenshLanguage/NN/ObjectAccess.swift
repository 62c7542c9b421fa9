import TenshText

/// Attributes and methods of modules, optimizers and schedulers:
/// `net.conv1`, `opt.param_groups`, `sched.last_epoch`, `opt.step()`, `net.train()`.
extension Interpreter {
    func nnAttribute(_ receiver: Value, _ name: String, at span: SourceSpan) throws -> Value {
        switch receiver {
        case .module(let m): return try moduleAttribute(m, name, at: span)
        case .optimizer(let o):
            if name == "param_groups" { return .list(o.paramGroups) }
            if name == "defaults" { return .dict(try DictBox((Optimizer.defaults(o.typeName) ?? []).map { (.string($0.0), $0.1) })) }
            return try noAttribute(o.typeName, name, ["param_groups", "defaults"], SchedulerBuiltins.optimizerMethods, at: span)
        case .scheduler(let s):
            switch name {
            case "optimizer": return .optimizer(s.optimizer)
            case "last_epoch": return .int(s.lastEpoch)
            case "base_lrs": return .list(s.baseLRs.map(Value.float))
            default: return try noAttribute(s.typeName, name, ["optimizer", "last_epoch", "base_lrs"], SchedulerBuiltins.schedulerMethods, at: span)
            }
        default:
            throw RuntimeError("\(receiver.typeNameWithArticle) has no attribute '\(name)'", at: span)
        }
    }

    private func noAttribute(_ typeName: String, _ name: String, _ names: [String], _ methods: [String: Builtin],
                             at span: SourceSpan) throws -> Value {
        if methods[name] != nil { throw RuntimeError("'\(name)' is a method of \(typeName): call it, .\(name)()", at: span) }
        let hint = Suggestions.hint(for: name, in: names + Array(methods.keys))
        throw RuntimeError("'\(typeName)' object has no attribute '\(Escaping.printable(name))'\(hint)", at: span)
    }

    func nnMethodCall(_ receiver: Value, _ name: String, nameSpan: SourceSpan, receiverSpan: SourceSpan,
                      _ args: [CallArgument], at span: SourceSpan) throws -> Value {
        let this = CallArgument(name: nil, nameSpan: nil, value: receiver, span: receiverSpan)
        let methods: [String: Builtin], typeName: String
        switch receiver {
        case .module(let m): return try moduleMethodCall(m, name, nameSpan: nameSpan, receiver: this, args, at: span)
        case .optimizer(let o): (methods, typeName) = (SchedulerBuiltins.optimizerMethods, o.typeName)
        case .scheduler(let s): (methods, typeName) = (SchedulerBuiltins.schedulerMethods, s.typeName)
        default: throw RuntimeError("\(receiver.typeNameWithArticle) has no method '\(name)'", at: nameSpan)
        }
        if let method = methods[name] { return try call(.builtin(method), [this] + args, at: span) }
        let hint = Suggestions.hint(for: name, in: Array(methods.keys))
        throw RuntimeError("'\(typeName)' object has no method '\(Escaping.printable(name))'\(hint)", at: nameSpan)
    }
}
