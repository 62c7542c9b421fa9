import TenshEngine
import TenshText

/// tensor, zeros, ones, full, arange, linspace, eye, zeros_like, ones_like.
/// float32 unless `dtype=` says otherwise; `requires_grad=true` makes a leaf parameter.
enum CreationBuiltins {
    static let category = "Creation"
    static let dtype = BuiltinParameter.optional("dtype", .dtype, "\"f32\"")
    static let requiresGrad = BuiltinParameter.optional("requires_grad", .bool, "false")

    static let all: [Builtin] = [
        tensorBuiltin,
        Builtin("zeros", category, [.variadic("size", .shape), dtype, requiresGrad],
                summary: "A tensor of zeros of the given sizes.",
                example: "zeros(2, 3)") { a in
            try leaf(a, try zeros(try a.shape("size"), dtype: try a.dtype()))
        },
        Builtin("ones", category, [.variadic("size", .shape), dtype, requiresGrad],
                summary: "A tensor of ones of the given sizes.",
                example: "ones([2, 3], dtype=\"f64\")") { a in
            try leaf(a, try ones(try a.shape("size"), dtype: try a.dtype()))
        },
        Builtin("full", category, [.required("size", .shape), .required("fill_value", .number), dtype, requiresGrad],
                summary: "A tensor of the given sizes filled with fill_value.",
                example: "full([2, 2], 0.5)") { a in
            try leaf(a, try full(try a.shape("size"), try a.double("fill_value"), dtype: try a.dtype()))
        },
        Builtin("arange", category, [.required("start", .number), .optional("end", .number, "none"),
                                     .optional("step", .number, "1"), dtype, requiresGrad],
                summary: "Values from start up to (not including) end by step; arange(n) is 0 ..< n.",
                example: "arange(0, 1, 0.25)") { a in
            var start = try a.double("start"), end = 0.0
            if a.isGiven("end") { end = try a.double("end") } else { (start, end) = (0, start) }
            return try leaf(a, try arange(start, end, step: try a.double("step"), dtype: try a.dtype()))
        },
        Builtin("linspace", category, [.required("start", .number), .required("end", .number), .required("steps", .int),
                                       dtype, requiresGrad],
                summary: "steps evenly spaced values from start to end, both included.",
                example: "linspace(0, 1, 5)") { a in
            try leaf(a, try linspace(try a.double("start"), try a.double("end"), steps: try a.int("steps"), dtype: try a.dtype()))
        },
        Builtin("eye", category, [.required("n", .int), .optional("m", .int, "none"), dtype, requiresGrad],
                summary: "The n×m identity matrix (m defaults to n).",
                example: "eye(3)") { a in
            let n = try a.int("n"), m = try a.optionalInt("m")
            guard n >= 0, (m ?? 0) >= 0 else { throw a.error("n", "sizes must be non-negative, got \(n), \(m ?? n)") }
            return try leaf(a, try eye(n, m, dtype: try a.dtype()))
        },
        Builtin("zeros_like", category, [.required("x", .tensor), .optional("dtype", .dtype, "none"), requiresGrad],
                summary: "Zeros with the shape (and dtype, unless given) of x.",
                example: "zeros_like(w)") { a in
            let x = try a.tensor("x")
            return try leaf(a, try zerosLike(x, dtype: try a.dtype(default: x.dtype)))
        },
        Builtin("ones_like", category, [.required("x", .tensor), .optional("dtype", .dtype, "none"), requiresGrad],
                summary: "Ones with the shape (and dtype, unless given) of x.",
                example: "ones_like(w)") { a in
            let x = try a.tensor("x")
            return try leaf(a, try onesLike(x, dtype: try a.dtype(default: x.dtype)))
        },
    ]

    /// The interpreter hands this one a bracket literal's numbers unrounded.
    static let tensorBuiltin = Builtin("tensor", category, [.required("data", .any), .optional("dtype", .dtype, "none"), requiresGrad],
                                       summary: "A new tensor from a number, a (nested) list of numbers or tensors, or a tensor (copied).",
                                       example: "tensor([[1, 2], [3, 4]], dtype=\"f64\")") { a in
        try leaf(a, try makeTensor(a))
    }

    /// Applies `requires_grad=`.
    static func leaf(_ a: Arguments, _ t: Tensor) throws -> Value {
        if try a.bool("requires_grad") { try t.setRequiresGrad() }
        return .tensor(t)
    }

    /// `tensor(data)`: numbers, nested lists of numbers / tensors, or a tensor to copy.
    private static func makeTensor(_ a: Arguments) throws -> Tensor {
        let data = a.value("data")
        if case .tensor(let t) = data {
            return try GradMode.noGrad { try t.detached().to(try a.dtype(default: t.dtype)).cloned() }
        }
        var values: [Double] = []
        var allBool = true
        let shape = try flatten(data, into: &values, allBool: &allBool, a)
        let fallback: DType = allBool && !values.isEmpty ? .bool : .float32
        return try Tensor(values, shape: shape, dtype: try a.dtype(default: fallback))
    }

    /// Appends the row-major values of `v` and returns its shape; lists must be rectangular.
    private static func flatten(_ v: Value, into values: inout [Double], allBool: inout Bool, _ a: Arguments,
                                depth: Int = 0) throws -> [Int] {
        switch v {
        case .bool(let b):
            try ValueLimits.checkNumbers(values.count + 1, "tensor")
            values.append(b ? 1 : 0)
            return []
        case .int, .float:
            allBool = false
            try ValueLimits.checkNumbers(values.count + 1, "tensor")
            values.append(v.number ?? 0)
            return []
        case .tensor(let t):
            allBool = allBool && t.dtype == .bool
            try ValueLimits.checkNumbers(values.count + t.count, "tensor")
            values += t.toDoubles()
            return t.shape
        case .list, .tuple:
            let items = v.sequenceItems ?? []
            guard depth < 32 else { throw a.error("data", "lists nested more than 32 deep cannot become a tensor") }
            var inner: [Int]?
            for item in items {
                let s = try flatten(item, into: &values, allBool: &allBool, a, depth: depth + 1)
                if let inner, inner != s {
                    throw a.error("data", "the list is not rectangular: an element of shape \(shapeText(s)) next to \(shapeText(inner))")
                }
                inner = s
            }
            if items.isEmpty { allBool = false }
            return [items.count] + (inner ?? [])
        default:
            throw a.error("data", "tensor() takes numbers, lists and tensors, found \(v.typeName)")
        }
    }
}
