import TenshEngine

/// Reductions over `dim=` (an int or a list; all dims when none), `keepdim=`.
enum ReductionBuiltins {
    static let category = "Reductions"
    static let parameters: [BuiltinParameter] = [.required("x", .tensor), .optional("dim", .dims, "none"),
                                                 .optional("keepdim", .bool, "false")]

    static let all: [Builtin] = [
        Builtin("sum", category, parameters, summary: "The sum of the elements, over dim (all by default).",
                example: "sum(x, dim=1, keepdim=true)") { a in
            .tensor(try sum(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
        Builtin("mean", category, parameters, summary: "The mean of the elements, over dim (all by default); float tensors.",
                example: "mean(x, dim=[0, 1])") { a in
            .tensor(try mean(try a.tensor("x"), dims: try a.dims(), keepdim: try a.bool("keepdim")))
        },
    ]
}
