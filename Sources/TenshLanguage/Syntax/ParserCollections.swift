/// Brackets of every kind: parentheses and tuples, tensor literals and lists,
/// dicts, comprehensions, f-strings and lambdas.
extension Parser {
    /// Runs `body` on this parser. Bracket levels are already counted by `parse`
    /// (every element is an expression), so they do not count again.
    mutating func grouped<R>(_ body: (inout Parser) throws -> R) rethrows -> R { try body(&self) }

    /// `(e)`, `()`, `(a,)`, `(a, b)`, or a generator `(e for v in xs)` (made as a list).
    mutating func parenthesized(_ open: Token) throws -> Expr {
        try grouped { p in
            if let close = p.peek.isSymbol(.rightParen) ? p.advance() : nil {
                return Expr(.tuple([]), open.span.through(close.span))
            }
            let first = try p.expression()
            if p.peek.isKeyword(.for) {
                let clauses = try p.comprehensionClauses()
                let close = try p.consume(.rightParen, "expected ')' after the generator", opener: open)
                return Expr(.listComprehension(element: first, clauses), open.span.through(close.span))
            }
            guard p.peek.isSymbol(.comma) else {
                let close = try p.consume(.rightParen, "expected ')' after expression", opener: open)
                // Keep the parentheses out of the tree; widen the span to include them.
                return Expr(first.kind, open.span.through(close.span))
            }
            var items = [first]
            while p.match(.comma), !p.peek.isSymbol(.rightParen) { items.append(try p.expression()) }
            let close = try p.consume(.rightParen, "expected ')' after the tuple's items", opener: open)
            return Expr(.tuple(items), open.span.through(close.span))
        }
    }

    /// `[a, b, ...]`: a tensor literal when every element is a number (or a
    /// rectangular nest of them), otherwise a list; `[e for v in xs]` a comprehension.
    mutating func bracket(_ open: Token) throws -> Expr {
        try grouped { p in
            var elements: [Expr] = []
            while !p.peek.isSymbol(.rightBracket) {
                elements.append(try p.expression())
                if elements.count == 1, p.peek.isKeyword(.for) {
                    let clauses = try p.comprehensionClauses()
                    let close = try p.consume(.rightBracket, "expected ']' after the comprehension", opener: open)
                    return Expr(.listComprehension(element: elements[0], clauses), open.span.through(close.span))
                }
                if !p.match(.comma) { break }
            }
            let close = try p.consume(.rightBracket, "expected ']' after list elements", opener: open)
            let span = open.span.through(close.span)
            if let (values, shape) = TensorLiteral.shape(of: elements) {
                return Expr(.tensorLiteral(elements: elements, values: values, shape: shape), span)
            }
            return Expr(.list(elements), span)
        }
    }

    /// `{}`, `{k: v, ...}` or `{k: v for ...}`.
    mutating func braces(_ open: Token) throws -> Expr {
        try grouped { p in
            var entries: [(key: Expr, value: Expr)] = []
            while !p.peek.isSymbol(.rightBrace) {
                let key = try p.expression()
                guard p.match(.colon) else {
                    throw Diagnostic("expected ':' after a dict key (tensh has no sets: use a list [a, b] or a dict {k: v})", p.peek.span)
                }
                let value = try p.expression()
                if entries.isEmpty, p.peek.isKeyword(.for) {
                    let clauses = try p.comprehensionClauses()
                    let close = try p.consume(.rightBrace, "expected '}' after the comprehension", opener: open)
                    return Expr(.dictComprehension(key: key, value: value, clauses), open.span.through(close.span))
                }
                entries.append((key, value))
                if !p.match(.comma) { break }
            }
            let close = try p.consume(.rightBrace, "expected '}' after the dict's entries", opener: open)
            return Expr(.dict(entries), open.span.through(close.span))
        }
    }

    /// `for target in iterable` and `if condition` clauses, at least one `for` first.
    mutating func comprehensionClauses() throws -> [ComprehensionClause] {
        var clauses: [ComprehensionClause] = []
        while true {
            if match(.for) {
                let target = try targetList()
                guard match(.in) else { throw Diagnostic("expected 'in' after the comprehension's variable, found \(peek.displayName)", peek.span) }
                clauses.append(.for(target: target, iterable: try parse(.or)))
            } else if match(.if) {
                clauses.append(.if(try parse(.or)))
            } else {
                return clauses
            }
        }
    }

    /// The targets of `for` and of comprehensions: `x`, `k, v`, `(i, (a, b))`, `x.attr`, `x[i]`.
    mutating func targetList() throws -> Expr {
        let first = try parse(.postfix)
        guard peek.isSymbol(.comma) else { return try assignable(first) }
        var items = [first]
        while match(.comma), !peek.isKeyword(.in) { items.append(try parse(.postfix)) }
        return try assignable(Expr(.tuple(items), first.span.through(previous.span)))
    }

    /// `e` when it can be assigned to: a name, an attribute, an item, or a tuple or list of them.
    func assignable(_ e: Expr) throws -> Expr {
        switch e.kind {
        case .name, .attribute, .index: return e
        case .tuple(let items), .list(let items):
            for item in items { _ = try assignable(item) }
            return e
        case .call: throw Diagnostic("cannot assign to this expression (a function call)", e.span)
        default:
            throw Diagnostic("cannot assign to this expression (only to a name, an attribute x.a, an item x[i], or several of them: a, b)", e.span)
        }
    }

    /// `lambda x, k=2: expression`.
    mutating func lambda() throws -> Expr {
        let keyword = advance()
        var parameters: [Parameter] = []
        var defaults: [Expr?] = []
        var names = Set<String>()
        while !peek.isSymbol(.colon) {
            let p = try identifier("expected a parameter name or ':' in the lambda")
            guard names.insert(p.text).inserted else { throw Diagnostic("duplicate parameter '\(p.text)'", p.span) }
            parameters.append(Parameter(name: p.text, span: p.span))
            let defaultValue = match(.assign) ? try expression() : nil
            if defaultValue == nil, defaults.contains(where: { $0 != nil }) {
                throw Diagnostic("parameter '\(p.text)' without a default follows one with a default", p.span)
            }
            defaults.append(defaultValue)
            if !match(.comma) { break }
        }
        try consume(.colon, "expected ':' after the lambda's parameters")
        let body = try expression()
        let definition = FunctionDefinition(name: "<lambda>", nameSpan: keyword.span, parameters: parameters,
                                            defaults: defaults, body: .expression(body))
        return Expr(.lambda(definition), keyword.span.through(body.span))
    }

    /// The parts of an f-string token: each field's tokens parsed as an expression.
    mutating func fstringParts(_ pieces: [FStringPiece]) throws -> [FStringPart] {
        try pieces.map { piece in
            switch piece {
            case .literal(let text): return .literal(text)
            case .field(let field):
                var sub = Parser(tokens: field.tokens, unclosed: [])
                sub.depth = depth
                let value = try sub.expressionList()
                guard sub.isAtEnd else {
                    throw Diagnostic("f-string: expected '}' after the expression, found \(sub.peek.displayName)", sub.peek.span)
                }
                return .field(value, conversion: field.conversion, spec: try fstringParts(field.spec), debugText: field.debugText)
            }
        }
    }
}
