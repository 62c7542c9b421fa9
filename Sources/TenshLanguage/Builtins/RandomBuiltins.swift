import TenshEngine

/// randn, rand, randint, randn_like, rand_like, he_normal, xavier_uniform, manual_seed.
/// `seed=N` gives the same values on every machine (a fresh Philox generator);
/// without it the session's shared generator advances, so successive calls differ.
enum RandomBuiltins {
    static let category = CreationBuiltins.category
    static let seed = BuiltinParameter.optional("seed", .int, "none")
    static let dtype = CreationBuiltins.dtype
    static let requiresGrad = CreationBuiltins.requiresGrad

    static let all: [Builtin] = [
        Builtin("randn", category, [.variadic("size", .shape), dtype, requiresGrad, seed],
                summary: "Standard normal samples of the given sizes (float dtypes).",
                example: "randn(2, 3, seed=0)") { a in
            try CreationBuiltins.leaf(a, try randn(try a.shape("size"), dtype: try a.dtype(), seed: try a.seed()))
        },
        Builtin("rand", category, [.variadic("size", .shape), dtype, requiresGrad, seed],
                summary: "Uniform samples in [0, 1) of the given sizes (float dtypes).",
                example: "rand([4], dtype=\"f64\")") { a in
            try CreationBuiltins.leaf(a, try rand(try a.shape("size"), dtype: try a.dtype(), seed: try a.seed()))
        },
        Builtin("randint", category, [.required("low", .int), .required("high", .any), .optional("size", .shape, "none"),
                                      .optional("dtype", .dtype, "\"i64\""), seed],
                summary: "Integers uniform in [low, high) of the given size; randint(high, size) starts at 0.",
                example: "randint(0, 10, [5], seed=1)") { a in
            let (low, high, size) = try randintBounds(a)
            return .tensor(try randint(low, high, size, dtype: try a.dtype(default: .int64), seed: try a.seed()))
        },
        Builtin("randn_like", category, [.required("x", .tensor), .optional("dtype", .dtype, "none"), requiresGrad, seed],
                summary: "Standard normal samples with the shape of x (and its dtype, float32 for integer x, unless given).",
                example: "noise = randn_like(x, seed=3)") { a in
            let x = try a.tensor("x")
            let d: DType? = a.isGiven("dtype") ? try a.dtype() : nil
            return try CreationBuiltins.leaf(a, try randnLike(x, dtype: d, seed: try a.seed()))
        },
        Builtin("rand_like", category, [.required("x", .tensor), .optional("dtype", .dtype, "none"), requiresGrad, seed],
                summary: "Uniform samples in [0, 1) with the shape of x (and its dtype, float32 for integer x, unless given).",
                example: "u = rand_like(x)") { a in
            let x = try a.tensor("x")
            let d: DType? = a.isGiven("dtype") ? try a.dtype() : nil
            return try CreationBuiltins.leaf(a, try randLike(x, dtype: d, seed: try a.seed()))
        },
        Builtin("he_normal", category, [.variadic("size", .shape), dtype, requiresGrad, seed],
                summary: "Kaiming normal initial weights N(0, 2/fan_in); fan_in = C_in·kh·kw of [C_out, C_in, kh, kw] (or in of [out, in]).",
                example: "w = he_normal(8, 1, 3, 3, seed=0, requires_grad=true)") { a in
            try CreationBuiltins.leaf(a, try heNormal(try a.shape("size"), dtype: try a.dtype(), seed: try a.seed()))
        },
        Builtin("xavier_uniform", category, [.variadic("size", .shape), dtype, requiresGrad, seed],
                summary: "Glorot uniform initial weights U(-a, a), a = √(6/(fan_in + fan_out)).",
                example: "w = xavier_uniform(10, 64, seed=0)") { a in
            try CreationBuiltins.leaf(a, try xavierUniform(try a.shape("size"), dtype: try a.dtype(), seed: try a.seed()))
        },
        Builtin("manual_seed", category, [.required("seed", .int)],
                summary: "Restarts the shared generator used by random calls without seed= (a reproducible session).",
                example: "manual_seed(0)") { a in
            manualSeed(try a.seed() ?? 0)
            return .none
        },
    ]

    /// `randint(low, high, size)` or `randint(high, size)` (low 0), as torch accepts both.
    private static func randintBounds(_ a: Arguments) throws -> (Int, Int, [Int]) {
        let low = try a.int("low")
        if a.isGiven("size") { return (low, try a.int("high"), try a.shape("size")) }
        guard a.value("high").isSequence else {
            throw a.error("high", "randint needs a size: randint(low, high, size) or randint(high, size)")
        }
        var sizes = a
        sizes.values["size"] = a.value("high")
        sizes.spans["size"] = a.span("high")
        return (0, low, try sizes.shape("size"))
    }
}

extension Arguments {
    /// `seed=`: nil when not given; a non-negative int otherwise.
    func seed(_ name: String = "seed") throws -> UInt64? {
        guard let s = try optionalInt(name) else { return nil }
        guard s >= 0 else { throw error(name, "seed must be a non-negative int, got \(s)") }
        return UInt64(s)
    }
}
