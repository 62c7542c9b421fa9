import TenshEngine
import TenshText

/// A `torch.optim` optimizer as PyTorch keeps one: `param_groups`, a list of
/// dicts each holding its "params" and its hyperparameters (read at every
/// step, so `opt.param_groups[0]["lr"] = 0.01` takes effect), and per-parameter
/// state created by the first step (engine: OptimizerState).
public final class Optimizer {
    /// `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`.
    public let typeName: String
    /// The shared list `opt.param_groups` returns.
    let paramGroups: ListBox
    let state = OptimizerState()

    init(typeName: String, groups: [DictBox]) {
        self.typeName = typeName
        self.paramGroups = ListBox(groups.map(Value.dict))
    }

    /// The hyperparameters each kind keeps in a group, with PyTorch's defaults, in PyTorch's order.
    static func defaults(_ typeName: String) -> [(String, Value)]? {
        let common: [(String, Value)] = [("maximize", .bool(false))]
        switch typeName {
        case "SGD":
            return [("lr", .float(1e-3)), ("momentum", .int(0)), ("dampening", .int(0)), ("weight_decay", .int(0)),
                    ("nesterov", .bool(false))] + common
        case "Adam", "AdamW":
            return [("lr", .float(1e-3)), ("betas", .tuple([.float(0.9), .float(0.999)])), ("eps", .float(1e-8)),
                    ("weight_decay", typeName == "AdamW" ? .float(1e-2) : .int(0)), ("amsgrad", .bool(false))] + common
        case "RMSprop":
            return [("lr", .float(1e-2)), ("alpha", .float(0.99)), ("eps", .float(1e-8)), ("weight_decay", .int(0)),
                    ("momentum", .int(0)), ("centered", .bool(false))] + common
        case "Adagrad":
            return [("lr", .float(1e-2)), ("lr_decay", .int(0)), ("weight_decay", .int(0)),
                    ("initial_accumulator_value", .int(0)), ("eps", .float(1e-10))] + common
        default:
            return nil
        }
    }

    /// The groups as dicts, checked (a user may have replaced one).
    func groups() throws -> [DictBox] {
        try paramGroups.items.enumerated().map { i, v in
            guard case .dict(let d) = v else { throw RuntimeError("\(typeName): param_groups[\(i)] must be a dict, got \(v.typeNameWithArticle)") }
            return d
        }
    }

    /// The tensors of a group's "params".
    func parameters(of group: DictBox, index: Int) throws -> [Tensor] {
        guard let items = try group.get(.string("params"))?.sequenceItems else {
            throw RuntimeError("\(typeName): param_groups[\(index)][\"params\"] must be a list of tensors")
        }
        return try items.map { item in
            guard case .tensor(let t) = item else {
                throw RuntimeError("\(typeName): param_groups[\(index)][\"params\"] holds \(item.typeNameWithArticle), not a tensor")
            }
            return t
        }
    }

    /// `opt.step()`: each parameter with a gradient takes one fused in-place step
    /// with its group's current hyperparameters.
    func step() throws {
        for (i, group) in try groups().enumerated() {
            let rule = try self.rule(for: group, index: i)
            for (k, p) in try parameters(of: group, index: i).enumerated() where p.grad != nil {
                try optimizerStep(p, state: state.state(for: p), rule: rule, op: "\(typeName).step", index: k)
            }
        }
    }

    /// `opt.zero_grad()`: gradients set to none, as PyTorch 2 does.
    func zeroGrad() throws {
        for (i, group) in try groups().enumerated() {
            for p in try parameters(of: group, index: i) { p.grad = nil }
        }
    }

    /// The engine's rule from a group's entries.
    func rule(for group: DictBox, index: Int) throws -> OptimizerRule {
        func number(_ key: String) throws -> Double {
            let v = try group.get(.string(key)) ?? .none
            if let d = v.number, !(v.isBool) { return d }
            if case .tensor(let t) = v, t.count == 1 { return try t.item() }
            throw RuntimeError("\(typeName): param_groups[\(index)][\"\(key)\"] must be a number, got \(v.typeName)")
        }
        func flag(_ key: String) throws -> Bool {
            let v = try group.get(.string(key)) ?? .none
            guard case .bool(let b) = v else {
                throw RuntimeError("\(typeName): param_groups[\(index)][\"\(key)\"] must be true or false, got \(v.typeName)")
            }
            return b
        }
        let rule: OptimizerRule
        switch typeName {
        case "SGD":
            rule = .sgd(SGDRule(lr: try number("lr"), momentum: try number("momentum"), dampening: try number("dampening"),
                                weightDecay: try number("weight_decay"), nesterov: try flag("nesterov"), maximize: try flag("maximize")))
        case "Adam", "AdamW":
            let betas = try group.get(.string("betas"))?.sequenceItems?.compactMap(\.number) ?? []
            guard betas.count == 2 else { throw RuntimeError("\(typeName): betas must be two numbers, such as (0.9, 0.999)") }
            rule = .adam(AdamRule(lr: try number("lr"), beta1: betas[0], beta2: betas[1], eps: try number("eps"),
                                  weightDecay: try number("weight_decay"), amsgrad: try flag("amsgrad"), maximize: try flag("maximize"),
                                  decoupledWeightDecay: typeName == "AdamW"))
        case "RMSprop":
            rule = .rmsprop(RMSpropRule(lr: try number("lr"), alpha: try number("alpha"), eps: try number("eps"),
                                        weightDecay: try number("weight_decay"), momentum: try number("momentum"),
                                        centered: try flag("centered"), maximize: try flag("maximize")))
        default:
            rule = .adagrad(AdagradRule(lr: try number("lr"), lrDecay: try number("lr_decay"), weightDecay: try number("weight_decay"),
                                        initialAccumulatorValue: try number("initial_accumulator_value"), eps: try number("eps"),
                                        maximize: try flag("maximize")))
        }
        do { try rule.validate(op: typeName) } catch let e as EngineError { throw RuntimeError(e.message) }
        return rule
    }

    /// PyTorch's repr: each group's settings, sorted, without the parameters.
    public var repr: String {
        var lines = ["\(typeName) ("]
        for (i, v) in paramGroups.items.enumerated() {
            lines.append("Parameter Group \(i)")
            guard case .dict(let d) = v else { continue }
            let entries = d.entries.compactMap { e -> (String, Value)? in
                guard case .string(let k) = e.key, k != "params" else { return nil }
                return (k, e.value)
            }
            for (k, value) in entries.sorted(by: { $0.0 < $1.0 }) { lines.append("    \(Escaping.printable(k)): \(value.repr)") }
        }
        return (lines + [")"]).joined(separator: "\n")
    }
}

extension Value {
    var isBool: Bool { if case .bool = self { return true } else { return false } }
}
