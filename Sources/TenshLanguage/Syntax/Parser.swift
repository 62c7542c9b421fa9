/// A Pratt parser (clox's table of prefix/infix rules, jlox's `consume` and
/// `synchronize`). Errors are thrown as `Diagnostic`s; the statement loop
/// catches one per statement, skips to the next statement and goes on.
public struct Parser {
    var tokens: [Token]
    var current = 0
    /// Opening brackets the lexer never saw closed, for "was never closed" errors.
    let unclosed: [SourceSpan]
    var depth = 0
    static let maxDepth = 200

    init(tokens: [Token], unclosed: [SourceSpan]) {
        self.tokens = tokens
        self.unclosed = unclosed
    }

    /// Parses a whole program (a script, or one REPL input).
    public static func parse(_ source: String) -> (statements: [Stmt], errors: [Diagnostic]) {
        parse(lexed: Lexer.tokenize(source))
    }

    /// Parses one REPL entry, lexing it once: nil while it is unfinished (the
    /// REPL then reads another line), unless `atEnd` says no line will follow.
    public static func parseEntry(_ source: String, atEnd: Bool = false) -> (statements: [Stmt], errors: [Diagnostic])? {
        let lexed = Lexer.tokenize(source)
        return isUnfinished(lexed) && !atEnd ? nil : parse(lexed: lexed)
    }

    private typealias Lexed = (tokens: [Token], errors: [Diagnostic], unclosed: [SourceSpan])

    private static func parse(lexed: Lexed) -> (statements: [Stmt], errors: [Diagnostic]) {
        var parser = Parser(tokens: lexed.tokens, unclosed: lexed.unclosed)
        let (statements, errors) = parser.program()
        // A lexical error and a parse error on the same line: keep the lexer's, it is the cause.
        let parseErrors = errors.filter { e in !lexed.errors.contains { $0.span.line == e.span.line } }
        return (statements, (lexed.errors + parseErrors).sorted { $0.span.offset < $1.span.offset })
    }

    /// Whether `source` is unfinished (an open bracket or brace): the REPL then reads more lines.
    public static func needsMoreInput(_ source: String) -> Bool {
        isUnfinished(Lexer.tokenize(source))
    }

    private static func isUnfinished(_ lexed: Lexed) -> Bool {
        !lexed.unclosed.isEmpty
    }

    // MARK: token helpers

    var peek: Token { tokens[min(current, tokens.count - 1)] }
    var peekNext: Token { tokens[min(current + 1, tokens.count - 1)] }
    var previous: Token { tokens[max(0, min(current - 1, tokens.count - 1))] }
    var isAtEnd: Bool { peek.kind == .end }

    @discardableResult
    mutating func advance() -> Token {
        let t = peek
        if !isAtEnd { current += 1 }
        return t
    }

    mutating func match(_ s: Symbol) -> Bool {
        guard peek.isSymbol(s) else { return false }
        advance()
        return true
    }

    mutating func match(_ k: Keyword) -> Bool {
        guard peek.isKeyword(k) else { return false }
        advance()
        return true
    }

    /// Consumes `s` or throws `message`. A missing closer at the end of input
    /// is reported at the bracket that was left open.
    @discardableResult
    mutating func consume(_ s: Symbol, _ message: String, opener: Token? = nil) throws -> Token {
        if peek.isSymbol(s) { return advance() }
        if let opener, peek.kind == .end {
            throw Diagnostic("'\(opener.text)' was never closed", opener.span)
        }
        throw Diagnostic("\(message), found \(peek.displayName)", peek.span)
    }

    mutating func identifier(_ message: String) throws -> Token {
        if case .identifier = peek.kind { return advance() }
        throw Diagnostic("\(message), found \(peek.displayName)", peek.span)
    }

    /// Guards recursion: deeply nested input is an error, not a stack overflow.
    mutating func nested<R>(_ at: SourceSpan, _ body: (inout Parser) throws -> R) throws -> R {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else {
            throw Diagnostic("nesting too deep (the limit is \(Parser.maxDepth) levels)", at)
        }
        return try body(&self)
    }

    // MARK: expressions

