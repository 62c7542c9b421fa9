import TenshEngine
import TenshText

/// PyTorch's tensor methods that are not also functions in tensh:
/// `x.float()`, `x.size(1)`, `x.numel()`, `x.t()`, ... (`x.sum(dim=1)` and the
/// others that are builtins call the builtin with x first).
enum TensorMethods {
    static let category = "Tensor methods"

    private static func conversion(_ name: String, _ dtype: DType) -> Builtin {
        Builtin(name, category, [.required("self", .tensor)],
                summary: "x converted to \(dtype) (x itself when it has that dtype), as x.to(\"\(dtype)\").",
                example: "x.\(name)()") { a in
            .tensor(try a.tensor("self").to(dtype))
        }
    }

    static let all: [Builtin] = [
        conversion("float", .float32), conversion("double", .float64), conversion("long", .int64), conversion("bool", .bool),
        Builtin("numel", category, [.required("self", .tensor)], summary: "The number of elements.", example: "x.numel()") { a in
            .int(try a.tensor("self").count)
        },
        Builtin("dim", category, [.required("self", .tensor)], summary: "The number of dimensions (x.ndim).", example: "x.dim()") { a in
            .int(try a.tensor("self").rank)
        },
        Builtin("size", category, [.required("self", .tensor), .optional("dim", .int, "none")],
                summary: "The shape as a tuple, or the size of one dimension.", example: "n = x.size(0)") { a in
            let t = try a.tensor("self")
            guard let d = try a.optionalInt("dim") else { return .tuple(t.shape.map(Value.int)) }
            guard d >= -t.rank && d < t.rank else {
                throw a.error("dim", "Dimension out of range (expected to be in range of [\(-t.rank), \(t.rank - 1)], but got \(d))")
            }
            return .int(t.shape[d < 0 ? d + t.rank : d])
        },
        Builtin("t", category, [.required("self", .tensor)], summary: "The transpose of a matrix (x.T); a 0-d or 1-d tensor as it is.",
                example: "w.t()") { a in
            let t = try a.tensor("self")
            guard t.rank == 2 else {
                guard t.rank < 2 else { throw a.error("self", "t() expects a tensor with <= 2 dimensions, but self is \(t.rank)D") }
                return .tensor(t)
            }
            return .tensor(try t.transposed(0, 1))
        },
        Builtin("requires_grad_", category, [.required("self", .tensor), .optional("requires_grad", .bool, "true")],
                summary: "Sets requires_grad on a leaf and returns it.", example: "w = randn(3, 3).requires_grad_()") { a in
            .tensor(try a.tensor("self").setRequiresGrad(try a.bool("requires_grad")))
        },
    ]

    static let byName: [String: Builtin] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
