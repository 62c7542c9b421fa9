import TenshEngine
import TenshText

/// `torch.optim`'s optimizers and schedulers, `clip_grad_norm_` and `batches`.
enum OptimBuiltins {
    static let category = "Optimizers (torch.optim)"
    static let params = BuiltinParameter.required("params", .any)
    static let maximize = BuiltinParameter.optional("maximize", .bool, "false")

    static let all: [Builtin] = optimizers + SchedulerBuiltins.all + [clipGradNorm, batches]

    static let optimizers: [Builtin] = [
        optimizer("SGD", [.optional("lr", .number, "0.001"), .optional("momentum", .number, "0"), .optional("dampening", .number, "0"),
                          .optional("weight_decay", .number, "0"), .optional("nesterov", .bool, "false"), maximize],
                  summary: "Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (torch.optim.SGD's rule).",
                  example: "opt = SGD(net, lr=0.1, momentum=0.9)"),
        optimizer("Adam", adamParameters(weightDecay: "0"), summary: "Adam (amsgrad optional) with L2 weight decay, as torch.optim.Adam.",
                  example: "opt = Adam(net.parameters(), lr=1e-3)"),
        optimizer("AdamW", adamParameters(weightDecay: "0.01"), summary: "Adam with decoupled weight decay, as torch.optim.AdamW.",
                  example: "opt = AdamW(net, lr=1e-3, weight_decay=0.05)"),
        optimizer("RMSprop", [.optional("lr", .number, "0.01"), .optional("alpha", .number, "0.99"), .optional("eps", .number, "1e-08"),
                              .optional("weight_decay", .number, "0"), .optional("momentum", .number, "0"),
                              .optional("centered", .bool, "false"), maximize],
                  summary: "RMSprop (centered and momentum variants), as torch.optim.RMSprop.", example: "opt = RMSprop(net, lr=0.01)"),
        optimizer("Adagrad", [.optional("lr", .number, "0.01"), .optional("lr_decay", .number, "0"), .optional("weight_decay", .number, "0"),
                              .optional("initial_accumulator_value", .number, "0"), .optional("eps", .number, "1e-10"), maximize],
                  summary: "Adagrad with learning-rate decay, as torch.optim.Adagrad.", example: "opt = Adagrad(net, lr=0.1)"),
    ]

    static func adamParameters(weightDecay: String) -> [BuiltinParameter] {
        [.optional("lr", .number, "0.001"), .optional("betas", .any, "(0.9, 0.999)"), .optional("eps", .number, "1e-08"),
         .optional("weight_decay", .number, weightDecay), .optional("amsgrad", .bool, "false"), maximize]
    }

    /// An optimizer builtin: `params` is a module, a list of tensors, or a list
    /// of parameter-group dicts (each with "params" and its own settings).
    static func optimizer(_ name: String, _ hyper: [BuiltinParameter], summary: String, example: String) -> Builtin {
        Builtin(name, category, [params] + hyper,
                summary: summary + " params: a module, a list of tensors or a list of group dicts; opt.step(), opt.zero_grad(), "
                    + "opt.param_groups[0][\"lr\"].",
                example: example) { a in
            var defaults: [(String, Value)] = []
            for p in hyper {
                var v = a.value(p.name)
                if p.name == "betas" { v = try betas(a) }
                defaults.append((p.name, v))
            }
            let groups = try parameterGroups(a, defaults: defaults, optimizer: name)
            let opt = Optimizer(typeName: name, groups: groups)
            for (i, g) in groups.enumerated() { _ = try a.context.located(a.span("params")) { try opt.rule(for: g, index: i) } }
            return .optimizer(opt)
        }
    }

    private static func betas(_ a: Arguments) throws -> Value {
        let v = a.value("betas")
        if case .none = v { return .tuple([.float(0.9), .float(0.999)]) }
        guard let items = v.sequenceItems, items.count == 2, items.allSatisfy({ $0.number != nil }) else {
            throw a.error("betas", "betas must be two numbers, such as (0.9, 0.999)")
        }
        return .tuple(items)
    }

