import TenshEngine
import TenshText

/// Reductions over `dim=` (an int or a list; all dims when none), `keepdim=`,
/// and the softmax family.
enum ReductionBuiltins {
    static let category = "Reductions"
    static let parameters: [BuiltinParameter] = [.required("x", .tensor), .optional("dim", .dims, "none"),
                                                 .optional("keepdim", .bool, "false")]
    /// var and std: torch's `correction=` (1 is the unbiased estimate).
    static let statisticParameters: [BuiltinParameter] = [.required("x", .tensor), .optional("dim", .dims, "none"),
                                                          .optional("correction", .int, "1"), .optional("keepdim", .bool, "false")]

    static let all: [Builtin] = [
        Builtin("sum", category, [.required("x", .any), .optional("dim", .dims, "none"), .optional("keepdim", .bool, "false")],
                summary: "The sum of the elements, over dim (all by default); of a list or tuple, Python's sum of its items.",
                example: "sum(x, dim=1, keepdim=true)") { a in
            if let items = a.value("x").sequenceItems {
                // Python's sum of a list: numbers stay numbers, tensors add up (from 0).
                guard !a.isGiven("dim") else { throw a.error("dim", "sum of a list takes no dim") }
                return try items.reduce(Value.int(0)) { try a.context.add($0, $1, at: a.span("x")) }
            }
            return .tensor(try sum(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        Builtin("mean", category, parameters, summary: "The mean of the elements, over dim (all by default); float tensors.",
                example: "mean(x, dim=[0, 1])") { a in
            .tensor(try mean(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        extreme("max", largest: true),
        extreme("min", largest: false),
        Builtin("amax", category, parameters, summary: "The largest value over dim (an int or a list; all by default); ties share the gradient.",
                example: "amax(x, dim=[2, 3])") { a in
            .tensor(try amax(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        Builtin("amin", category, parameters, summary: "The smallest value over dim (an int or a list; all by default); ties share the gradient.",
                example: "amin(x, dim=0)") { a in
            .tensor(try amin(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        position("argmax", "largest", argmax),
        position("argmin", "smallest", argmin),
        Builtin("var", category, statisticParameters,
                summary: "The variance Σ(x - mean)²/(N - correction) over dim (all by default).",
                example: "var(x, dim=0, correction=0)") { a in
            .tensor(try variance(try a.tensor("x"), dims: try a.dims(), correction: try a.int("correction"),
                                 keepdim: try a.bool("keepdim")))
        },
        Builtin("std", category, statisticParameters,
                summary: "The standard deviation √var over dim (all by default).",
                example: "std(x, dim=[0, 2, 3], keepdim=true)") { a in
            .tensor(try std(try a.tensor("x"), dims: try a.dims(), correction: try a.int("correction"),
                            keepdim: try a.bool("keepdim")))
        },
        Builtin("norm", category, [.required("x", .tensor), .optional("p", .any, "2"), .optional("dim", .dims, "none"),
                                   .optional("keepdim", .bool, "false")],
                summary: "The vector p-norm over dim (all by default): p a positive number, \"fro\" (2) or \"inf\" (max |x|).",
                example: "norm(x, p=1, dim=1)") { a in
            .tensor(try norm(try a.tensor("x"), p: try normOrder(a), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        Builtin("softmax", category, [.required("x", .tensor), .required("dim", .int)],
                summary: "exp(x) / Σ exp(x) along dim (computed stably).",
                example: "softmax(logits, dim=1)") { a in
            .tensor(try softmax(try a.tensor("x"), dim: try a.int("dim")))
        },
        Builtin("log_softmax", category, [.required("x", .tensor), .required("dim", .int)],
                summary: "x - log Σ exp(x) along dim (computed stably).",
                example: "log_softmax(logits, dim=1)") { a in
            .tensor(try logSoftmax(try a.tensor("x"), dim: try a.int("dim")))
        },
        Builtin("logsumexp", category, parameters,
                summary: "log Σ exp(x) over dim (all by default), without overflow.",
                example: "logsumexp(x, dim=1)") { a in
            .tensor(try logsumexp(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
    ]

    /// `max(a, b)` of numbers and `max(items)` as Python; `max(x)` of a tensor → its
    /// largest element; `max(x, 1)` / `max(x, dim=1)` → `(values, indices)`;
    /// `max(x, y)` of two tensors → `maximum(x, y)`, as torch overloads it.
    private static func extreme(_ name: String, largest: Bool) -> Builtin {
        let word = largest ? "largest" : "smallest"
        return Builtin(name, category, [.variadic("x", .any), .optional("dim", .any, "none"), .optional("keepdim", .bool, "false")],
                       summary: "The \(word) element (0-d); with a dim, the tuple (values, indices) along it (.values, .indices); "
                           + "\(name)(x, y) of two tensors is \(largest ? "maximum" : "minimum")(x, y); of numbers or a list, Python's \(name).",
                       example: "v, i = \(name)(x, dim=1)") { a in
            var args = a.list("x")
            if a.isGiven("dim") { args.append(a.value("dim")) }
            guard let first = args.first else { throw a.error("x", "\(name) expected at least 1 argument, got 0") }
            guard case .tensor(let x) = first else { return try pythonExtreme(name, args, largest: largest, a) }
            switch args.count {
            case 1: return .tensor(largest ? try max(x) : try min(x))
            case 2:
                switch args[1] {
                case .int(let dim):
                    let (values, indices) = largest ? try max(x, dim: dim, keepdim: try a.bool("keepdim"))
                                                    : try min(x, dim: dim, keepdim: try a.bool("keepdim"))
                    return .tuple(TupleBox([.tensor(values), .tensor(indices)], fieldNames: ["values", "indices"],
                                           typeName: "torch.return_types.\(name)"))
                case .tensor(let other) where !a.keywords.contains("dim"):
                    return .tensor(largest ? try maximum(x, other) : try minimum(x, other))
                case .list, .tuple, .tensor:
                    throw a.error("dim", "\(name) reduces over one dim; use a\(name)(x, dim=[...]) for several")
                case let v:
                    throw a.error("dim", "argument 'dim' must be an int (or a tensor to compare with), got \(v.typeName)")
                }
            default:
                throw a.error("x", "\(name) of a tensor takes at most a dim or another tensor, got \(args.count) arguments")
            }
        }
    }

    /// Python's max/min: of several arguments, or of the items of one list, tuple or dict.
    private static func pythonExtreme(_ name: String, _ args: [Value], largest: Bool, _ a: Arguments) throws -> Value {
        let items = args.count == 1 ? try a.context.iterate(args[0], at: a.span("x")) : args
        guard var best = items.first else { throw a.error("x", "\(name)() arg is an empty sequence") }
        for item in items.dropFirst() {
            let better = try a.context.located(a.span("x")) { largest ? try Value.less(best, item) : try Value.less(item, best) }
            if better { best = item }
        }
        return best
    }

    private static func position(_ name: String, _ word: String, _ f: @escaping (Tensor, Int?, Bool) throws -> Tensor) -> Builtin {
        Builtin(name, category, [.required("x", .tensor), .optional("dim", .int, "none"), .optional("keepdim", .bool, "false")],
                summary: "The int64 position of the first \(word) element along dim (of the flattened tensor when dim is none).",
                example: "\(name)(logits, dim=1)") { a in
            .tensor(try f(try a.tensor("x"), try a.optionalInt("dim"), try a.bool("keepdim")))
        }
    }

    /// `p=`: a positive number, "fro" (the 2-norm of the elements) or "inf".
    private static func normOrder(_ a: Arguments) throws -> Double {
        switch a.value("p") {
        case .string("fro"): return 2
        case .string("inf"): return .infinity
        case .string(let s):
            throw a.error("p", "unknown norm order \"\(Escaping.printable(s))\" (expected a positive number, \"fro\" or \"inf\")")
        default:
            let p = try a.double("p")
            guard p > 0 else { throw a.error("p", "norm order p must be positive, got \(p)") }
            return p
        }
    }
}
