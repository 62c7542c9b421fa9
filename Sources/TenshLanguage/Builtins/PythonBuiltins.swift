import TenshEngine
import TenshText

/// Python's builtins on lists, tuples, dicts and numbers: what a PyTorch user
/// writes around the tensors (`sorted`, `enumerate`, `zip`, `dict`, `str`, ...).
enum PythonBuiltins {
    static let category = "Python values"

    static let all: [Builtin] = conversions + [
        Builtin("sorted", category, [.required("items", .any), .optional("key", .any, "none"), .optional("reverse", .bool, "false")],
                summary: "A new list of the items in ascending order (stable); key= a function to sort by, reverse=true for descending.",
                example: "sorted(d.keys())") { a in
            let items = try a.context.iterate(a.value("items"), at: a.span("items"))
            let keys = try a.isGiven("key") ? items.map { try a.context.call(a.value("key"), [$0], at: a.span("key")) } : items
            let reverse = try a.bool("reverse")
            var failure: Error?
            // Ties keep their order (Python's sort is stable, reversed too).
            let order = items.indices.sorted { i, j in
                guard failure == nil else { return i < j }
                do {
                    if try reverse ? Value.less(keys[j], keys[i]) : Value.less(keys[i], keys[j]) { return true }
                    if try reverse ? Value.less(keys[i], keys[j]) : Value.less(keys[j], keys[i]) { return false }
                } catch { failure = error }
                return i < j
            }
            if let failure { throw failure }
            return .list(order.map { items[$0] })
        },
        Builtin("reversed", category, [.required("items", .any)],
                summary: "The items in reverse order, as a list.", example: "for x in reversed(xs) { }") { a in
            .list(try a.context.iterate(a.value("items"), at: a.span("items")).reversed())
        },
        Builtin("enumerate", category, [.required("items", .any), .optional("start", .int, "0")],
                summary: "The list of (index, item) tuples.", example: "for i, x in enumerate(xs) { }") { a in
            let start = try a.int("start")
            return .list(try a.context.iterate(a.value("items"), at: a.span("items")).enumerated().map {
                .tuple([.int(start + $0.offset), $0.element])
            })
        },
        Builtin("zip", category, [.variadic("lists", .any)],
                summary: "Tuples of the i-th items of each argument, as long as the shortest.", example: "for x, y in zip(xs, ys) { }") { a in
            let lists = try a.list("lists").map { try a.context.iterate($0, at: a.span("lists")) }
            let n = lists.map(\.count).min() ?? 0
            return .list((0..<n).map { i in .tuple(lists.map { $0[i] }) })
        },
        Builtin("any", category, [.required("x", .any)],
                summary: "Whether any item (or tensor element) is true.", example: "any(x > 0)") { a in
            if case .tensor(let t) = a.value("x") { return .bool(t.toDoubles().contains { $0 != 0 }) }
            return .bool(try a.context.iterate(a.value("x"), at: a.span("x")).contains { try $0.truthy() })
        },
        Builtin("all", category, [.required("x", .any)],
                summary: "Whether every item (or tensor element) is true.", example: "all(x >= 0)") { a in
            if case .tensor(let t) = a.value("x") { return .bool(t.toDoubles().allSatisfy { $0 != 0 }) }
            return .bool(try a.context.iterate(a.value("x"), at: a.span("x")).allSatisfy { try $0.truthy() })
        },
    ]

