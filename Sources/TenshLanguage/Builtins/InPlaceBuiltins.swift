import TenshEngine

/// PyTorch's in-place methods, written with the tensor first so that `x.zero_()`
/// works. Each returns x. Outside no_grad they refuse a leaf that requires grad;
/// on a tensor with history the change is recorded (see Docs/Engine/Indexing.md).
enum InPlaceBuiltins {
    static let category = "In-place"

    static let all: [Builtin] = [
        Builtin("zero_", category, [.required("x", .tensor)],
                summary: "Sets every element of x to 0 in place; returns x.",
                example: "w.grad.zero_()") { a in
            let x = try target(a)
            try zeroInPlace(x)
            return .tensor(x)
        },
        Builtin("fill_", category, [.required("x", .tensor), .required("value", .tensor)],
                summary: "Sets every element of x to value (a number or 0-d tensor) in place; returns x.",
                example: "x.fill_(1)") { a in
            let x = try target(a)
            try fillInPlace(x, try a.tensor("value"))
            return .tensor(x)
        },
        Builtin("add_", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "x += y in place (y broadcast to x's shape, no float into an integer tensor); returns x.",
                example: "x.add_(1)") { a in
            let x = try target(a)
            try addInPlace(x, try a.tensor("y"))
            return .tensor(x)
        },
        Builtin("mul_", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "x *= y in place (y broadcast to x's shape); returns x.",
                example: "x.mul_(0.5)") { a in
            let x = try target(a)
            try mulInPlace(x, try a.tensor("y"))
            return .tensor(x)
        },
        Builtin("clamp_", category, [.required("x", .tensor), .optional("min", .number, "none"), .optional("max", .number, "none")],
                summary: "Limits x to [min, max] in place (either may be none); returns x.",
                example: "w.clamp_(-1, 1)") { a in
            let x = try target(a)
            let lo = try a.optionalDouble("min"), hi = try a.optionalDouble("max")
            guard lo != nil || hi != nil else { throw a.error("min", "at least one of min and max must be given") }
            try clampInPlace(x, min: lo, max: hi)
            return .tensor(x)
        },
        Builtin("copy_", category, [.required("x", .tensor), .required("src", .tensor)],
                summary: "Copies src into x's elements (broadcast to x's shape, converted to its dtype); returns x.",
                example: "x.copy_(y)") { a in
            let x = try target(a)
            try copyInPlace(into: x, from: try a.tensor("src"))
            return .tensor(x)
        },
    ]

    /// The tensor to change: a plain number has no storage to change.
    private static func target(_ a: Arguments) throws -> Tensor {
        guard case .tensor(let t) = a.value("x") else {
            throw a.error("x", "an in-place method needs a tensor to change, got \(a.value("x").typeNameWithArticle)")
        }
        return t
    }
}
