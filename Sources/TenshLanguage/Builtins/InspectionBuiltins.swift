import TenshEngine
import TenshText

/// summary, item, tolist.
enum InspectionBuiltins {
    static let category = "Inspection"

    static let all: [Builtin] = [
        Builtin("item", category, [.required("x", .tensor)],
                summary: "The number in a one-element tensor (an int for i64/bool tensors, else a float).",
                example: "loss_value = item(loss)") { a in
            let x = try a.tensor("x")
            guard x.count == 1 else { throw a.error("x", "item() needs a tensor with one element, got shape \(shapeText(x.shape))") }
            return number(try x.item(), x.dtype)
        },
        Builtin("tolist", category, [.required("x", .tensor)],
                summary: "The elements as (nested) lists of numbers; a 0-d tensor gives a number.",
                example: "tolist(arange(3))") { a in
            let x = try a.tensor("x")
            guard x.rank <= Value.maxListNesting else {
                throw a.error("x", "a tensor of rank \(x.rank) would make lists nested \(x.rank) deep (the limit is \(Value.maxListNesting))")
            }
            try ValueLimits.checkList(x.count)
            return try nest(x.toDoubles().map { number($0, x.dtype) }, x.shape)
        },
        Builtin("summary", category, [.required("x", .any)],
                summary: "One line: shape, dtype, min/max, mean, std, NaN/Inf count and grad_fn; for a module, "
                    + "each layer with its parameter count and the totals.",
                example: "summary(w)") { a in
            if case .module(let m) = a.value("x") {
                a.context.write(ModuleBuiltins.summary(m) + "\n")
                return .none
            }
            a.context.write(try line(try a.tensor("x")) + "\n")
            return .none
        },
        GraphExport.builtin,
    ]

    static func number(_ v: Double, _ dtype: DType) -> Value {
        switch dtype {
        case .bool: return .bool(v != 0)
        case .int64: return .int(saturatingInt(v))
        default: return .float(v)
        }
    }

    /// Row-major values as lists nested by `shape`, grouped from the last
    /// dimension out (no recursion). Every level's lists count against the limit.
    static func nest(_ values: [Value], _ shape: [Int]) throws -> Value {
        var level = values
        for k in shape.indices.reversed() {
            let size = shape[k]
            var lists = 1
            for n in shape[..<k] {
                let (product, overflow) = lists.multipliedReportingOverflow(by: n)
                lists = overflow ? Int.max : product
            }
            try ValueLimits.checkList(lists)
            level = (0..<lists).map { i in .list(Array(level[(i * size)..<((i + 1) * size)])) }
        }
        return level.first ?? .none
    }

    static func line(_ t: Tensor) throws -> String {
        let stats = try TensorStatistics(t, op: "summary")
        var text = "shape=\(shapeText(t.shape)) dtype=\(t.dtypeText)"
        if let lo = stats.min, let hi = stats.max, let mean = stats.mean, let std = stats.std {
            text += " min=\(NumberText.short(lo)) max=\(NumberText.short(hi)) mean=\(NumberText.short(mean)) std=\(NumberText.short(std))"
        }
        text += " nan=\(stats.nans) inf=\(stats.infs)"
        if let node = t.gradFn { text += " grad_fn=\(node.gradFnName)" } else if t.requiresGrad { text += " requires_grad=true" }
        return text
    }
}

