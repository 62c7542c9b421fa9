/// Canonical source for the tree: one space around binary operators, `, `
/// between arguments, parentheses only where precedence needs them, blocks as
/// `{ a; b }`. Parsing the output gives the same tree (parser tests are round trips).

extension Expr: CustomStringConvertible {
    public var description: String { SourcePiece.render([.expression(self, atLeast: .lowest)]) }

    /// The level of this expression's outermost operator.
    var precedence: Precedence {
        switch kind {
        case .unary(.negate, _), .unary(.invert, _): return .unary
        case .unary(.not, _): return .not
        case .binary(let op, _, _): return Precedence.of(op)
        case .comparisonChain: return .comparison
        case .conditional, .lambda: return .lowest
        case .integer(let v, _) where v < 0: return .unary
        case .float(let v, _) where v < 0: return .unary
        default: return .postfix
        }
    }

    /// This node's source, one level deep: its text, with the child
    /// expressions left as pieces (each with the level it must bind at).
    var pieces: [SourcePiece] {
        switch kind {
        case .integer(_, let text), .float(_, let text): return [.text(text)]
        case .string(let s): return [.text(quoted(s))]
        case .bool(let b): return [.text(b ? "true" : "false")]
        case .none: return [.text("none")]
        case .name(let n): return [.text(n)]
        case .tensorLiteral(let elements, _, _), .list(let elements):
            return [.text("[")] + SourcePiece.commaSeparated(elements.map { [.expression($0, atLeast: .lowest)] }) + [.text("]")]
        case .tuple(let elements):
            return [.text("(")] + SourcePiece.commaSeparated(elements.map { [.expression($0, atLeast: .lowest)] })
                + [.text(elements.count == 1 ? ",)" : ")")]
        case .dict(let entries):
            return [.text("{")] + SourcePiece.commaSeparated(entries.map {
                [.expression($0.key, atLeast: .lowest), .text(": "), .expression($0.value, atLeast: .lowest)]
            }) + [.text("}")]
        case .listComprehension(let element, let clauses):
            return [.text("["), .expression(element, atLeast: .lowest)] + ComprehensionClause.pieces(clauses) + [.text("]")]
        case .dictComprehension(let key, let value, let clauses):
            return [.text("{"), .expression(key, atLeast: .lowest), .text(": "), .expression(value, atLeast: .lowest)]
                + ComprehensionClause.pieces(clauses) + [.text("}")]
        case .fstring(let parts): return [.text("f\"")] + FStringPart.pieces(parts) + [.text("\"")]
        case .comparisonChain(let first, let rest):
            return [.expression(first, atLeast: .comparison.next)]
                + rest.flatMap { [SourcePiece.text(" \($0.0.rawValue) "), .expression($0.1, atLeast: .comparison.next)] }
        case .conditional(let then, let condition, let otherwise):
            return [.expression(then, atLeast: .or), .text(" if "), .expression(condition, atLeast: .or), .text(" else "),
                    .expression(otherwise, atLeast: .lowest)]
        case .lambda(let f):
            let params = zip(f.parameters, f.defaults).map { p, d in d.map { "\(p.name)=\($0)" } ?? p.name }
            return [.text("lambda" + (params.isEmpty ? "" : " ") + params.joined(separator: ", ") + ": ")]
                + (f.bodyExpression.map { [.expression($0, atLeast: .lowest)] } ?? [])
        case .unary(.invert, let e): return [.text("~"), .expression(e, atLeast: .unary)]
        case .unary(.negate, let e): return [.text("-"), .expression(e, atLeast: .unary)]
        case .unary(.not, let e): return [.text("not "), .expression(e, atLeast: .not)]
        case .binary(let op, let l, let r):
            let level = Precedence.of(op)
            // Left-associative: the right side needs parentheses at the same level;
            // `**` is right-associative, so its left side does.
            return [.expression(l, atLeast: op == .power ? .postfix : level), .text(" \(op.rawValue) "),
                    .expression(r, atLeast: op == .power ? .unary : level.next)]
        case .call(let callee, let args):
            return [.expression(callee, atLeast: .postfix), .text("(")] + SourcePiece.commaSeparated(args.map(\.pieces)) + [.text(")")]
        case .methodCall(let receiver, let name, _, let args):
            return [.expression(receiver, atLeast: .postfix), .text(".\(name)(")]
                + SourcePiece.commaSeparated(args.map(\.pieces)) + [.text(")")]
        case .attribute(let receiver, let name, _): return [.expression(receiver, atLeast: .postfix), .text("." + name)]
        case .index(let base, let items):
            return [.expression(base, atLeast: .postfix), .text("[")] + SourcePiece.commaSeparated(items.map(\.pieces)) + [.text("]")]
        }
    }
}

/// A part of an expression's canonical source. Printing goes through an
/// explicit stack of these, so a chain 100,000 operators long prints without
/// recursion.
enum SourcePiece {
    case text(String)
    /// An expression, parenthesised when its operator binds looser than `atLeast`.
    case expression(Expr, atLeast: Precedence)

    static func render(_ pieces: [SourcePiece]) -> String {
        var out = ""
        var pending = Array(pieces.reversed())
        while let piece = pending.popLast() {
            switch piece {
            case .text(let text): out += text
            case .expression(let e, let level):
                let parenthesised = e.precedence < level
                if parenthesised { pending.append(.text(")")) }
                pending += e.pieces.reversed()
                if parenthesised { pending.append(.text("(")) }
            }
        }
        return out
    }

