import TenshEngine
import TenshText

/// Containers and the functions that work on whole modules.
enum ModuleBuiltins {
    static let category = "Modules"

    static let all: [Builtin] = [
        Builtin("Sequential", category, [.variadic("modules", .any)],
                summary: "Calls its children in order, each on the previous one's output; children are named \"0\", \"1\", ... "
                    + "and may be user functions. seq[i], len(seq) and for m in seq work.",
                example: "net = Sequential(Conv2d(1, 8, 3), ReLU(), Flatten(), Linear(288, 10))") { a in
            let children = try a.list("modules").enumerated().map { i, v in (String(i), try moduleChild(v, a, "modules")) }
            return .module(try Module(container: "Sequential", children: children))
        },
        Builtin("Module", category, [.keywords("children"), .optional("forward", .function, "none")],
                summary: "A container of named children (net.conv1, state_dict keys \"conv1.weight\"); net(x) calls forward(net, x), "
                    + "as a PyTorch class's forward(self, x) does.",
                example: "net = Module(fc1=Linear(4, 8), fc2=Linear(8, 2), forward=f)") { a in
            let children = try a.extraKeywords.map { arg in (arg.name ?? "", try moduleChild(arg.value, a, arg.name ?? "children")) }
            let forward: Value? = a.isGiven("forward") ? a.value("forward") : nil
            return .module(try Module(container: "Module", children: children, forward: forward))
        },
        Builtin("parameters", category, [.required("m", .any)],
                summary: "The parameters of a module as a list, in PyTorch's order (each shared tensor once).",
                example: "opt = SGD(parameters(net), lr=0.1)") { a in
            .list(try module(a, "m").namedParameters().map { .tensor($0.tensor) })
        },
        Builtin("named_parameters", category, [.required("m", .any)],
                summary: "The parameters of a module as a dict from their dotted names (\"conv1.weight\") to the tensors.",
                example: "for name, p in named_parameters(net).items() { print(name, p.shape) }") { a in
            .dict(try DictBox(try module(a, "m").namedParameters().map { (.string($0.name), .tensor($0.tensor)) }))
        },
        Builtin("state_dict", category, [.required("m", .any)],
                summary: "Parameters and buffers under PyTorch's keys (\"0.weight\", \"bn.running_mean\"), detached and sharing "
                    + "storage with the module.",
                example: "sd = state_dict(net)") { a in
            .dict(try module(a, "m").stateDict())
        },
        Builtin("load_state_dict", category, [.required("m", .any), .required("state_dict", .any), .optional("strict", .bool, "true")],
                summary: "Copies a state_dict (from state_dict or load of a .pt/.safetensors/.npz) into the module; reports missing "
                    + "and unexpected keys and shape mismatches as PyTorch does. Returns (missing_keys, unexpected_keys).",
                example: "load_state_dict(net, load(\"mnist_cnn.pt\"))") { a in
            guard case .dict(let d) = a.value("state_dict") else {
                throw a.error("state_dict", "state_dict must be a dict, got \(a.value("state_dict").typeNameWithArticle)")
            }
            let (missing, unexpected) = try module(a, "m").loadStateDict(d, strict: try a.bool("strict"))
            return .tuple(TupleBox([.list(missing.map(Value.string)), .list(unexpected.map(Value.string))],
                                   fieldNames: ["missing_keys", "unexpected_keys"], typeName: "_IncompatibleKeys"))
        },
    ]

    /// A module argument, or an error naming it.
    static func module(_ a: Arguments, _ name: String) throws -> Module {
        guard case .module(let m) = a.value(name) else {
            throw a.error(name, "argument '\(name)' must be a module, got \(a.value(name).typeName)")
        }
        return m
    }

    private static func moduleChild(_ v: Value, _ a: Arguments, _ name: String) throws -> ModuleChild {
        switch v {
        case .module(let m): return .module(m)
        case .function, .builtin: return .function(v)
        default: throw a.error(name, "\(Escaping.printable(name)) must be a module or a function, got \(v.typeNameWithArticle)")
        }
    }

