/// Statements, blocks and panic-mode recovery.
extension Parser {
    /// Every statement that parsed, and one error per statement that did not.
    mutating func program() -> ([Stmt], [Diagnostic]) {
        var statements: [Stmt] = []
        var errors: [Diagnostic] = []
        while true {
            skipSeparators()
            if isAtEnd { break }
            let start = current
            do {
                statements.append(try statement())
            } catch let error as Diagnostic {
                errors.append(atUnclosedBracket(error))
                synchronize(from: start)
            } catch {
                errors.append(Diagnostic("\(error)", peek.span))
                synchronize(from: start)
            }
        }
        return (statements, errors)
    }

    /// Input that ends while a bracket is open is reported at that bracket.
    func atUnclosedBracket(_ error: Diagnostic) -> Diagnostic {
        guard let open = unclosed.last, let end = tokens.last, error.span == end.span else { return error }
        let symbol = tokens.first { $0.span == open }?.text ?? "("
        return Diagnostic("'\(symbol)' was never closed", open)
    }

    mutating func skipSeparators() {
        while peek.kind == .newline || peek.isSymbol(.semicolon) { advance() }
    }

    /// Skips to the end of the statement that failed: the next newline or `;`
    /// outside any braces it opened, so a broken block is one error.
    mutating func synchronize(from start: Int) {
        var braces = 0
        for t in tokens[start..<current] {
            if t.isSymbol(.leftBrace) { braces += 1 } else if t.isSymbol(.rightBrace) { braces -= 1 }
        }
        if current == start { advance() }
        while !isAtEnd {
            if braces <= 0 && (peek.kind == .newline || peek.isSymbol(.semicolon)) { return }
            if peek.isSymbol(.leftBrace) { braces += 1 } else if peek.isSymbol(.rightBrace) { braces -= 1 }
            advance()
        }
    }

    /// A statement and its terminator (newline, `;`, or a `}` / end left for the caller).
    mutating func statement() throws -> Stmt {
        let stmt = try statementBody()
        if case .expression(let e, _) = stmt.kind, peek.isSymbol(.semicolon) {
            advance()
            return Stmt(.expression(e, silent: true), stmt.span)
        }
        guard peek.kind == .newline || peek.isSymbol(.semicolon) || peek.isSymbol(.rightBrace) || isAtEnd else {
            throw Diagnostic("expected end of statement, found \(peek.displayName)", peek.span)
        }
        return stmt
    }

    mutating func statementBody() throws -> Stmt {
        let start = peek
        switch start.kind {
        case .keyword(.def): return try functionDefinition()
        case .keyword(.if): advance(); return try ifStatement(start)
        case .keyword(.for): return try forStatement()
        case .keyword(.while):
            advance()
            let condition = try condition()
            let body = try block()
            return Stmt(.while(condition, body: body), start.span.through(previous.span))
        case .keyword(.return):
            advance()
            let value = endsStatement(peek) ? nil : try expressionList()
            return Stmt(.return(value), start.span.through(previous.span))
        case .keyword(.del):
            advance()
            var targets = [try assignable(try parse(.postfix))]
            while match(.comma), !endsStatement(peek) { targets.append(try assignable(try parse(.postfix))) }
            return Stmt(.delete(targets), start.span.through(previous.span))
        case .keyword(.import), .keyword(.from):
            return try importStatement()
        case .identifier("with") where peekNext.kind.isIdentifier:
            throw Diagnostic("tensh has no 'with' statement; for torch.no_grad() write no_grad { ... }", start.span)
        case .keyword(.break): advance(); return Stmt(.break, start.span)
        case .keyword(.continue): advance(); return Stmt(.continue, start.span)
        case .identifier(let name) where (name == "no_grad" || name == "time") && peekNext.isSymbol(.leftBrace):
            advance()
            let body = try block()
            return Stmt(name == "time" ? .time(body) : .noGrad(body), start.span.through(previous.span))
        default:
            return try simpleStatement()
        }
    }

    /// An expression, `x = e`, `a, b = e`, `a = b = e`, `x[i] = e`, `x.a = e` or `x += e`.
    mutating func simpleStatement() throws -> Stmt {
        let first = try expressionList()
        if peek.isSymbol(.assign) {
            var targets = [try assignable(first)]
            while true {
                advance()
                let next = try expressionList()
                guard peek.isSymbol(.assign) else {
                    return Stmt(.assign(targets: targets, value: next), first.span.through(next.span))
                }
                targets.append(try assignable(next))
            }
        }
        if case .symbol(let s) = peek.kind, let op = Parser.compoundOperators[s] {
            switch first.kind {
            case .name, .attribute, .index: return try compound(first, op)
            default: throw Diagnostic("cannot use \(op.rawValue) here (only on a name, an attribute x.a or an item x[i])", first.span)
            }
        }
        return Stmt(.expression(first, silent: false), first.span)
    }

    private mutating func compound(_ target: Expr, _ op: CompoundOperator) throws -> Stmt {
        advance()
        let value = try expressionList()
        return Stmt(.compound(target: target, op, value), target.span.through(value.span))
    }

    static let compoundOperators: [Symbol: CompoundOperator] = [
        .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
        .floorSlashAssign: .floorDivide, .percentAssign: .remainder, .powerAssign: .power,
    ]

