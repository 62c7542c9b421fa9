import TenshEngine

/// What a builtin's parameter accepts. Binding checks it before the builtin
/// runs, so a wrong type is reported at that argument's span.
public enum ParameterKind: String, Sendable {
    case tensor        // a tensor, or a number (becomes a 0-d tensor)
    case number        // int or float (or a one-element tensor)
    case int
    case bool
    case string
    case dtype         // "f32" | "f64" | "i64" | "bool"
    case shape         // ints, or one list of ints
    case dims          // an int or a list of ints
    case intPair       // an int or a list of ints (stride, padding, ...)
    case tensors       // a tensor or a list of tensors
    case list
    case function
    case any

    /// Words for "must be ..." messages.
    var expected: String {
        switch self {
        case .tensor: return "a tensor or a number"
        case .number: return "a number"
        case .int: return "an int"
        case .bool: return "true or false"
        case .string: return "a string"
        case .dtype: return "a dtype name (\"f32\", \"f64\", \"i64\" or \"bool\")"
        case .shape: return "sizes (ints or a list of ints)"
        case .dims, .intPair: return "an int or a list of ints"
        case .tensors: return "a tensor or a list of tensors"
        case .list: return "a list"
        case .function: return "a function"
        case .any: return "a value"
        }
    }

    func accepts(_ v: Value) -> Bool {
        switch (self, v) {
        case (.any, _): return true
        case (.tensor, .tensor), (.tensor, .int), (.tensor, .float), (.tensor, .bool): return true
        case (.number, .int), (.number, .float), (.number, .bool): return true
        case (.number, .tensor(let t)), (.int, .tensor(let t)): return t.count == 1
        case (.int, .int), (.bool, .bool), (.string, .string), (.dtype, .string), (.list, .list), (.list, .tuple): return true
        case (.dims, .int), (.intPair, .int), (.shape, .int): return true
        case (.dims, .list), (.intPair, .list), (.shape, .list), (.dims, .tuple), (.intPair, .tuple), (.shape, .tuple):
            return (v.sequenceItems ?? []).allSatisfy { if case .int = $0 { return true } else { return false } }
        // `[2, 3]` written in source is a tensor literal: integral values of rank <= 1 are sizes.
        case (.dims, .tensor(let t)), (.intPair, .tensor(let t)), (.shape, .tensor(let t)):
            return integralValues(t) != nil
        case (.tensors, .tensor): return true
        case (.tensors, .list), (.tensors, .tuple): return (v.sequenceItems ?? []).allSatisfy { if case .tensor = $0 { return true } else { return false } }
        case (.function, .function), (.function, .builtin): return true
        default: return false
        }
    }
}

/// One parameter of a builtin. `defaultValue == nil` means required.
public struct BuiltinParameter: Sendable {
    public let name: String
    public let kind: ParameterKind
    /// The default, as tensh source (`none`, `1`, `"zeros"`); nil when required.
    public let defaultText: String?
    /// Collects the remaining positional arguments (`print(a, b, c)`, `zeros(2, 3)`).
    public let isVariadic: Bool
    /// Only allowed as a keyword (after a variadic parameter).
    public var isKeywordOnly: Bool = false
    /// Collects the keyword arguments no other parameter names (`Module(conv1=..., fc=...)`), in order.
    public var collectsKeywords: Bool = false

    public static func required(_ name: String, _ kind: ParameterKind) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: kind, defaultText: nil, isVariadic: false)
    }

    public static func optional(_ name: String, _ kind: ParameterKind, _ defaultText: String) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: kind, defaultText: defaultText, isVariadic: false)
    }

    public static func variadic(_ name: String, _ kind: ParameterKind) -> BuiltinParameter {
        BuiltinParameter(name: name, kind: kind, defaultText: "", isVariadic: true)
    }

    /// `**name`: the keyword arguments no other parameter takes.
    public static func keywords(_ name: String) -> BuiltinParameter {
        var p = BuiltinParameter(name: name, kind: .any, defaultText: "", isVariadic: false)
        p.isKeywordOnly = true
        p.collectsKeywords = true
        return p
    }

    /// How it appears in a signature: `x`, `stride=1`, `*sizes`, `**children`.
    public var signature: String {
        if collectsKeywords { return "**\(name)" }
        if isVariadic { return "\(name)..." }
        return defaultText.map { "\(name)=\($0)" } ?? name
    }
}

/// A builtin function: the single definition that drives argument binding,
/// `help(name)`, tab completion and Docs/Language.md.
public final class Builtin {
    typealias Body = (Arguments) throws -> Value

    public let name: String
    public let category: String
    public let parameters: [BuiltinParameter]
    /// The parameters' names, in order: the slots a call's arguments are bound to.
    let parameterNames: [String]
    /// Each parameter's default as a value (parsed once, not on every call).
    let defaultValues: [Value?]
    /// One line: what it does.
    public let summary: String
    /// A line of tensh that uses it.
    public let example: String
    let body: Body

    init(_ name: String, _ category: String, _ parameters: [BuiltinParameter],
                summary: String, example: String, body: @escaping Body) {
        self.name = name
        self.category = category
        // Parameters after a variadic one can only be given by keyword.
        var seenVariadic = false
        self.parameters = parameters.map { p in
            var p = p
            if seenVariadic { p.isKeywordOnly = true }
            if p.isVariadic { seenVariadic = true }
            return p
        }
        self.parameterNames = parameters.map(\.name)
        self.defaultValues = parameters.map { $0.defaultText.map(defaultValue) }
        self.summary = summary
        self.example = example
        self.body = body
    }

    /// The same builtin under another name (`deconv` for `conv_transpose2d`): one registry entry.
    func alias(_ name: String) -> Builtin {
        Builtin(name, category, parameters, summary: "Another name for `\(self.name)`. \(summary)", example: example, body: body)
    }

    /// `conv2d(x, w, b=none, stride=1)`.
    public var signature: String {
        "\(name)(" + parameters.map(\.signature).joined(separator: ", ") + ")"
    }

    /// The text `help(name)` prints.
    public var help: String {
        "\(signature)\n    \(summary)\n    example: \(example)"
    }
}

/// The values of a rank-0 or rank-1 tensor when all are integers (`[2, 3]` as sizes).
func integralValues(_ t: Tensor) -> [Int]? {
    guard t.rank <= 1, t.dtype != .bool else { return nil }
    let values = t.toDoubles()
    guard values.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e15 }) else { return nil }
    return values.map { Int($0) }
}
