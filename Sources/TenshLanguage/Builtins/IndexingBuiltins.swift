import TenshEngine

/// index_select, gather, scatter_add, masked_fill, nonzero, one_hot, bincount (torch's names and rules).
enum IndexingBuiltins {
    static let category = "Indexing"

    static let all: [Builtin] = [
        Builtin("index_select", category, [.required("x", .tensor), .required("dim", .int), .required("index", .tensor)],
                summary: "The slices of x at the int64 positions index (0-d or 1-d) along dim, stacked; repeats accumulate gradients.",
                example: "index_select(x, 0, idx)") { a in
            .tensor(try indexSelect(try a.tensor("x"), dim: try a.int("dim"), index: try a.tensor("index")))
        },
        Builtin("gather", category, [.required("x", .tensor), .required("dim", .int), .required("index", .tensor)],
                summary: "out[i][j] = x[index[i][j]][j] for dim=0 (likewise for other dims); int64 index of x's rank; "
                    + "the gradient adds back into x.",
                example: "gather(probs, 1, labels.unsqueeze(1))") { a in
            .tensor(try gather(try a.tensor("x"), dim: try a.int("dim"), index: try a.tensor("index")))
        },
        Builtin("scatter_add", category, [.required("x", .tensor), .required("dim", .int), .required("index", .tensor),
                                          .required("src", .tensor)],
                summary: "A copy of x with src[i][j] added at x[index[i][j]][j] for dim=0 (repeats accumulate); "
                    + "differentiable in x and src.",
                example: "scatter_add(zeros(3), 0, idx, ones(4))") { a in
            .tensor(try scatterAdd(try a.tensor("x"), dim: try a.int("dim"), index: try a.tensor("index"), src: try a.tensor("src")))
        },
        Builtin("masked_fill", category, [.required("x", .tensor), .required("mask", .tensor), .required("value", .tensor)],
                summary: "x with value (a number or 0-d tensor) where the bool mask (broadcast to x) is true.",
                example: "masked_fill(scores, scores < 0, 0)") { a in
            .tensor(try maskedFill(try a.tensor("x"), mask: try a.tensor("mask"), value: try a.tensor("value")))
        },
        Builtin("nonzero", category, [.required("x", .tensor)],
                summary: "The coordinates of the non-zero elements, one row each: int64 of shape [count, x.ndim].",
                example: "nonzero(x > 0)") { a in
            .tensor(try nonzero(try a.tensor("x")))
        },
        Builtin("one_hot", category, [.required("x", .tensor), .optional("num_classes", .int, "-1")],
                summary: "Each int64 class index as a one-hot int64 row of num_classes (-1: max(x) + 1); shape x.shape + [num_classes].",
                example: "one_hot(labels, 10)") { a in
            .tensor(try oneHot(try a.tensor("x"), numClasses: try a.int("num_classes")))
        },
        Builtin("bincount", category, [.required("x", .tensor), .optional("weights", .tensor, "none"),
                                       .optional("minlength", .int, "0")],
                summary: "How often each value 0, 1, ... occurs in the 1-d non-negative int64 x (or the sum of its weights); "
                    + "length max(x) + 1, at least minlength.",
                example: "bincount(labels, minlength=10)") { a in
            .tensor(try bincount(try a.tensor("x"), weights: try a.optionalTensor("weights"), minlength: try a.int("minlength")))
        },
    ]
}
