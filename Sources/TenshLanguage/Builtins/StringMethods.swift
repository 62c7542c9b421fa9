import TenshText

/// The methods of strings: `s.split(",")`, `", ".join(names)`, `s.strip()`, ...
enum StringMethods {
    static let category = "Methods of strings"

    static func string(_ a: Arguments) throws -> String {
        guard case .string(let s) = a.value("self") else { throw a.error("self", "expected a string") }
        return s
    }

    static let all: [Builtin] = [
        Builtin("split", category, [.required("self", .any), .optional("sep", .any, "none"), .optional("maxsplit", .int, "-1")],
                summary: "The parts between separators (runs of whitespace when sep is none), as a list.",
                example: "\"a,b\".split(\",\")") { a in
            let s = try string(a)
            let limit = try a.int("maxsplit")
            let maxSplits = limit < 0 ? Int.max : limit
            if case .string(let sep) = a.value("sep") {
                guard !sep.isEmpty else { throw a.error("sep", "empty separator") }
                return .list(split(s, by: sep, maxSplits: maxSplits).map(Value.string))
            }
            let parts = s.split(maxSplits: maxSplits, omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            return .list(parts.map { .string(String($0)) })
        },
        Builtin("join", category, [.required("self", .any), .required("items", .any)],
                summary: "The strings of items with this string between them.", example: "\", \".join(names)") { a in
            let sep = try string(a)
            let items = try a.context.iterate(a.value("items"), at: a.span("items"))
            var total = 0
            let parts = try items.enumerated().map { i, item -> String in
                guard case .string(let s) = item else {
                    throw a.error("items", "sequence item \(i): expected a string, found \(item.typeName) (use str(x) or an f-string)")
                }
                total += s.utf8.count + sep.utf8.count
                try ValueLimits.checkString(total)
                return s
            }
            return .string(parts.joined(separator: sep))
        },
        Builtin("strip", category, [.required("self", .any)],
                summary: "The string without leading and trailing whitespace.", example: "line.strip()") { a in
            .string(try string(a).trimmingSpaces)
        },
        Builtin("replace", category, [.required("self", .any), .required("old", .string), .required("new", .string)],
                summary: "The string with every occurrence of old replaced by new.", example: "name.replace(\".\", \"_\")") { a in
            let s = try string(a), old = try a.string("old"), new = try a.string("new")
            guard !old.isEmpty else { throw a.error("old", "replacing an empty string is not supported") }
            let parts = split(s, by: old, maxSplits: Int.max)
            let (size, overflow) = (parts.count - 1).multipliedReportingOverflow(by: new.utf8.count)
            try ValueLimits.checkString(s.utf8.count &+ size, overflow: overflow)
            return .string(parts.joined(separator: new))
        },
        Builtin("startswith", category, [.required("self", .any), .required("prefix", .string)],
                summary: "Whether the string starts with prefix.", example: "name.startswith(\"conv\")") { a in
            .bool(try string(a).unicodeScalars.starts(with: try a.string("prefix").unicodeScalars))
        },
        Builtin("endswith", category, [.required("self", .any), .required("suffix", .string)],
                summary: "Whether the string ends with suffix.", example: "name.endswith(\".weight\")") { a in
            .bool(try string(a).unicodeScalars.reversed().starts(with: try a.string("suffix").unicodeScalars.reversed()))
        },
        Builtin("upper", category, [.required("self", .any)], summary: "The string in upper case.", example: "s.upper()") { a in
            .string(try string(a).uppercased())
        },
        Builtin("lower", category, [.required("self", .any)], summary: "The string in lower case.", example: "s.lower()") { a in
            .string(try string(a).lowercased())
        },
        Builtin("format", category, [.required("self", .any), .variadic("values", .any)],
                summary: "The string with each {} (or {0}, {:.3f}) replaced by the values formatted.",
                example: "\"{:.2f}\".format(x)") { a in
            .string(try FormatSpec.formatTemplate(try string(a), a.list("values")))
        },
    ]

    /// `s` cut at every `sep` (at most `maxSplits` times), matching on Unicode scalars as Python does.
    static func split(_ s: String, by sep: String, maxSplits: Int) -> [String] {
        let text = Array(s.unicodeScalars), pattern = Array(sep.unicodeScalars)
        var parts: [String] = [], start = 0, i = 0, splits = 0
        while i + pattern.count <= text.count, splits < maxSplits {
            if text[i..<(i + pattern.count)].elementsEqual(pattern) {
                parts.append(String(String.UnicodeScalarView(text[start..<i])))
                i += pattern.count
                start = i
                splits += 1
            } else {
                i += 1
            }
        }
        parts.append(String(String.UnicodeScalarView(text[start...])))
        return parts
    }
}