    private static func parameterGroups(_ a: Arguments, defaults: [(String, Value)], optimizer: String) throws -> [DictBox] {
        let value = a.value("params")
        var specs: [(params: [Tensor], extra: [(Value, Value)])] = []
        if let items = value.sequenceItems, let first = items.first, case .dict = first {
            for item in items {
                guard case .dict(let d) = item, let ps = try d.get(.string("params")) else {
                    throw a.error("params", "each parameter group must be a dict with a \"params\" entry")
                }
                specs.append((try tensors(ps, a), d.entries.filter { if case .string("params") = $0.key { return false }; return true }))
            }
        } else {
            specs = [(try tensors(value, a), [])]
        }
        var seen = Set<ObjectIdentifier>()
        return try specs.map { spec in
            guard !spec.params.isEmpty else { throw a.error("params", "\(optimizer) got an empty parameter list") }
            for p in spec.params {
                guard p.isLeaf else { throw a.error("params", "can't optimize a non-leaf tensor (made by \(p.gradFn?.op ?? "an op")); use param(x)") }
                guard seen.insert(ObjectIdentifier(p)).inserted else {
                    throw a.error("params", "some parameters appear more than once (in one group or in more than one group)")
                }
            }
            let group = try DictBox([(.string("params"), .list(spec.params.map(Value.tensor)))] + spec.extra)
            for (k, v) in defaults where try !group.contains(.string(k)) { try group.set(.string(k), v) }
            return group
        }
    }

    /// The tensors of a module, a tensor, or a list of tensors.
    static func tensors(_ v: Value, _ a: Arguments) throws -> [Tensor] {
        switch v {
        case .module(let m): return m.namedParameters().map(\.tensor)
        case .tensor(let t): return [t]
        default:
            guard let items = v.sequenceItems else {
                throw a.error("params", "params must be a module, a tensor or a list of tensors, got \(v.typeNameWithArticle)")
            }
            return try items.map { item in
                guard case .tensor(let t) = item else { throw a.error("params", "params must hold tensors, found \(item.typeNameWithArticle)") }
                return t
            }
        }
    }

    static let clipGradNorm = Builtin("clip_grad_norm_", category, [.required("parameters", .any), .required("max_norm", .number),
                                                                   .optional("norm_type", .any, "2")],
                                      summary: "Scales all gradients in place so that their total norm is at most max_norm; returns the total norm "
                                          + "before scaling (torch.nn.utils.clip_grad_norm_).",
                                      example: "clip_grad_norm_(net, 1.0)") { a in
        let ps = try tensors(a.value("parameters"), a)
        let normType: Double
        switch a.value("norm_type") {
        case .string("inf"): normType = .infinity
        case let v: guard let d = v.number else { throw a.error("norm_type", "norm_type must be a number or \"inf\"") }; normType = d
        }
        return .tensor(try TenshEngine.clipGradNorm(ps, maxNorm: try a.double("max_norm"), normType: normType))
    }

    static let batches = Builtin("batches", category, [.required("x", .tensor), .required("y", .tensor), .required("batch_size", .int),
                                                       .optional("shuffle", .bool, "false"), RandomBuiltins.seed,
                                                       .optional("drop_last", .bool, "false")],
                                 summary: "The (xb, yb) minibatches of x and y along dim 0, as a DataLoader over a TensorDataset; "
                                     + "shuffle draws a randperm (seed repeats it); drop_last drops a short last batch.",
                                 example: "for xb, yb in batches(x, y, 32, shuffle=true) { print(xb.shape) }") { a in
        let x = try a.tensor("x"), y = try a.tensor("y"), size = try a.int("batch_size")
        guard size > 0 else { throw a.error("batch_size", "batch_size must be positive, got \(size)") }
        guard x.rank > 0, y.rank > 0, x.shape[0] == y.shape[0] else {
            throw a.error("y", "x and y must have the same size in dim 0, got \(shapeText(x.shape)) and \(shapeText(y.shape))")
        }
        let n = x.shape[0]
        let order: Tensor? = try a.bool("shuffle") ? try randperm(n, seed: try a.seed()) : nil
        let dropLast = try a.bool("drop_last")
        var out: [Value] = []
        var start = 0
        while start < n {
            let end = Swift.min(n, start + size)
            if end - start < size && dropLast { break }
            let rows: (Tensor) throws -> Tensor = { t in
                if let order { return try indexSelect(t, dim: 0, index: order.narrowed(0, start: start, length: end - start)) }
                return try t.narrowed(0, start: start, length: end - start)
            }
            out.append(.tuple([.tensor(try rows(x)), .tensor(try rows(y))]))
            start = end
        }
        return .list(out)
    }
}
