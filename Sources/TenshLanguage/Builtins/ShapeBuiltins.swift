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
        Builtin("view", category, [.required("x", .tensor), .variadic("shape", .shape)],
                summary: "A view of x's memory in a new shape (one size may be -1); an error when the strides cannot express it (use reshape).",
                example: "x.view(2, -1)") { a in
            .tensor(try a.tensor("x").view(try a.shape("shape")))
        },
        Builtin("permute", category, [.required("x", .tensor), .variadic("dims", .shape)],
                summary: "A view with the dims reordered: result dim i is x's dim dims[i].",
                example: "permute(x, 0, 2, 3, 1)") { a in
            .tensor(try a.tensor("x").permuted(try a.shape("dims")))
        },
        Builtin("transpose", category, [.required("x", .tensor), .required("dim0", .int), .required("dim1", .int)],
                summary: "A view with two dims swapped (x.T is transpose(x, 0, 1) of a matrix).",
                example: "transpose(x, 1, 2)") { a in
            .tensor(try a.tensor("x").transposed(try a.int("dim0"), try a.int("dim1")))
        },
        Builtin("flatten", category, [.required("x", .tensor), .optional("start_dim", .int, "0"), .optional("end_dim", .int, "-1")],
                summary: "Merges dims start_dim through end_dim into one (a view when the layout allows).",
                example: "flatten(x, start_dim=1)") { a in
            .tensor(try a.tensor("x").flattened(startDim: try a.int("start_dim"), endDim: try a.int("end_dim")))
        },
        Builtin("squeeze", category, [.required("x", .tensor), .optional("dim", .dims, "none")],
                summary: "Removes size-1 dims: all of them, or those in dim (an int or a list; others are kept).",
                example: "squeeze(x, dim=0)") { a in
            let x = try a.tensor("x")
            guard a.isGiven("dim") else { return .tensor(try x.squeezed()) }
            return .tensor(try squeezeDims(x, try a.dims(), a))
        },
        Builtin("unsqueeze", category, [.required("x", .tensor), .required("dim", .int)],
                summary: "Inserts a size-1 dim at position dim (-1 appends).",
                example: "unsqueeze(x, 0)") { a in
            .tensor(try a.tensor("x").unsqueezed(try a.int("dim")))
        },
        Builtin("cat", category, [.required("tensors", .tensors), .optional("dim", .int, "0")],
                summary: "Joins tensors along an existing dim (sizes must match elsewhere).",
                example: "cat([a, b], dim=1)") { a in
            .tensor(try cat(try a.tensors("tensors").tensors, dim: try a.int("dim")))
        },
        Builtin("stack", category, [.required("tensors", .tensors), .optional("dim", .int, "0")],
                summary: "Joins tensors of one shape along a new dim.",
                example: "stack([a, b])") { a in
            .tensor(try stack(try a.tensors("tensors").tensors, dim: try a.int("dim")))
        },
        Builtin("flip", category, [.required("x", .tensor), .required("dims", .dims)],
                summary: "A copy reversed along dims (an int or a list).",
                example: "flip(x, [0, 1])") { a in
            .tensor(try flip(try a.tensor("x"), dims: try a.ints("dims")))
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

    /// `squeeze(x, dim=[0, 2])`: each listed dim is removed when its size is 1 (torch ≥ 2.0).
    private static func squeezeDims(_ x: Tensor, _ dims: [Int], _ a: Arguments) throws -> Tensor {
        let r = Swift.max(x.rank, 1)
        var normalized: [Int] = []
        for d in dims {
            guard d >= -r && d < r else {
                throw a.error("dim", "dimension \(d) is out of range for a tensor of rank \(x.rank) (expected \(-r)...\(r - 1))")
            }
            let n = d < 0 ? d + r : d
            guard !normalized.contains(n) else { throw a.error("dim", "dim \(d) appears more than once in \(dims)") }
            normalized.append(n)
        }
        var y = x
        // Highest first, so earlier removals do not shift the positions still to remove.
        for d in normalized.sorted(by: >) { y = try y.squeezed(d) }
        return y
    }
}