    /// `summary(m)`: the repr with each module's own parameter count, and the totals.
    static func summary(_ m: Module) -> String {
        var lines: [String] = []
        for (prefix, module) in m.modulesPreOrder() {
            let own = module.parameters.compactMap(\.tensor)
            let count = own.reduce(0) { $0 + $1.count }
            let shapes = own.map { shapeText($0.shape) }.joined(separator: " ")
            let name = prefix.isEmpty ? "(root)" : Escaping.printable(prefix)
            let indent = String(repeating: "  ", count: prefix.isEmpty ? 0 : prefix.split(separator: ".").count)
            lines.append("\(indent)\(name): \(module.typeName)" + (count > 0 ? "  \(count) parameters \(shapes)" : ""))
        }
        let trainable = m.namedParameters().filter { $0.tensor.requiresGrad }.reduce(0) { $0 + $1.tensor.count }
        lines.append("total parameters: \(m.parameterCount) (trainable \(trainable))")
        return lines.joined(separator: "\n")
    }
}

/// The methods of modules: `net.train()`, `net.eval()`, `net.double()`, ...
/// (reached with method syntax; `parameters`, `state_dict`, ... are also functions).
enum NNMethods {
    static let category = "Module methods"
    static let receiver = BuiltinParameter.required("self", .any)

    static let moduleMethodList: [Builtin] = [
        Builtin("train", category, [receiver, .optional("mode", .bool, "true")],
                summary: "Puts the module and all below it in training mode (dropout active, batch norm on batch statistics); returns it.",
                example: "net.train()") { a in
            let m = try ModuleBuiltins.module(a, "self")
            m.setTraining(try a.bool("mode"))
            return .module(m)
        },
        Builtin("eval", category, [receiver],
                summary: "Puts the module and all below it in evaluation mode (dropout off, batch norm on running statistics); returns it.",
                example: "net.eval()") { a in
            let m = try ModuleBuiltins.module(a, "self")
            m.setTraining(false)
            return .module(m)
        },
        convert("double", .float64), convert("float", .float32),
        Builtin("to", category, [receiver, .required("dtype", .dtype)],
                summary: "Converts the floating-point parameters and buffers to dtype (\"f32\" or \"f64\"); returns the module.",
                example: "net.to(\"f64\")") { a in
            let dtype = try a.dtype("dtype")
            guard dtype.isFloatingPoint else { throw a.error("dtype", "modules convert to a floating point dtype (\"f32\" or \"f64\"), got \"\(dtype)\"") }
            let m = try ModuleBuiltins.module(a, "self")
            try m.convertFloats(to: dtype)
            return .module(m)
        },
        Builtin("zero_grad", category, [receiver],
                summary: "Sets the gradients of every parameter to none.", example: "net.zero_grad()") { a in
            for (_, t) in try ModuleBuiltins.module(a, "self").namedParameters() { t.grad = nil }
            return .none
        },
    ] + ["parameters", "named_parameters", "state_dict", "load_state_dict"].compactMap { name in
        ModuleBuiltins.all.first { $0.name == name }
    }

    static func convert(_ name: String, _ dtype: DType) -> Builtin {
        Builtin(name, category, [receiver], summary: "Converts the floating-point parameters and buffers to \(dtype.rawValue); returns the module.",
                example: "net.\(name)()") { a in
            let m = try ModuleBuiltins.module(a, "self")
            try m.convertFloats(to: dtype)
            return .module(m)
        }
    }

    static let moduleMethods: [String: Builtin] = Dictionary(uniqueKeysWithValues: moduleMethodList.map { ($0.name, $0) })

    /// The method tables for Docs/Language.md.
    static var documented: [(String, [Builtin])] {
        [("Modules", moduleMethodList),
         ("Optimizers", SchedulerBuiltins.optimizerMethods.values.sorted { $0.name < $1.name }),
         ("Schedulers", SchedulerBuiltins.schedulerMethods.values.sorted { $0.name < $1.name })]
    }
}
