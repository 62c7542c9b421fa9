import TenshEngine
import TenshText

/// How the language reaches a module: calling it, its attributes
/// (`net.conv1`, `m.weight`, `m.training`), indexing and walking a Sequential.
extension Interpreter {
    /// `net(x)`: a layer's computation, a Sequential's chain, or the forward given to `Module`.
    func callModule(_ m: Module, _ arguments: [CallArgument], at span: SourceSpan) throws -> Value {
        if let forward = m.forward {
            let this = CallArgument(name: nil, nameSpan: nil, value: .module(m), span: span)
            return try call(forward, [this] + arguments, at: span)
        }
        if let layer = m.layer {
            let x = try singleInput(m, arguments, at: span)
            guard case .tensor(let t) = x.value else {
                throw RuntimeError("\(m.typeName) expects a tensor, got \(x.value.typeNameWithArticle)", at: x.span)
            }
            return .tensor(try mapEngineError(at: span) { try m.layerForward(layer, t) })
        }
        guard m.typeName == "Sequential" else {
            throw RuntimeError("\(m.typeName) has no forward: give it one with Module(..., forward=f), where f(self, x) computes the output", at: span)
        }
        var value = try singleInput(m, arguments, at: span).value
        for (_, child) in m.childEntries {
            value = try call(child.value, [CallArgument(name: nil, nameSpan: nil, value: value, span: span)], at: span)
        }
        return value
    }

    private func singleInput(_ m: Module, _ arguments: [CallArgument], at span: SourceSpan) throws -> CallArgument {
        if let keyword = arguments.first(where: { $0.name != nil }) {
            throw RuntimeError("\(m.typeName) takes its input positionally, got the keyword '\(keyword.name ?? "")'", at: keyword.nameSpan ?? keyword.span)
        }
        guard arguments.count == 1, let x = arguments.first else {
            throw RuntimeError("\(m.typeName) takes 1 input but \(arguments.count) were given", at: arguments.dropFirst().first?.span ?? span)
        }
        return x
    }

    /// `m.name`: a child, a parameter, a buffer, or `training`.
    func moduleAttribute(_ m: Module, _ name: String, at span: SourceSpan) throws -> Value {
        if let value = m.member(name) { return value }
        if name == "training" { return .bool(m.training) }
        if NNMethods.moduleMethods[name] != nil {
            throw RuntimeError("'\(name)' is a method of modules: call it, m.\(name)()", at: span)
        }
        let names = m.memberNames + ["training"]
        throw RuntimeError("'\(m.typeName)' object has no attribute '\(Escaping.printable(name))'\(Suggestions.hint(for: name, in: names))", at: span)
    }

    /// `m.name(args)`: a child or a stored function called, else a module method.
    func moduleMethodCall(_ m: Module, _ name: String, nameSpan: SourceSpan, receiver: CallArgument,
                          _ args: [CallArgument], at span: SourceSpan) throws -> Value {
        if let member = m.member(name) { return try call(member, args, at: span) }
        if let method = NNMethods.moduleMethods[name] { return try call(.builtin(method), [receiver] + args, at: span) }
        let hint = Suggestions.hint(for: name, in: Array(NNMethods.moduleMethods.keys) + m.memberNames)
        throw RuntimeError("'\(m.typeName)' object has no method '\(Escaping.printable(name))'\(hint)", at: nameSpan)
    }

    /// `seq[i]` (negative counts from the end) and `seq[a:b]` (a new Sequential of the same children).
    func indexModule(_ m: Module, _ items: [IndexItem], at span: SourceSpan) throws -> Value {
        guard items.count == 1 else { throw RuntimeError("a module takes one index, got \(items.count)", at: span) }
        let entries = m.childEntries
        switch items[0] {
        case .single(let e):
            let v = try evaluate(e)
            guard case .int(let i) = v else { throw RuntimeError("a module index must be an int, got \(v.typeName)", at: e.span) }
            let position = i < 0 ? i + entries.count : i
            guard position >= 0, position < entries.count else {
                throw RuntimeError("index \(i) is out of range for \(m.typeName) with \(entries.count) children", at: e.span)
            }
            return entries[position].child.value
        case .slice(let start, let stop, let step):
            let bounds = try [start, stop, step].map { try $0.map { e -> Int in
                guard case .int(let i) = try evaluate(e) else { throw RuntimeError("slice bounds must be ints", at: e.span) }
                return i
            } }
            let picked = try sliceIndices(count: entries.count, start: bounds[0], stop: bounds[1], step: bounds[2] ?? 1, at: span)
            let children = picked.enumerated().map { (String($0.offset), entries[$0.element].child) }
            return .module(try Module(container: m.typeName, children: children))
        case .ellipsis:
            throw RuntimeError("a module cannot be indexed with ...", at: span)
        }
    }

    private func sliceIndices(count: Int, start: Int?, stop: Int?, step: Int, at span: SourceSpan) throws -> [Int] {
        guard step > 0 else { throw RuntimeError("a module slice needs a positive step", at: span) }
        func clamp(_ i: Int?, _ fallback: Int) -> Int {
            guard let i else { return fallback }
            return Swift.min(Swift.max(i < 0 ? i + count : i, 0), count)
        }
        return Array(stride(from: clamp(start, 0), to: clamp(stop, count), by: step))
    }
}

extension Module {
    /// A child, parameter or buffer by name, as a value.
    func member(_ name: String) -> Value? {
        if let c = child(name) { return c.value }
        if let p = parameter(name) { return p.map(Value.tensor) ?? Value.none }
        if let b = buffer(name) { return b.map(Value.tensor) ?? Value.none }
        return nil
    }

    var memberNames: [String] { childEntries.map(\.name) + parameters.map(\.name) + buffers.map(\.name) }

    /// The children with functions too (what a Sequential runs, indexes and walks).
    var childEntries: [(name: String, child: ModuleChild)] { children }
}

extension Interpreter {
    /// `net.fc = Linear(...)` (a child added or replaced), `m.bias = none`,
    /// `m.weight = t` (a parameter or buffer replaced), `m.training = false`.
    func setModuleAttribute(_ m: Module, _ name: String, _ value: Value, at span: SourceSpan) throws {
        if name == "training" {
            guard case .bool(let b) = value else { throw RuntimeError("training must be true or false, got \(value.typeName)", at: span) }
            m.training = b
            return
        }
        if m.parameter(name) != nil || m.buffer(name) != nil {
            let tensor: Tensor?
            switch value {
            case .tensor(let t): tensor = t
            case .none: tensor = nil
            default:
                throw RuntimeError("cannot assign \(value.typeNameWithArticle) as \(m.typeName)'s '\(Escaping.printable(name))' (a tensor or none expected)", at: span)
            }
            if let i = m.parameters.firstIndex(where: { $0.name == name }) { m.parameters[i].tensor = tensor }
            if let i = m.buffers.firstIndex(where: { $0.name == name }) { m.buffers[i].tensor = tensor }
            return
        }
        switch value {
        case .module(let child): try atSpan(span) { try m.setChild(name, .module(child)) }
        case .function: try m.setChild(name, .function(value))
        case .builtin where m.child(name) != nil: try m.setChild(name, .function(value))
        default:
            throw RuntimeError("cannot set attribute '\(Escaping.printable(name))' of \(m.typeName): only children (modules), parameters, buffers and training can be set", at: span)
        }
    }
}
