import TenshEngine

/// Rounding, value tests and floored division, as torch: floor, ceil, round, trunc,
/// isnan, isinf, floor_divide, remainder (elementwise), allclose and equal (one answer).
enum NumericBuiltins {
    static let category = ElementwiseBuiltins.category

    private static let roundingTable: [(String, String, (Tensor) throws -> Tensor)] = [
        ("floor", "the largest integer <= x", floor), ("ceil", "the smallest integer >= x", ceil),
        ("trunc", "x rounded toward zero", trunc),
        ("isnan", "true where x is NaN", isnan), ("isinf", "true where x is +inf or -inf", isinf),
    ]

    static let all: [Builtin] = roundingTable.map { name, what, f in
        Builtin(name, category, [.required("x", .tensor)], summary: "Elementwise \(what) (gradient zero).", example: "\(name)(x)") { a in
            .tensor(try f(try a.floatTensor("x")))
        }
    } + [
        Builtin("round", category, [.required("x", .tensor), .optional("decimals", .int, "0")],
                summary: "Elementwise rounding half to even (round(2.5) is 2), to decimals places; gradient zero. Of a number, Python's round: an int without decimals.",
                example: "round(x, decimals=2)") { a in
            if let n = try pythonRound(a) { return n }
            return .tensor(try round(try a.floatTensor("x"), decimals: try a.int("decimals")))
        },
        Builtin("floor_divide", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "⌊x / y⌋ elementwise (x // y on tensors); integers stay integers, integer division by zero is an error.",
                example: "floor_divide(i, 3)") { a in
            .tensor(try floorDivide(try a.tensor("x"), try a.tensor("y")))
        },
        Builtin("remainder", category, [.required("x", .tensor), .required("y", .tensor)],
                summary: "x - y·⌊x / y⌋ elementwise (x % y on tensors): the result has y's sign; differentiable.",
                example: "remainder(i, 3)") { a in
            .tensor(try remainder(try a.tensor("x"), try a.tensor("y")))
        },
        Builtin("allclose", "Comparison", [.required("x", .tensor), .required("y", .tensor), .optional("rtol", .number, "1e-05"),
                                           .optional("atol", .number, "1e-08"), .optional("equal_nan", .bool, "false")],
                summary: "Whether |x - y| <= atol + rtol·|y| everywhere (broadcasting); true or false.",
                example: "allclose(a, b, atol=1e-6)") { a in
            .bool(try allclose(try a.tensor("x"), try a.tensor("y"), rtol: try a.double("rtol"), atol: try a.double("atol"),
                               equalNaN: try a.bool("equal_nan")))
        },
        Builtin("equal", "Comparison", [.required("x", .tensor), .required("y", .tensor)],
                summary: "Whether x and y have the same shape and equal elements; true or false.",
                example: "equal(a, b)") { a in
            .bool(try equal(try a.tensor("x"), try a.tensor("y")))
        },
    ]

    /// Python's `round(x)` (an int, half to even) and `round(x, n)` (a float, as its
    /// correctly rounded decimal text) when x is a number; nil for tensors.
    static func pythonRound(_ a: Arguments) throws -> Value? {
        let given = a.spans["decimals"] != nil
        switch a.value("x") {
        case .int(let i): return given ? .int(i) : .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            guard given else {
                guard d.isFinite else { throw a.error("x", "cannot convert float \(NumberRepr.format(d)) to an int") }
                return .int(saturatingInt(d.rounded(.toNearestOrEven)))
            }
            let n = try a.int("decimals")
            guard d.isFinite, n >= 0, n <= 300 else { return .float(d) }
            return .float(Double(PythonFormat.fixed(d, precision: n)) ?? d)
        default: return nil
        }
    }
}
