import TenshEngine

/// show, graph, plot, save_image: the language says what to draw; the
/// session's `DisplaySink` (the workbench pane, or text in plain mode) draws it.
enum DisplayBuiltins {
    static let category = "Inspection"

    static let all: [Builtin] = [
        Builtin("show", category, [.required("x", .tensor), .optional("sample", .int, "0"),
                                   .optional("cmap", .any, "none"), .optional("global", .bool, "false"),
                                   .optional("title", .any, "none")] + ViewBuiltins.showParameters,
                summary: "Feature maps as heatmaps: [N, C, H, W] shows sample n's C channels; 3-d, 2-d, 1-d too; "
                    + "a parameter [C_out, C_in, kh, kw] as a grid of filters; a picture in [0, 1] in colour, with an overlay.",
                example: "show(conv2d(x, w), cmap=\"gray\")") { a in
            var options = ShowOptions(sample: try a.int("sample"), colormap: try optionalString(a, "cmap"),
                                      globalNormalization: try a.bool("global"),
                                      title: try optionalString(a, "title") ?? a.context.sourceText(a.span("x")) ?? "x")
            try ViewBuiltins.readShowOptions(a, into: &options)
            try display(a, "show").show(try a.tensor("x"), options: options)
            return .none
        },
        Builtin("graph", category, [.required("y", .tensor)],
                summary: "The autograd graph that produced y (a layered DAG in the pane, an indented tree in text).",
                example: "graph(loss)") { a in
            try display(a, "graph").showGraph(of: try a.tensor("y"), title: a.context.sourceText(a.span("y")) ?? "y")
            return .none
        },
        Builtin("plot", category, [.required("values", .any), .optional("labels", .any, "none"),
                                   .optional("title", .any, "none")],
                summary: "A line chart of a 1-d tensor or list of numbers, or a list of them (several series).",
                example: "plot(losses, title=\"loss\")") { a in
            let series = try plotSeries(a)
            // Untitled plots are named by their argument (`plot(losses)` → "losses"), like show.
            let title = try optionalString(a, "title") ?? a.context.sourceText(a.span("values")) ?? ""
            try display(a, "plot").plot(series, title: title)
            return .none
        },
        Builtin("watch", category, [.required("expr", .any)],
                summary: "Keeps expr on screen, re-evaluated after every statement (the workbench); prints it once in plain mode.",
                example: "watch(loss)") { a in
            let value = a.value("expr")
            let expression = a.context.sourceText(a.span("expr")) ?? value.text
            try display(a, "watch").watch(expression: expression, value: value.text)
            return .none
        },
        Builtin("save_image", category, [.required("x", .tensor), .required("path", .string),
                                         .optional("cmap", .any, "none"), .optional("overlay", .any, "none"),
                                         .optional("alpha", .number, "0.5"), .optional("color", .any, "none"),
                                         .optional("scale", .int, "1")],
                summary: "Writes a PNG: a [3, H, W] tensor in [0, 1] (or any with color=true) as a photograph; with overlay=, "
                    + "the picture x with the heatmap blended over it; otherwise feature maps through cmap (a channel grid "
                    + "for 4-d input); one pixel per element, enlarged scale times.",
                example: "save_image(h, \"features.png\", cmap=\"viridis\", scale=8)", body: IOBuiltins.saveImage),
    ]

    static func display(_ a: Arguments, _ name: String) throws -> DisplaySink {
        guard let sink = a.context.display else {
            throw RuntimeError("\(name): there is no display in this session", at: a.callSpan)
        }
        return sink
    }

    static func optionalString(_ a: Arguments, _ name: String) throws -> String? {
        switch a.value(name) {
        case .none: return nil
        case .string(let s): return s
        default: throw a.error(name, "\(name) must be a string or none")
        }
    }

    /// One series per list element when given a list of lists/tensors; else one series.
    static func plotSeries(_ a: Arguments) throws -> [PlotSeries] {
        let labels: [String]
        switch a.value("labels") {
        case .none: labels = []
        case .list, .tuple: labels = (a.value("labels").sequenceItems ?? []).map { if case .string(let s) = $0 { return s } else { return "\($0)" } }
        case .string(let s): labels = [s]
        default: throw a.error("labels", "labels must be a string or a list of strings")
        }
        let value = a.value("values")
        var groups: [Value] = [value]
        if let items = value.sequenceItems, items.contains(where: { $0.sequenceItems != nil || $0.isTensor }) {
            groups = items
        }
        return try groups.enumerated().map { i, group in
            PlotSeries(label: i < labels.count ? labels[i] : (groups.count > 1 ? "s\(i)" : ""), values: try numbers(a, group))
        }
    }

    static func numbers(_ a: Arguments, _ value: Value) throws -> [Double] {
        var out: [Double] = []
        try appendNumbers(a, value, to: &out)
        return out
    }

    /// Plotted values are Doubles: the count is checked against the allocation
    /// limit as it grows (a view can be huge, and a list can hold one big list many times).
    private static func appendNumbers(_ a: Arguments, _ value: Value, to out: inout [Double]) throws {
        func reserve(_ count: Int) throws {
            guard count <= EngineConfig.maxTensorBytes / MemoryLayout<Double>.size else {
                throw a.error("values", "\(count) values to plot exceed the allocation limit of \(EngineConfig.maxTensorBytes) bytes as float64")
            }
        }
        switch value {
        case .tensor(let t):
            try reserve(out.count + t.count)
            out += t.toDoubles()
        case .int(let i):
            try reserve(out.count + 1)
            out.append(Double(i))
        case .float(let f):
            try reserve(out.count + 1)
            out.append(f)
        case .list, .tuple:
            for item in value.sequenceItems ?? [] { try appendNumbers(a, item, to: &out) }
        default: throw a.error("values", "plot needs numbers, a 1-d tensor, or a list of them")
        }
    }
}
