import TenshEngine
import TenshText
#if canImport(Glibc)
import Glibc
#endif

/// print, help, args, exit, clock, range, len.
enum CoreBuiltins {
    static let category = "Core"

    static let all: [Builtin] = [
        Builtin("print", category, [.variadic("values", .any), .optional("sep", .string, "\" \""), .optional("end", .string, "\"\\n\"")],
                summary: "Prints values separated by `sep`; tensors as PyTorch's repr.",
                example: "print(\"loss\", loss)") { a in
            let sep = try a.string("sep")
            let end = a.spans["end"] != nil ? try a.string("end") : "\n" // the default, `"\n"`
            let text = a.list("values").map(\.text).joined(separator: sep) + end
            try Cancellation.check("print")
            a.context.write(text)
            return .none
        },
        Builtin("help", category, [.optional("name", .any, "none")],
                summary: "Describes a builtin (its signature, what it does, an example); without an argument lists them all.",
                example: "help(\"conv2d\")") { a in
            a.context.write(try helpText(a) + "\n")
            return .none
        },
        Builtin("args", category, [],
                summary: "The command-line arguments after the script name, as a list of strings.",
                example: "n = len(args())") { a in
            .list(a.context.scriptArguments.map(Value.string))
        },
        Builtin("exit", category, [.optional("code", .int, "0")],
                summary: "Stops the script (or the REPL) with an exit code.",
                example: "exit(1)") { a in
            let code = try a.int("code")
            guard code >= 0 && code <= 255 else { throw a.error("code", "exit code must be in 0...255, got \(code)") }
            throw ExitRequest(code: Int32(code))
        },
        Builtin("clock", category, [],
                summary: "Seconds on a monotonic clock, as a float (differences measure time).",
                example: "t0 = clock(); train(); print(clock() - t0)") { _ in
            .float(monotonicSeconds())
        },
        range,
        Builtin("include", category, [.required("path", .string)],
                summary: "Runs another script in this session (its functions and variables stay); the path is relative to the including file.",
                example: "include(\"helpers.tsh\")") { a in
            try a.context.include(try a.string("path"), at: a.span("path"))
            return .none
        },
        Builtin("progress", category, [.required("items", .any), .optional("label", .string, "\"\"")],
                summary: "Wraps a loop's list (or tensor): draws a progress bar with rate and ETA on the status line (nothing when not a terminal).",
                example: "for step in progress(range(100), label=\"train\") { }") { a in
            let items = try a.context.iterate(a.value("items"), at: a.span("items"))
            return .progress(ProgressIterable(items: items, label: try a.string("label")))
        },
        Builtin("len", category, [.required("x", .any)],
                summary: "Length of a list or string, or the size of a tensor's first dimension.",
                example: "len([1, 2, 3])") { a in
            switch a.value("x") {
            case .list(let box): return .int(box.items.count)
            case .tuple(let box): return .int(box.items.count)
            case .dict(let box): return .int(box.count)
            case .progress(let p): return .int(p.items.count)
            case .module(let m): return .int(m.childEntries.count)
            case .string(let s): return .int(s.count)
            case .tensor(let t):
                guard t.rank > 0 else { throw a.error("x", "len() of a 0-d tensor") }
                return .int(t.shape[0])
            case let v: throw a.error("x", "len() of \(v.typeNameWithArticle)")
            }
        },
    ]

    /// A direct call of this builtin in `for` is walked without its list (`IntRange`).
    static let range = Builtin("range", category,
                               [.required("start", .int), .optional("stop", .int, "none"), .optional("step", .int, "1")],
                               summary: "The list of ints [start, stop) by step; range(n) is 0 ..< n.",
                               example: "for i in range(3) { print(i) }") { a in
        let range = try IntRange(a)
        return .list(try ValueLimits.build(range.count, "range") { .int(range.value(at: $0)) })
    }

    /// Seconds since a fixed point in the past (the system's boot, as Python's
    /// `time.monotonic()` on Linux): never negative, never going back.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    private static func helpText(_ a: Arguments) throws -> String {
        let registry = a.context.registry
        switch a.value("name") {
        case .none:
            return registry.categories.map { c in
                "\(c): " + registry.all.filter { $0.category == c }.map(\.name).joined(separator: ", ")
            }.joined(separator: "\n") + "\nStatements: no_grad { }, time { }, def, if, for, while\nhelp(\"name\") describes one."
        case .builtin(let b): return b.help
        case .function(let f): return "\(f.name)(\(f.parameterNames.joined(separator: ", "))) — a function defined with def"
        case .string(let name):
            if let b = registry[name] { return b.help }
            if let text = statementHelp[name] { return text }
            let hint = Suggestions.hint(for: name, in: registry.names + Array(statementHelp.keys))
            throw a.error("name", "no builtin named \(Escaping.pythonRepr(name))\(hint)")
        case let v: throw a.error("name", "help takes a name or a function, got \(v.typeName)")
        }
    }

    static let statementHelp: [String: String] = [
        "no_grad": "no_grad { ... }\n    Runs the block without recording the autograd graph.",
        "time": "time { ... }\n    Runs the block and prints its wall time.",
    ]
}
