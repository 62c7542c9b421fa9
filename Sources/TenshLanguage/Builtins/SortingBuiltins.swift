import TenshEngine

/// sort, topk, argsort, cumsum, randperm. sort and topk give the tuple
/// (values, indices) (`v, i = sort(x)` destructures it).
enum SortingBuiltins {
    static let category = "Sorting and scans"

    static let all: [Builtin] = [
        Builtin("sort", category, [.required("x", .tensor), .optional("dim", .int, "-1"), .optional("descending", .bool, "false"),
                                   .optional("stable", .bool, "true")],
                summary: "(values, indices) sorted along dim; stable (ties keep their order, also descending), NaN counts as largest.",
                example: "v, i = sort(x, descending=true)") { a in
            let (values, indices) = try sort(try a.tensor("x"), dim: try a.int("dim"), descending: try a.bool("descending"))
            return .tuple(TupleBox([.tensor(values), .tensor(indices)], fieldNames: ["values", "indices"], typeName: "torch.return_types.sort"))
        },
        Builtin("topk", category, [.required("x", .tensor), .required("k", .int), .optional("dim", .int, "-1"),
                                   .optional("largest", .bool, "true"), .optional("sorted", .bool, "true")],
                summary: "(values, indices) of the k largest (or smallest) along dim, in sorted order; among ties the lower index first.",
                example: "v, i = topk(logits, 5, dim=1)") { a in
            let (values, indices) = try topk(try a.tensor("x"), try a.int("k"), dim: try a.int("dim"), largest: try a.bool("largest"))
            return .tuple(TupleBox([.tensor(values), .tensor(indices)], fieldNames: ["values", "indices"], typeName: "torch.return_types.topk"))
        },
        Builtin("argsort", category, [.required("x", .tensor), .optional("dim", .int, "-1"), .optional("descending", .bool, "false"),
                                      .optional("stable", .bool, "true")],
                summary: "The int64 positions that sort x along dim (the indices of sort; stable).",
                example: "order = argsort(scores, descending=true)") { a in
            .tensor(try argsort(try a.tensor("x"), dim: try a.int("dim"), descending: try a.bool("descending")))
        },
        Builtin("cumsum", category, [.required("x", .tensor), .required("dim", .int)],
                summary: "Running sums along dim (float dtypes kept, integers and bools give i64).",
                example: "cumsum(x, dim=0)") { a in
            .tensor(try cumsum(try a.tensor("x"), dim: try a.int("dim")))
        },
        Builtin("randperm", CreationBuiltins.category, [.required("n", .int), .optional("dtype", .dtype, "\"i64\""),
                                                        RandomBuiltins.seed],
                summary: "A random permutation of 0..n-1 (Fisher–Yates on tensh's generator: reproducible with seed=, not torch's numbers).",
                example: "order = randperm(100, seed=0)") { a in
            .tensor(try randperm(try a.int("n"), seed: try a.seed()).to(try a.dtype(default: .int64)))
        },
    ]
}
