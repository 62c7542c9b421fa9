import TenshEngine

/// Shape and layout.
enum ShapeBuiltins {
    static let category = "Shape"

    static let all: [Builtin] = [
        Builtin("reshape", category, [.required("x", .tensor), .variadic("shape", .shape)],
                summary: "The same elements in a new shape (one size may be -1); a view when the layout allows.",
                example: "reshape(x, 2, -1)") { a in
            .tensor(try a.tensor("x").reshaped(try a.shape("shape")))
        },
        Builtin("expand", category, [.required("x", .tensor), .variadic("size", .shape)],
                summary: "A broadcast view to larger sizes (-1 keeps a size); no copy.",
                example: "expand(b, 4, -1)") { a in
            .tensor(try a.tensor("x").expanded(try a.shape("size")))
        },
        Builtin("contiguous", category, [.required("x", .tensor)],
                summary: "x itself when its elements are laid out contiguously, otherwise a contiguous copy.",
                example: "contiguous(x)") { a in
            .tensor(try a.tensor("x").contiguous())
        },
        Builtin("to", category, [.required("x", .tensor), .required("dtype", .dtype)],
                summary: "A copy converted to dtype (x itself if it has it); differentiable between float types.",
                example: "x.to(\"f64\")") { a in
            .tensor(try a.tensor("x").to(try a.dtype()))
        },
        Builtin("clone", category, [.required("x", .tensor)],
                summary: "A copy with its own storage (differentiable).",
                example: "y = clone(x)") { a in
            .tensor(try a.tensor("x").cloned())
        },
    ]
}
