/// Matches a call's arguments to a builtin's parameters. Wrong arity, unknown
/// keywords (with "did you mean") and wrong value types are reported at the
/// offending argument's span.
struct CallArgument {
    let name: String?
    let nameSpan: SourceSpan?
    let value: Value
    let span: SourceSpan
}

enum Binder {
    static func bind(_ builtin: Builtin, _ arguments: [CallArgument], callSpan: SourceSpan,
                     context: CallContext) throws -> Arguments {
        let params = builtin.parameters
        var values = ArgumentSlots<Value>(names: builtin.parameterNames)
        var spans = ArgumentSlots<SourceSpan>(names: builtin.parameterNames)
        var keywords: Set<String> = []
        var extraKeywords: [CallArgument] = []
        // Most calls pass only positional arguments: bound without filtering a copy.
        let hasKeywords = arguments.contains { $0.name != nil }
        var positional = hasKeywords ? arguments.filter { $0.name == nil }[...] : arguments[...]
        // Slot i holds parameter i (the slots are made from `parameterNames`).
        // Parameters are read in place (`params[i]`): a loop copy of each retained its strings.
        for i in params.indices where !params[i].isKeywordOnly {
            if params[i].isVariadic {
                let p = params[i]
                let rest = Array(positional)
                positional = []
                values.setItem(.list(rest.map(\.value)), at: i)
                if let first = rest.first, let last = rest.last { spans.setItem(first.span.through(last.span), at: i) }
                for (n, item) in rest.enumerated() where !p.kind.accepts(item.value) {
                    throw RuntimeError("\(builtin.name): argument \(n + 1) of '\(p.name)' must be \(p.kind.expected), got \(item.value.typeName)", at: item.span)
                }
                continue
            }
            guard let arg = positional.popFirst() else { break }
            values.setItem(arg.value, at: i)
            spans.setItem(arg.span, at: i)
        }
        if let extra = positional.first {
            let count = params.filter { !$0.isKeywordOnly && !$0.isVariadic }.count
            throw RuntimeError("\(builtin.name) takes \(count) positional argument\(count == 1 ? "" : "s") but \(arguments.filter { $0.name == nil }.count) were given", at: extra.span)
        }
        for arg in arguments where hasKeywords {
            guard let name = arg.name else { continue }
            guard let p = params.first(where: { $0.name == name && !$0.isVariadic && !$0.collectsKeywords }) else {
                if params.contains(where: \.collectsKeywords) {
                    guard !extraKeywords.contains(where: { $0.name == name }) else {
                        throw RuntimeError("\(builtin.name) got two values for argument '\(name)'", at: arg.nameSpan ?? arg.span)
                    }
                    extraKeywords.append(arg)
                    continue
                }
                let names = params.filter { !$0.isVariadic }.map(\.name)
                let hint = Suggestions.keywordSpellings[name].flatMap { names.contains($0) ? "; did you mean '\($0)'?" : nil }
                    ?? Suggestions.hint(for: name, in: names)
                throw RuntimeError("\(builtin.name) has no keyword argument '\(name)'\(hint)", at: arg.nameSpan ?? arg.span)
            }
            guard values[p.name] == nil else {
                throw RuntimeError("\(builtin.name) got two values for argument '\(name)'", at: arg.nameSpan ?? arg.span)
            }
            values[p.name] = arg.value
            spans[p.name] = arg.span
            keywords.insert(p.name)
        }
        for i in params.indices where !params[i].isVariadic {
            if let v = values.item(at: i) {
                if case .none = v, params[i].defaultText == "none" { continue }
                guard params[i].kind.accepts(v) else {
                    let p = params[i]
                    throw RuntimeError("\(builtin.name): argument '\(p.name)' must be \(p.kind.expected), got \(v.typeName)",
                                       at: spans.item(at: i) ?? callSpan)
                }
            } else if let value = builtin.defaultValues[i] {
                // The documented default (`defaultText`) is the one used: one source of truth.
                values.setItem(value, at: i)
            } else {
                throw RuntimeError("\(builtin.name) is missing the argument '\(params[i].name)' (\(builtin.signature))", at: callSpan)
            }
        }
        // Moved, not copied: copying the slot tables retained and released every value in them.
        return Arguments(builtin: builtin, values: consume values, spans: consume spans, keywords: keywords,
                         extraKeywords: extraKeywords, callSpan: callSpan, context: context)
    }
}

/// The value of a default written as tensh source: `none`, `true`, `1`, `1e-6`, `"zeros"`.
func defaultValue(_ text: String) -> Value {
    switch text {
    case "none", "": return .none
    case "true": return .bool(true)
    case "false": return .bool(false)
    default:
        if let i = Int(text) { return .int(i) }
        if let d = Double(text) { return .float(d) }
        if text.count >= 2, text.first == "\"", text.last == "\"" { return .string(String(text.dropFirst().dropLast())) }
        return .none
    }
}
