/// Canonical source for the tree: one space around binary operators, `, `
/// between arguments, parentheses only where precedence needs them, blocks as
/// `{ a; b }`. Parsing the output gives the same tree (parser tests are round trips).

extension Expr: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .integer(_, let text), .float(_, let text): return text
        case .string(let s): return quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .name(let n): return n
        case .tensorLiteral(let elements, _, _), .list(let elements):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .unary(.negate, let e): return "-" + operand(e, atLeast: .unary)
        case .unary(.not, let e): return "not " + operand(e, atLeast: .not)
        case .binary(let op, let l, let r):
            let level = Precedence.of(op)
            // Left-associative: the right side needs parentheses at the same level;
            // `**` is right-associative, so its left side does.
            let left = operand(l, atLeast: op == .power ? .postfix : level)
            let right = operand(r, atLeast: op == .power ? .unary : level.next)
            return "\(left) \(op.rawValue) \(right)"
        case .call(let callee, let args):
            return operand(callee, atLeast: .postfix) + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .methodCall(let receiver, let name, _, let args):
            return operand(receiver, atLeast: .postfix) + ".\(name)(" + args.map(\.description).joined(separator: ", ") + ")"
        case .attribute(let receiver, let name, _): return operand(receiver, atLeast: .postfix) + "." + name
        case .index(let base, let items):
            return operand(base, atLeast: .postfix) + "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The level of this expression's outermost operator.
    var precedence: Precedence {
        switch kind {
        case .unary(.negate, _): return .unary
        case .unary(.not, _): return .not
        case .binary(let op, _, _): return Precedence.of(op)
        case .integer(let v, _) where v < 0: return .unary
        case .float(let v, _) where v < 0: return .unary
        default: return .postfix
        }
    }

    private func operand(_ e: Expr, atLeast level: Precedence) -> String {
        e.precedence < level ? "(\(e))" : e.description
    }
}

extension Argument: CustomStringConvertible {
    public var description: String { name.map { "\($0)=\(value)" } ?? value.description }
}

extension IndexItem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .single(let e): return e.description
        case .ellipsis: return "..."
        case .slice(let start, let stop, let step):
            let head = (start?.description ?? "") + ":" + (stop?.description ?? "")
            return step.map { head + ":" + $0.description } ?? head
        }
    }
}

extension Stmt: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .expression(let e, let silent): return e.description + (silent ? ";" : "")
        case .assign(let targets, let value): return targets.map(\.name).joined(separator: ", ") + " = \(value)"
        case .compound(let name, _, let op, let value): return "\(name) \(op.rawValue) \(value)"
        case .function(let f):
            let params = zip(f.parameters, f.defaults).map { p, d in d.map { "\(p.name)=\($0)" } ?? p.name }
            let head = "def \(f.name)(\(params.joined(separator: ", ")))"
            switch f.body {
            case .expression(let e): return "\(head) = \(e)"
            case .block(let body): return "\(head) \(Stmt.block(body))"
            }
        case .return(let value): return value.map { "return \($0)" } ?? "return"
        case .if(let condition, let then, let otherwise):
            var text = "if \(condition) \(Stmt.block(then))"
            if let otherwise {
                if otherwise.count == 1, case .if = otherwise[0].kind {
                    text += " else \(otherwise[0])"
                } else {
                    text += " else \(Stmt.block(otherwise))"
                }
            }
            return text
        case .for(let name, _, let sequence, let body): return "for \(name) in \(sequence) \(Stmt.block(body))"
        case .while(let condition, let body): return "while \(condition) \(Stmt.block(body))"
        case .noGrad(let body): return "no_grad \(Stmt.block(body))"
        case .time(let body): return "time \(Stmt.block(body))"
        case .break: return "break"
        case .continue: return "continue"
        }
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
