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
            let condition = try expression()
            let body = try block()
            return Stmt(.while(condition, body: body), start.span.through(previous.span))
        case .keyword(.return):
            advance()
            let ends = peek.kind == .newline || peek.isSymbol(.semicolon) || peek.isSymbol(.rightBrace) || isAtEnd
            let value = ends ? nil : try expression()
            return Stmt(.return(value), start.span.through(previous.span))
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

    /// An expression, `x = e`, `a, b = e` or `x += e`.
    mutating func simpleStatement() throws -> Stmt {
        let first = try expression()
        if peek.isSymbol(.comma) || peek.isSymbol(.assign) {
            var targets = [try assignable(first)]
            while match(.comma) { targets.append(try assignable(try expression())) }
            try consume(.assign, "expected '=' after assignment targets")
            var value = try expression()
            if peek.isSymbol(.comma) {
                // `a, b = b, a`: the right side is a list.
                var items = [value]
                while match(.comma) { items.append(try expression()) }
                value = Expr(.list(items), value.span.through(previous.span))
            }
            return Stmt(.assign(targets: targets, value: value), first.span.through(value.span))
        }
        let compound: [Symbol: CompoundOperator] = [.plusAssign: .add, .minusAssign: .subtract,
                                                     .starAssign: .multiply, .slashAssign: .divide]
        if case .symbol(let s) = peek.kind, let op = compound[s] {
            let target = try assignable(first)
            advance()
            let value = try expression()
            return Stmt(.compound(name: target.name, nameSpan: target.span, op, value), first.span.through(value.span))
        }
        return Stmt(.expression(first, silent: false), first.span)
    }

    func assignable(_ e: Expr) throws -> (name: String, span: SourceSpan) {
        guard case .name(let name) = e.kind else {
            throw Diagnostic("cannot assign to this expression (only to a name)", e.span)
        }
        return (name, e.span)
    }

    /// `{ statements }`.
    mutating func block() throws -> [Stmt] {
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
    mutating func ifStatement(_ keyword: Token) throws -> Stmt {
        var branches: [(keyword: Token, condition: Expr, then: [Stmt])] = []
        var otherwise: [Stmt]?
        var branchKeyword = keyword
        while true {
            let condition = try expression()
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
        let name = try identifier("expected a loop variable after 'for'")
        guard match(.in) else { throw Diagnostic("expected 'in' after the loop variable, found \(peek.displayName)", peek.span) }
        let sequence = try expression()
        let body = try block()
        return Stmt(.for(name: name.text, nameSpan: name.span, in: sequence, body: body), keyword.span.through(previous.span))
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