    static let conversions: [Builtin] = [
        Builtin("list", category, [.optional("items", .any, "none")],
                summary: "A new list of the items of a list, tuple, dict (its keys), string or tensor (its rows).",
                example: "l = list(range(3))") { a in
            guard a.isGiven("items") else { return .list([]) }
            return .list(try a.context.iterate(a.value("items"), at: a.span("items")))
        },
        Builtin("tuple", category, [.optional("items", .any, "none")],
                summary: "A tuple of the items of a list, dict, string or tensor.", example: "t = tuple(x.shape)") { a in
            guard a.isGiven("items") else { return .tuple([]) }
            if case .tuple = a.value("items") { return a.value("items") }
            return .tuple(try a.context.iterate(a.value("items"), at: a.span("items")))
        },
        dict,
        Builtin("str", category, [.optional("x", .any, "\"\"")],
                summary: "The text of a value, as print shows it.", example: "\"epoch \" + str(e)") { a in
            .string(a.value("x").text)
        },
        Builtin("repr", category, [.required("x", .any)],
                summary: "The value as the REPL echoes it (strings quoted).", example: "repr(\"a\")") { a in
            .string(a.value("x").repr)
        },
        Builtin("format", category, [.required("x", .any), .optional("spec", .string, "\"\"")],
                summary: "x formatted by a Python format spec (as in an f-string field): \".3e\", \">8.2f\", \",\", \".1%\".",
                example: "format(loss, \".4f\")") { a in
            .string(try a.context.located(a.span("spec")) { try FormatSpec.format(a.value("x"), try a.string("spec")) })
        },
        Builtin("int", category, [.optional("x", .any, "0")],
                summary: "An int from a number (toward zero), a string, or a one-element tensor.", example: "int(\"42\")") { a in
            try toInt(a.value("x"), a)
        },
        Builtin("float", category, [.optional("x", .any, "0.0")],
                summary: "A float from a number, a string (\"inf\", \"nan\" too) or a one-element tensor.", example: "float(loss)") { a in
            try toFloat(a.value("x"), a)
        },
        Builtin("bool", category, [.optional("x", .any, "false")],
                summary: "The truth value (a tensor must have one element).", example: "bool([])") { a in
            .bool(try a.value("x").truthy())
        },
    ]

    /// `dict(lr=0.1)`, `dict(d)`, `dict([("a", 1)])`; keyword arguments are taken
    /// by the interpreter (any name is a key).
    static let dict = Builtin("dict", category, [.optional("items", .any, "none")],
                              summary: "A new dict: from another dict, from (key, value) pairs, and from keyword arguments name=value.",
                              example: "d = dict(lr=0.1, momentum=0.9)") { a in
        let box = DictBox()
        switch a.value("items") {
        case .none: break
        case .dict(let other): for (k, v) in other.entries { try box.set(k, v) }
        case let items:
            for pair in try a.context.iterate(items, at: a.span("items")) {
                guard let kv = pair.sequenceItems, kv.count == 2 else {
                    throw a.error("items", "dict() needs (key, value) pairs, found \(pair.typeNameWithArticle)")
                }
                try box.set(kv[0], kv[1])
            }
        }
        return .dict(box)
    }

    static func toInt(_ v: Value, _ a: Arguments) throws -> Value {
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            guard d.isFinite else { throw a.error("x", "cannot convert float \(NumberRepr.format(d)) to an int") }
            return .int(saturatingInt(d.rounded(.towardZero)))
        case .string(let s):
            let trimmed = s.trimmingSpaces.replacingUnderscores
            guard let i = Int(trimmed) else { throw a.error("x", "invalid literal for int() with base 10: \(Escaping.pythonRepr(s))") }
            return .int(i)
        case .tensor(let t):
            guard t.count == 1 else { throw a.error("x", "only one-element tensors can be converted to an int, got shape \(shapeText(t.shape))") }
            return try toInt(.float(try t.item()), a)
        default: throw a.error("x", "int() takes a number, a string or a one-element tensor, got \(v.typeName)")
        }
    }

    static func toFloat(_ v: Value, _ a: Arguments) throws -> Value {
        switch v {
        case .float: return v
        case .int, .bool: return .float(v.number ?? 0)
        case .string(let s):
            let t = s.trimmingSpaces.lowercased()
            let special: [String: Double] = ["inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity,
                                             "-infinity": -.infinity, "nan": .nan, "+nan": .nan, "-nan": .nan]
            if let d = special[t] ?? Double(t.replacingUnderscores), !t.contains("x") { return .float(d) }
            throw a.error("x", "could not convert string to float: \(Escaping.pythonRepr(s))")
        case .tensor(let t):
            guard t.count == 1 else { throw a.error("x", "only one-element tensors can be converted to a float, got shape \(shapeText(t.shape))") }
            return .float(try t.item())
        default: throw a.error("x", "float() takes a number, a string or a one-element tensor, got \(v.typeName)")
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `1_000` as Python reads it in int() and float(): underscores between digits are dropped.
    var replacingUnderscores: String { split(separator: "_", omittingEmptySubsequences: false).joined() }
}
