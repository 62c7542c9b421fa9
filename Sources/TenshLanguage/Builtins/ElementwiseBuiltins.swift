import TenshEngine

/// Elementwise math. Numbers are accepted where tensors are (`exp(1)`).
enum ElementwiseBuiltins {
    static let category = "Elementwise"

    /// One-tensor functions: name, what it computes, the engine function.
    private static let unaryTable: [(String, String, (Tensor) throws -> Tensor)] = [
        ("neg", "-x", neg), ("abs", "|x|", abs), ("exp", "e to the x", exp), ("log", "the natural logarithm", log),
        ("sqrt", "the square root", sqrt), ("sin", "the sine", sin), ("cos", "the cosine", cos),
        ("tanh", "the hyperbolic tangent", tanh), ("sigmoid", "1 / (1 + exp(-x))", sigmoid),
        ("relu", "max(x, 0)", relu), ("gelu", "x·Φ(x), the exact (erf) GELU", gelu), ("erf", "the error function", erf),
        ("sign", "-1, 0 or 1 (gradient zero)", sign),
    ]

    /// Two-tensor functions with broadcasting.
    private static let binaryTable: [(String, String, (Tensor, Tensor) throws -> Tensor)] = [
        ("add", "x + y", add), ("sub", "x - y", sub), ("mul", "x * y", mul), ("div", "x / y", div),
        ("pow", "x ** y", pow), ("maximum", "the larger of x and y", maximum), ("minimum", "the smaller of x and y", minimum),
        ("logical_and", "x and y (bool result)", logicalAnd), ("logical_or", "x or y (bool result)", logicalOr),
    ]

    static func pythonAbs(_ v: Value) -> Value? {
        switch v {
        case .int(let i) where i != Int.min: return .int(Swift.abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(Swift.abs(d))
        default: return nil
        }
    }

    static let all: [Builtin] = unaryTable.map { name, what, f in
        Builtin(name, category, [.required("x", .tensor)], summary: "Elementwise \(what)\(name == "abs" ? "; of a number, a number" : "").", example: "\(name)(x)") { a in
            // Python's abs of a number is a number of the same type.
            if name == "abs", let n = pythonAbs(a.value("x")) { return n }
            return .tensor(try f(try a.floatTensor("x")))
        }
    } + binaryTable.map { name, what, f in
        Builtin(name, category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "Elementwise \(what), broadcasting.", example: "\(name)(x, 2)") { a in
            .tensor(try f(try a.tensor("x"), try a.tensor("y")))
        }
    } + [
        Builtin("leaky_relu", category, [.required("x", .tensor), .optional("negative_slope", .number, "0.01")],
                summary: "x where x > 0, else negative_slope * x.", example: "leaky_relu(x, 0.2)") { a in
            .tensor(try leakyRelu(try a.floatTensor("x"), negativeSlope: try a.double("negative_slope")))
        },
        Builtin("clamp", category, [.required("x", .tensor), .optional("min", .number, "none"), .optional("max", .number, "none")],
                summary: "Limits x to [min, max] (either may be none); the gradient passes inside.",
                example: "clamp(x, min=0, max=1)") { a in
            .tensor(try clamp(try a.floatTensor("x"), min: try a.optionalDouble("min"), max: try a.optionalDouble("max")))
        },
        Builtin("where", category, [.required("condition", .tensor), .required("x", .tensor), .required("y", .tensor)],
                summary: "x where condition is true, else y (broadcasting); differentiable in x and y.",
                example: "where(x > 0, x, 0)") { a in
            .tensor(try `where`(try a.tensor("condition"), try a.tensor("x"), try a.tensor("y")))
        },
    ]
}
