import TenshEngine

/// matmul (also the `@` operator), linear, outer.
enum LinalgBuiltins {
    static let category = "Linear algebra"

    static let all: [Builtin] = [
        Builtin("matmul", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "torch.matmul (also x @ y): dot product of vectors, matrix products, batched with broadcasting leading dims; equal float dtypes.",
                example: "matmul(a, b)") { a in
            .tensor(try matmul(try a.tensor("x"), try a.tensor("y")))
        },
        Builtin("linear", category, [.required("x", .tensor), .required("w", .tensor), .optional("b", .tensor, "none")],
                summary: "x · wᵀ + b with weight w [out_features, in_features] and bias b [out_features].",
                example: "logits = linear(h, w, b)") { a in
            .tensor(try linear(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b")))
        },
        Builtin("outer", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "The outer product of two 1-d tensors: [n] and [m] give [n, m].",
                example: "outer(u, v)") { a in
            .tensor(try outer(try a.tensor("x"), try a.tensor("y")))
        },
    ]
}
