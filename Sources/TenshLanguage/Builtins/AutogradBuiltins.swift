import TenshEngine

/// param, detach, grad, backward, retain_grad, zero_grad, gradcheck, gradgradcheck.
enum AutogradBuiltins {
    static let category = "Autograd"

    static let all: [Builtin] = [
        Builtin("param", category, [.required("x", .tensor)],
                summary: "A detached leaf copy of x that requires grad (a trainable parameter).",
                example: "w = param(zeros(3, 3))") { a in
            let x = try a.tensor("x")
            let copy = try GradMode.noGrad { try x.detached().to(x.dtype.isFloatingPoint ? x.dtype : .float32).cloned() }
            return .tensor(try copy.setRequiresGrad())
        },
        Builtin("detach", category, [.required("x", .tensor)],
                summary: "x's values without its autograd history (shares storage).",
                example: "y = detach(x)") { a in
            .tensor(try a.tensor("x").detached())
        },
        Builtin("grad", category, [.required("y", .tensor), .required("inputs", .tensors),
                                   .optional("grad_output", .tensor, "none"), .optional("create_graph", .bool, "false"),
                                   .optional("allow_unused", .bool, "false")],
                summary: "The gradient of y with respect to a tensor (or a list of them: a list of gradients).",
                example: "gx = grad(sum(x ** 2), x)") { a in
            let y = try a.tensor("y")
            let (inputs, single) = try a.tensors("inputs")
            guard y.requiresGrad else {
                throw a.error("y", "y does not require grad: it was not computed from a tensor with requires_grad=true")
            }
            let grads = try grad([y], inputs, gradOutputs: [try a.optionalTensor("grad_output")],
                                 createGraph: try a.bool("create_graph"), allowUnused: try a.bool("allow_unused"),
                                 retaining: a.context.retainedGradients)
            let values = grads.map { $0.map(Value.tensor) ?? .none }
            return single ? values[0] : .list(values)
        },
        Builtin("backward", category, [.required("y", .tensor), .optional("grad_output", .tensor, "none"),
                                       .optional("create_graph", .bool, "false")],
                summary: "Accumulates dy/dleaf into .grad of every leaf that requires grad.",
                example: "backward(loss); print(w.grad)") { a in
            let y = try a.tensor("y")
            guard y.requiresGrad else {
                throw a.error("y", "y does not require grad: it was not computed from a tensor with requires_grad=true")
            }
            try backward(y, gradOutput: try a.optionalTensor("grad_output"), createGraph: try a.bool("create_graph"),
                         retaining: a.context.retainedGradients)
            return .none
        },
        Builtin("retain_grad", category, [.required("x", .tensor)],
                summary: "Makes backward and grad also fill .grad of x, an op's output (a leaf keeps its .grad anyway).",
                example: "h = relu(x @ w); h.retain_grad(); backward(sum(h)); print(h.grad)") { a in
            try a.tensor("x").retainGrad()
            return .none
        },
        Builtin("zero_grad", category, [.variadic("tensors", .any)],
                summary: "Clears .grad of the given tensors (or lists of tensors, or modules' parameters).",
                example: "zero_grad(w, b)") { a in
            for item in a.list("tensors") {
                switch item {
                case .tensor(let t): t.grad = nil
                case .list, .tuple: for case .tensor(let t) in item.sequenceItems ?? [] { t.grad = nil }
                case .module(let m): for (_, t) in m.namedParameters() { t.grad = nil }
                default: throw a.error("tensors", "zero_grad takes tensors, lists of tensors or modules, got \(item.typeNameWithArticle)")
                }
            }
            return .none
        },
        check("gradcheck", "Compares analytic gradients of f at inputs with finite differences in float64; true when they agree.",
              gradcheck),
        check("gradgradcheck", "Like gradcheck, for second-order gradients (gradients of gradients).", gradgradcheck),
    ]

    private typealias Checker = (@escaping ([Tensor]) throws -> Tensor, [Tensor], Double, Double, Double) throws -> GradcheckResult

    private static func check(_ name: String, _ summary: String, _ checker: @escaping Checker) -> Builtin {
        Builtin(name, category, [.required("f", .function), .required("inputs", .tensors),
                                 .optional("eps", .number, "1e-6"), .optional("atol", .number, "1e-5"),
                                 .optional("rtol", .number, "1e-3")],
                summary: summary, example: "\(name)(f, [x, w])") { a in
            let f = a.value("f"), span = a.span("f"), context = a.context
            let function: ([Tensor]) throws -> Tensor = { xs in
                let out = try context.call(f, xs.map(Value.tensor), at: span)
                guard case .tensor(let t) = out else {
                    throw RuntimeError("\(name): the function must return a tensor, got \(out.typeName)", at: span)
                }
                return t
            }
            let result = try checker(function, try a.tensors("inputs").tensors,
                                     try a.double("eps"), try a.double("atol"), try a.double("rtol"))
            if !result.passed { context.write("\(name): \(result)\n") }
            return .bool(result.passed)
        }
    }
}