    /// `import torch`, `import torch.nn.functional as F`, `from torch import nn, optim as o`.
    mutating func importStatement() throws -> Stmt {
        let keyword = advance()
        var bindings: [(path: [String], name: String)] = []
        if keyword.isKeyword(.from) {
            let module = try dottedName()
            guard match(.import) else { throw Diagnostic("expected 'import' after the module name, found \(peek.displayName)", peek.span) }
            repeat {
                let name = try identifier("expected a name to import").text
                bindings.append((module + [name], match(.as) ? try identifier("expected a name after 'as'").text : name))
            } while match(.comma)
        } else {
            repeat {
                let path = try dottedName()
                let alias = match(.as) ? try identifier("expected a name after 'as'").text : nil
                bindings.append((alias == nil ? [path[0]] : path, alias ?? path[0]))
            } while match(.comma)
        }
        return Stmt(.import(bindings), keyword.span.through(previous.span))
    }

    private mutating func dottedName() throws -> [String] {
        var parts = [try identifier("expected a module name").text]
        while match(.dot) { parts.append(try identifier("expected a module name after '.'").text) }
        return parts
    }

    /// `{ statements }`.
    mutating func block() throws -> [Stmt] {
        if peek.isSymbol(.colon) {
            throw Diagnostic("tensh blocks are written in braces, not with ':' and indentation: for x in xs { ... }", peek.span)
        }
        let open = try consume(.leftBrace, "expected '{' to start a block")
        return try nested(open.span) { p in
            var body: [Stmt] = []
            while true {
                p.skipSeparators()
                if p.peek.isSymbol(.rightBrace) || p.isAtEnd { break }
                body.append(try p.statement())
            }
            try p.consume(.rightBrace, "expected '}' after block", opener: open)
            return body
        }
    }

    /// `if c { } else if d { } else { }`; `else` may follow on the next line.
    /// The branches of an `else if` chain are read in a loop and linked from the
    /// last one, so a chain of any length parses without recursion.
    /// The condition of `if` and `while`: a `{` here starts the (missing condition's) block, not a dict.
    mutating func condition() throws -> Expr {
        if peek.isSymbol(.leftBrace) { throw Diagnostic("expected an expression, found '{'", peek.span) }
        return try expression()
    }

    mutating func ifStatement(_ keyword: Token) throws -> Stmt {
        var branches: [(keyword: Token, condition: Expr, then: [Stmt])] = []
        var otherwise: [Stmt]?
        var branchKeyword = keyword
        while true {
            let condition = try condition()
            branches.append((branchKeyword, condition, try block()))
            var look = current
            while tokens[look].kind == .newline { look += 1 }
            guard tokens[look].isKeyword(.else) else { break }
            current = look + 1
            guard peek.isKeyword(.if) else {
                otherwise = try block()
                break
            }
            branchKeyword = advance()
        }
        // Every branch's span runs to the end of the whole chain.
        let end = previous.span
        var chain = otherwise
        for branch in branches.reversed() {
            chain = [Stmt(.if(branch.condition, then: branch.then, else: chain), branch.keyword.span.through(end))]
        }
        guard let statement = chain?.first else { throw Diagnostic("expected an 'if' statement", keyword.span) }
        return statement
    }

    mutating func forStatement() throws -> Stmt {
        let keyword = advance()
        guard !peek.isKeyword(.in) else { throw Diagnostic("expected a loop variable after 'for', found 'in'", peek.span) }
        let target = try targetList()
        guard match(.in) else { throw Diagnostic("expected 'in' after the loop variable, found \(peek.displayName)", peek.span) }
        let sequence = try expression()
        let body = try block()
        return Stmt(.for(target: target, in: sequence, body: body), keyword.span.through(previous.span))
    }

    /// `def f(x, k=2) = expr` or `def f(x) { ... }`.
    mutating func functionDefinition() throws -> Stmt {
        let keyword = advance()
        let name = try identifier("expected a function name after 'def'")
        let open = try consume(.leftParen, "expected '(' after the function name")
        var parameters: [Parameter] = []
        var defaults: [Expr?] = []
        var names = Set<String>()
        while !peek.isSymbol(.rightParen) {
            let p = try identifier("expected a parameter name")
            guard names.insert(p.text).inserted else {
                throw Diagnostic("duplicate parameter '\(p.text)'", p.span)
            }
            parameters.append(Parameter(name: p.text, span: p.span))
            if match(.assign) {
                defaults.append(try expression())
            } else {
                if defaults.last.map({ $0 != nil }) ?? false {
                    throw Diagnostic("parameter '\(p.text)' without a default follows one with a default", p.span)
                }
                defaults.append(nil)
            }
            if !match(.comma) { break }
        }
        try consume(.rightParen, "expected ')' after parameters", opener: open)
        let body: FunctionBody
        if match(.assign) {
            body = .expression(try expression())
        } else if peek.isSymbol(.leftBrace) {
            body = .block(try block())
        } else {
            throw Diagnostic("expected '=' or '{' after the parameters, found \(peek.displayName)", peek.span)
        }
        let definition = FunctionDefinition(name: name.text, nameSpan: name.span, parameters: parameters,
                                            defaults: defaults, body: body)
        return Stmt(.function(definition), keyword.span.through(previous.span))
    }
}