    static func commaSeparated(_ parts: [[SourcePiece]]) -> [SourcePiece] {
        var out: [SourcePiece] = []
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(.text(", ")) }
            out += part
        }
        return out
    }
}

extension ComprehensionClause {
    static func pieces(_ clauses: [ComprehensionClause]) -> [SourcePiece] {
        clauses.flatMap { clause -> [SourcePiece] in
            switch clause {
            case .for(let target, let iterable):
                return [.text(" for "), .text(Stmt.targetText(target)), .text(" in "), .expression(iterable, atLeast: .or)]
            case .if(let condition): return [.text(" if "), .expression(condition, atLeast: .or)]
            }
        }
    }
}

extension FStringPart {
    /// The inside of the f-string: text with braces doubled, fields as `{e!r:spec}`.
    static func pieces(_ parts: [FStringPart]) -> [SourcePiece] {
        parts.flatMap { part -> [SourcePiece] in
            switch part {
            case .literal(let text):
                let inner = quoted(text).dropFirst().dropLast()
                return [.text(inner.map { $0 == "{" || $0 == "}" ? String(repeating: $0, count: 2) : String($0) }.joined())]
            case .field(let e, let conversion, let spec, let debugText):
                if let debugText { return [.text("{" + debugText + (spec.isEmpty ? "" : ":"))] + pieces(spec) + [.text("}")] }
                return [.text("{"), .expression(e, atLeast: .lowest), .text(conversion.map { "!\($0)" } ?? ""),
                        .text(spec.isEmpty ? "" : ":")] + pieces(spec) + [.text("}")]
            }
        }
    }
}

extension Argument: CustomStringConvertible {
    public var description: String { SourcePiece.render(pieces) }

    var pieces: [SourcePiece] {
        let value = SourcePiece.expression(value, atLeast: .lowest)
        return name.map { [.text("\($0)="), value] } ?? [value]
    }
}

extension IndexItem: CustomStringConvertible {
    public var description: String { SourcePiece.render(pieces) }

    var pieces: [SourcePiece] {
        switch self {
        case .single(let e): return [.expression(e, atLeast: .lowest)]
        case .ellipsis: return [.text("...")]
        case .slice(let start, let stop, let step):
            var out: [SourcePiece] = start.map { [.expression($0, atLeast: .lowest)] } ?? []
            out.append(.text(":"))
            if let stop { out.append(.expression(stop, atLeast: .lowest)) }
            if let step { out += [.text(":"), .expression(step, atLeast: .lowest)] }
            return out
        }
    }
}

extension Stmt: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .expression(let e, let silent): return e.description + (silent ? ";" : "")
        case .assign(let targets, let value): return targets.map(Stmt.targetText).joined(separator: " = ") + " = \(value)"
        case .compound(let target, let op, let value): return "\(target) \(op.rawValue) \(value)"
        case .delete(let targets): return "del " + targets.map(\.description).joined(separator: ", ")
        case .import(let bindings):
            return "import " + bindings.map { $0.path.joined(separator: ".") + ($0.path == [$0.name] ? "" : " as \($0.name)") }
                .joined(separator: ", ")
        case .function(let f):
            let params = zip(f.parameters, f.defaults).map { p, d in d.map { "\(p.name)=\($0)" } ?? p.name }
            let head = "def \(f.name)(\(params.joined(separator: ", ")))"
            switch f.body {
            case .expression(let e): return "\(head) = \(e)"
            case .block(let body): return "\(head) \(Stmt.block(body))"
            }
        case .return(let value): return value.map { "return \($0)" } ?? "return"
        case .if: return ifChainDescription
        case .for(let target, let sequence, let body): return "for \(Stmt.targetText(target)) in \(sequence) \(Stmt.block(body))"
        case .while(let condition, let body): return "while \(condition) \(Stmt.block(body))"
        case .noGrad(let body): return "no_grad \(Stmt.block(body))"
        case .time(let body): return "time \(Stmt.block(body))"
        case .break: return "break"
        case .continue: return "continue"
        }
    }

    /// `if a { } else if b { } else { }`: an `else if` chain of any length, printed with a loop.
    private var ifChainDescription: String {
        var text = ""
        var next: Stmt? = self
        while let branch = next, case .if(let condition, let then, let otherwise) = branch.kind {
            text += (branch === self ? "" : " else ") + "if \(condition) \(Stmt.block(then))"
            next = nil
            guard let otherwise else { break }
            if otherwise.count == 1, case .if = otherwise[0].kind {
                next = otherwise[0]
            } else {
                text += " else \(Stmt.block(otherwise))"
            }
        }
        return text
    }

    /// A target list without the tuple's parentheses: `a, b = ...`, `for k, v in ...`.
    static func targetText(_ target: Expr) -> String {
        guard case .tuple(let items) = target.kind, items.count > 1 else { return target.description }
        return items.map(\.description).joined(separator: ", ")
    }

    static func block(_ body: [Stmt]) -> String {
        body.isEmpty ? "{ }" : "{ " + body.map(\.description).joined(separator: "; ") + " }"
    }
}

/// A string literal that reads back as the same string.
func quoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\0": out += "\\0"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
