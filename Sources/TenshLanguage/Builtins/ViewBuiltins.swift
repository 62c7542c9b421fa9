import TenshEngine
import TenshText

/// stats, hist, explain, and the options `show` takes for filters, pictures and
/// overlays: what is inside a network. The numbers come from the engine; the
/// session's `DisplaySink` draws them (the pane, or text in plain mode).
enum ViewBuiltins {
    static let category = "Inspection"

    static let all: [Builtin] = [
        Builtin("stats", category, [.required("y", .tensor), .optional("title", .any, "none")],
                summary: "Every node of y's graph in order: shape, mean, std, min, max, |grad|, |grad|/|value|, "
                    + "dead ReLU units, NaN/Inf counts with the first NaN/Inf marked as the origin; returns the rows as a list of dicts.",
                example: "backward(loss); stats(loss)") { a in
            let y = try a.tensor("y")
            let context = a.context
            let rows = try NodeStatistics.of(y, name: { context.variableName(of: $0) },
                                             gradient: { $0.grad ?? context.retainedGradients?.gradient(of: $0) })
            let title = try DisplayBuiltins.optionalString(a, "title") ?? context.sourceText(a.span("y")) ?? "y"
            try DisplayBuiltins.display(a, "stats").showStatistics(rows, of: y, title: title)
            return .list(try rows.map(statisticsDict))
        },
        Builtin("hist", category, [.required("x", .tensor), .optional("bins", .int, "30"), .optional("log", .bool, "false"),
                                   .optional("title", .any, "none")],
                summary: "A histogram of x's values (activations, gradients, weights) with the range, mean and count of zeros.",
                example: "hist(w.grad, bins=50, log=true)") { a in
            let bins = try a.int("bins")
            guard (1...1000).contains(bins) else { throw a.error("bins", "bins must be between 1 and 1000, got \(bins)") }
            let title = try DisplayBuiltins.optionalString(a, "title") ?? a.context.sourceText(a.span("x")) ?? "x"
            let options = HistogramOptions(bins: bins, logScale: try a.bool("log"), title: title)
            try DisplayBuiltins.display(a, "hist").histogram(try a.tensor("x"), options: options)
            return .none
        },
        Builtin("explain", category, [.required("y", .tensor), .required("index", .intPair), .optional("title", .any, "none")],
                summary: "How one element of a conv2d, conv_transpose2d or pooling output is made: its receptive field, "
                    + "the kernel slice and the products that sum to it.",
                example: "explain(conv2d(x, w, padding=1), [0, 2, 3, 3])") { a in
            let title = try DisplayBuiltins.optionalString(a, "title") ?? a.context.sourceText(a.span("y")) ?? "y"
            try DisplayBuiltins.display(a, "explain").explain(try a.tensor("y"), index: try a.ints("index"), title: title)
            return .none
        },
    ]

    /// `show`'s keywords for the newer views.
    static let showParameters: [BuiltinParameter] = [
        .optional("filters", .any, "none"), .optional("rgb", .any, "none"),
        .optional("overlay", .any, "none"), .optional("alpha", .number, "0.5"),
    ]

    static func readShowOptions(_ a: Arguments, into options: inout ShowOptions) throws {
        options.filters = try optionalBool(a, "filters")
        options.rgb = try optionalBool(a, "rgb")
        if a.isGiven("overlay") {
            guard case .tensor(let heat) = a.value("overlay") else {
                throw a.error("overlay", "overlay must be a tensor (a heatmap), got \(a.value("overlay").typeName)")
            }
            options.overlay = heat
        }
        let alpha = try a.double("alpha")
        guard alpha >= 0, alpha <= 1 else { throw a.error("alpha", "alpha must be between 0 and 1, got \(NumberText.short(alpha))") }
        options.alpha = alpha
    }

    static func optionalBool(_ a: Arguments, _ name: String) throws -> Bool? {
        switch a.value(name) {
        case .none: return nil
        case .bool(let b): return b
        case let v: throw a.error(name, "\(name) must be true, false or none, got \(v.typeName)")
        }
    }

    /// One row of `stats` as a dict, keys named after the table's columns.
    static func statisticsDict(_ row: NodeStatistics) throws -> Value {
        let optional: (Double?) -> Value = { $0.map(Value.float) ?? .none }
        return .dict(try DictBox([
            (.string("index"), .int(row.index)), (.string("node"), .string(row.name)), (.string("op"), .string(row.op)),
            (.string("shape"), .tuple(row.shape.map(Value.int))), (.string("dtype"), .string(row.dtype.rawValue)),
            (.string("mean"), .float(row.mean)), (.string("std"), .float(row.std)), (.string("min"), .float(row.min)),
            (.string("max"), .float(row.max)), (.string("norm"), .float(row.norm)), (.string("grad_norm"), optional(row.gradientNorm)),
            (.string("grad_ratio"), optional(row.gradientRatio)), (.string("dead"), optional(row.deadFraction)),
            (.string("nan"), .int(row.nanCount)), (.string("inf"), .int(row.infCount)), (.string("origin"), .bool(row.isOrigin)),
        ]))
    }
}