    /// A full expression: `lambda`, `a if c else b`, or an operator expression.
    mutating func expression() throws -> Expr {
        if peek.isKeyword(.lambda) { return try lambda() }
        let value = try parse(.or)
        guard peek.isKeyword(.if) else { return value }
        advance()
        let condition = try parse(.or)
        guard match(.else) else {
            throw Diagnostic("expected 'else' in the conditional expression (a if condition else b), found \(peek.displayName)", peek.span)
        }
        let otherwise = try nested(condition.span) { try $0.expression() }
        return Expr(.conditional(then: value, condition: condition, otherwise: otherwise), value.span.through(otherwise.span))
    }

    /// `a, b, c` (a tuple when there is a comma; a trailing comma makes one too) or one expression.
    mutating func expressionList() throws -> Expr {
        let first = try expression()
        guard peek.isSymbol(.comma) else { return first }
        var items = [first]
        while match(.comma) {
            if endsStatement(peek) || peek.isSymbol(.assign) || peek.isSymbol(.rightParen) || peek.isSymbol(.leftBrace) { break }
            items.append(try expression())
        }
        return Expr(.tuple(items), first.span.through(previous.span))
    }

    func endsStatement(_ token: Token) -> Bool {
        token.kind == .newline || token.kind == .end || token.isSymbol(.semicolon) || token.isSymbol(.rightBrace)
    }

    /// The infix operator at the current token, with its level and how many
    /// tokens spell it (`not in` and `is not` take two).
    func infixOperator() -> (BinaryOperator, Precedence, Int)? {
        if peek.isKeyword(.not) && peekNext.isKeyword(.in) { return (.notIn, .comparison, 2) }
        if peek.isKeyword(.is) && peekNext.isKeyword(.not) { return (.isNot, .comparison, 2) }
        return Precedence.infix(peek).map { ($0.0, $0.1, 1) }
    }

    /// Parses an expression whose operators all bind at least as tightly as `minimum`.
    /// Comparisons chain as in Python: `0 <= i < n` is `0 <= i and i < n`.
    mutating func parse(_ minimum: Precedence) throws -> Expr {
        try nested(peek.span) { p in
            var left = try p.prefix()
            while let (op, level, tokenCount) = p.infixOperator(), level >= minimum {
                for _ in 0..<tokenCount { p.advance() }
                // `**` is right-associative and its right side may be negated (`2 ** -1`).
                let right = try p.parse(op == .power ? .unary : level.next)
                guard op.isComparison, let (next, _, _) = p.infixOperator(), next.isComparison else {
                    left = Expr(.binary(op, left, right), left.span.through(right.span))
                    continue
                }
                var rest = [(op, right)]
                while let (nextOp, _, count) = p.infixOperator(), nextOp.isComparison {
                    for _ in 0..<count { p.advance() }
                    rest.append((nextOp, try p.parse(.comparison.next)))
                }
                left = Expr(.comparisonChain(left, rest), left.span.through(rest[rest.count - 1].1.span))
            }
            return left
        }
    }

    mutating func prefix() throws -> Expr {
        let token = advance()
        switch token.kind {
        case .integer(let v): return try postfix(Expr(.integer(v, text: token.text), token.span))
        case .float(let v): return try postfix(Expr(.float(v, text: token.text), token.span))
        case .string(let s): return try postfix(Expr(.string(s), token.span))
        case .fstring(let pieces): return try postfix(Expr(.fstring(try fstringParts(pieces)), token.span))
        case .identifier(let name): return try postfix(Expr(.name(name), token.span))
        case .keyword(.true): return try postfix(Expr(.bool(true), token.span))
        case .keyword(.false): return try postfix(Expr(.bool(false), token.span))
        case .keyword(.none): return try postfix(Expr(.none, token.span))
        case .keyword(.not):
            let operand = try parse(.not)
            return Expr(.unary(.not, operand), token.span.through(operand.span))
        case .symbol(.minus), .symbol(.tilde):
            let operand = try parse(.unary)
            return Expr(.unary(token.isSymbol(.minus) ? .negate : .invert, operand), token.span.through(operand.span))
        case .symbol(.leftParen):
            return try postfix(parenthesized(token))
        case .symbol(.leftBracket):
            return try postfix(bracket(token))
        case .symbol(.leftBrace):
            return try postfix(braces(token))
        default:
            current -= 1
            if token.isKeyword(.lambda) { return try lambda() }
            throw Diagnostic("expected an expression, found \(token.displayName)", token.span)
        }
    }

    /// Calls, indexing and attributes, binding tighter than any operator.
    mutating func postfix(_ base: Expr) throws -> Expr {
        var expr = base
        while true {
            if peek.isSymbol(.leftParen) {
                let open = advance()
                let (args, close) = try arguments(open)
                expr = Expr(.call(expr, args), expr.span.through(close.span))
            } else if peek.isSymbol(.leftBracket) {
                let open = advance()
                let (items, close) = try indexItems(open)
                expr = Expr(.index(expr, items), expr.span.through(close.span))
            } else if match(.dot) {
                let name = try identifier("expected an attribute or method name after '.'")
                if peek.isSymbol(.leftParen) {
                    let open = advance()
                    let (args, close) = try arguments(open)
                    expr = Expr(.methodCall(expr, name: name.text, nameSpan: name.span, args), expr.span.through(close.span))
                } else {
                    expr = Expr(.attribute(expr, name: name.text, nameSpan: name.span), expr.span.through(name.span))
                }
            } else {
                return expr
            }
        }
    }

    /// `(a, b, k=v)`: positional arguments first, then keywords.
    mutating func arguments(_ open: Token) throws -> ([Argument], Token) {
        try nested(open.span) { p in
            var args: [Argument] = []
            // Sets, not scans of `args`: a call with 100,000 arguments stays linear.
            var keywords = Set<String>()
            while !p.peek.isSymbol(.rightParen) {
                if case .identifier(let name) = p.peek.kind, p.peekNext.isSymbol(.assign) {
                    let nameToken = p.advance()
                    p.advance()
                    guard keywords.insert(name).inserted else {
                        throw Diagnostic("keyword argument '\(name)' repeated", nameToken.span)
                    }
                    args.append(Argument(name: name, nameSpan: nameToken.span, value: try p.expression()))
                } else {
                    var value = try p.expression()
                    if !keywords.isEmpty {
                        throw Diagnostic("positional argument follows keyword argument", value.span)
                    }
                    // `sum(x * x for x in xs)`: a generator as the only argument.
                    if args.isEmpty, p.peek.isKeyword(.for) {
                        value = Expr(.listComprehension(element: value, try p.comprehensionClauses()), value.span.through(p.previous.span))
                    }
                    args.append(Argument(name: nil, nameSpan: nil, value: value))
                }
                if !p.match(.comma) { break }
            }
            return (args, try p.consume(.rightParen, "expected ')' after arguments", opener: open))
        }
    }

    /// `[i, a:b:c, ..., :]`.
    mutating func indexItems(_ open: Token) throws -> ([IndexItem], Token) {
        try nested(open.span) { p in
            var items: [IndexItem] = []
            repeat {
                if p.peek.isSymbol(.rightBracket) { break }
                if p.match(.ellipsis) { items.append(.ellipsis); continue }
                let start = p.peek.isSymbol(.colon) ? nil : try p.expression()
                guard p.match(.colon) else {
                    if let start { items.append(.single(start)) }
                    continue
                }
                let stop = p.peek.isSymbol(.colon) || p.peek.isSymbol(.comma) || p.peek.isSymbol(.rightBracket)
                    ? nil : try p.expression()
                var step: Expr?
                if p.match(.colon), !(p.peek.isSymbol(.comma) || p.peek.isSymbol(.rightBracket)) {
                    step = try p.expression()
                }
                items.append(.slice(start: start, stop: stop, step: step))
            } while p.match(.comma)
            let close = try p.consume(.rightBracket, "expected ']' after index", opener: open)
            if items.isEmpty { throw Diagnostic("expected an index inside '[]'", close.span) }
            return (items, close)
        }
    }
}

/// Recognises tensor literals among bracket expressions.
enum TensorLiteral {
    /// Row-major values and shape, when `elements` are all numbers (optionally
    /// negated) or all tensor literals of one shape; nil otherwise.
    static func shape(of elements: [Expr]) -> ([Double], [Int])? {
        guard !elements.isEmpty else { return nil }
        let numbers = elements.compactMap(number)
        if numbers.count == elements.count { return (numbers, [elements.count]) }
        var values: [Double] = []
        var inner: [Int]?
        for e in elements {
            guard case .tensorLiteral(_, let v, let s) = e.kind, inner == nil || inner == s else { return nil }
            inner = s
            values += v
        }
        return inner.map { (values, [elements.count] + $0) }
    }

    static func number(_ e: Expr) -> Double? {
        switch e.kind {
        case .integer(let v, _): return Double(v)
        case .float(let v, _): return v
        case .unary(.negate, let inner): return number(inner).map { -$0 }
        default: return nil
        }
    }
}
