/// Turns source text into tokens. Line breaks (`\n`, `\r\n` or a lone `\r`)
/// end statements except inside open `(`, `[` or a dict's `{` (a line whose
/// brackets are open continues on the next line) or after a `\` at the end of
/// the line; inside a block's `{ }` they separate the statements of the block.
/// A `{` opens a block when it follows the end of an expression (`if c {`,
/// `def f(x) {`, `else {`, `no_grad {`) and a dict anywhere else (`d = {`).
struct Lexer {
    let scalars: [Unicode.Scalar]
    var index = 0
    /// Where this lexer stops: the end of the source, or of an f-string field.
    let end: Int
    var line = 1
    var lineStart = 0
    /// Open brackets, innermost last: newlines are ignored unless the top is a block's `{`.
    var open: [(symbol: Symbol, span: SourceSpan, isBlock: Bool)] = []
    /// Inside an f-string field newlines are ignored, as inside parentheses.
    let insideField: Bool
    /// How many f-strings enclose this lexer's text (nested fields are bounded).
    let fieldDepth: Int
    static let maxFieldDepth = 8
    private(set) var tokens: [Token] = []
    var errors: [Diagnostic] = []

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
        end = scalars.count
        insideField = false
        fieldDepth = 0
        // A UTF-8 byte-order mark some editors write is not part of the program.
        if scalars.first == "\u{FEFF}" { index = 1; lineStart = 1 }
    }

    /// A lexer for the expression of an f-string field: `scalars[start..<end]`.
    init(field scalars: [Unicode.Scalar], start: Int, end: Int, line: Int, lineStart: Int, fieldDepth: Int) {
        self.scalars = scalars
        index = start
        self.end = end
        self.line = line
        self.lineStart = lineStart
        insideField = true
        self.fieldDepth = fieldDepth
    }

    /// All tokens, ending with `.end`. Lexical errors are collected, not thrown.
    static func tokenize(_ source: String) -> (tokens: [Token], errors: [Diagnostic], unclosed: [SourceSpan]) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.errors, lexer.open.map(\.span))
    }

    mutating func run() {
        while index < end {
            let c = scalars[index]
            if c == "#" {
                while index < end && !isLineBreak(scalars[index]) { index += 1 }
            } else if isLineBreak(c) {
                let ignored = insideField || (open.last.map { !$0.isBlock } ?? false)
                if !ignored { add(.newline, start: index, text: "\n") }
                skipLineBreak()
            } else if c == " " || c == "\t" {
                index += 1
            } else if c == "\\", let next = peek(1), isLineBreak(next) {
                // An explicit line continuation: the line break is not a statement end.
                index += 1
                skipLineBreak()
            } else if isDigit(c) || (c == "." && peek(1).map(isDigit) == true) {
                number()
            } else if c == "\"" || c == "'" {
                string(prefix: StringPrefix(), start: index)
            } else if isIdentifierStart(c) {
                identifier()
            } else {
                symbol()
            }
        }
        add(.end, start: index, text: "")
    }

    /// Moves past one line break (`\n`, `\r\n` or a lone `\r`) to the next line.
    mutating func skipLineBreak() {
        index += scalars[index] == "\r" && peek(1) == "\n" ? 2 : 1
        line += 1
        lineStart = index
    }

    func peek(_ ahead: Int) -> Unicode.Scalar? {
        index + ahead < end ? scalars[index + ahead] : nil
    }

    func span(from start: Int) -> SourceSpan {
        SourceSpan(line: line, column: start - lineStart + 1, length: index - start, offset: start)
    }

    private mutating func add(_ kind: TokenKind, start: Int, text: String) {
        let s = SourceSpan(line: line, column: start - lineStart + 1, length: max(text.unicodeScalars.count, 1), offset: start)
        tokens.append(Token(kind: kind, span: s, text: text))
    }

    mutating func error(_ message: String, _ span: SourceSpan) {
        errors.append(Diagnostic(message, span))
    }

    mutating func append(_ token: Token) { tokens.append(token) }

    func text(_ start: Int) -> String {
        let slice = scalars[start..<index]
        // Most tokens are ASCII: decoding bytes is several times faster than appending scalars.
        if slice.allSatisfy(\.isASCII) {
            return String(decoding: slice.lazy.map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self)
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: slice)
        return String(s)
    }

    private mutating func number() {
        let start = index
        var isFloat = false
        while let c = peek(0), isDigit(c) || c == "_" { index += 1 }
        // `1.` is a float, but `1.T` / `x.1` style attribute access is not a number.
        if peek(0) == ".", peek(1).map({ !isIdentifierStart($0) && $0 != "." }) ?? true {
            isFloat = true
            index += 1
            while let c = peek(0), isDigit(c) || c == "_" { index += 1 }
        }
        if let e = peek(0), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let d = peek(signed ? 2 : 1), isDigit(d) {
                isFloat = true
                index += signed ? 2 : 1
                while let c = peek(0), isDigit(c) { index += 1 }
            }
        }
        let spelling = text(start)
        let digits = spelling.filter { $0 != "_" }
        if isFloat {
            add(.float(Double(digits) ?? .nan), start: start, text: spelling)
        } else if let value = Int(digits) {
            add(.integer(value), start: start, text: spelling)
        } else {
            error("integer literal \(spelling) is too large (the limit is \(Int.max))", span(from: start))
            add(.integer(0), start: start, text: spelling)
        }
    }

    private mutating func identifier() {
        let start = index
        while let c = peek(0), isIdentifierStart(c) || isDigit(c) { index += 1 }
        // `f"..."`, `r'...'`, `rf"..."`: a string with a prefix.
        if let q = peek(0), q == "\"" || q == "'", index - start <= 2,
           let prefix = StringPrefix(scalars[start..<index]) {
            string(prefix: prefix, start: start)
            return
        }
        let name = text(start)
        let kind: TokenKind = Keyword(rawValue: name).map { .keyword($0) } ?? .identifier(name)
        tokens.append(Token(kind: kind, span: span(from: start), text: name))
    }

    private mutating func symbol() {
        let start = index
        for (symbol, spelling) in Self.symbolsLongestFirst where index + spelling.count <= end {
            guard scalars[index..<index + spelling.count].elementsEqual(spelling) else { continue }
            index += spelling.count
            let token = Token(kind: .symbol(symbol), span: span(from: start), text: symbol.rawValue)
            tokens.append(token)
            track(symbol, token.span)
            return
        }
        index += 1
        error("unexpected character \(Self.describe(scalars[start]))", span(from: start))
    }

    /// Longest match first: `...`, then two-character symbols, then one.
    private static let symbolsLongestFirst: [(Symbol, [Unicode.Scalar])] = Symbol.allCases
        .map { ($0, Array($0.rawValue.unicodeScalars)) }
        .sorted { $0.1.count > $1.1.count }

    /// A stray character as the message shows it: invisible ones (NUL, controls) by code
    /// point, and U+FFFD, which stands for bytes that were not valid UTF-8 when the file was read.
    static func describe(_ c: Unicode.Scalar) -> String {
        if c == "\u{FFFD}" { return "U+FFFD (the source has bytes that are not valid UTF-8)" }
        if c.properties.generalCategory == .control || c.properties.generalCategory == .format || c.value == 0 {
            let hex = String(c.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(c)'"
    }

    /// Keeps the stack of open brackets; a stray closer is left to the parser.
    private mutating func track(_ symbol: Symbol, _ span: SourceSpan) {
        switch symbol {
        case .leftParen, .leftBracket: open.append((symbol, span, false))
        case .leftBrace: open.append((symbol, span, tokens.dropLast().last.map(Lexer.endsExpression) ?? false))
        case .rightParen: if open.last?.symbol == .leftParen { open.removeLast() }
        case .rightBracket: if open.last?.symbol == .leftBracket { open.removeLast() }
        case .rightBrace: if open.last?.symbol == .leftBrace { open.removeLast() }
        default: break
        }
    }
}

extension Lexer {
    /// Whether a `{` after `token` opens a block: it follows a complete expression or `else`.
    static func endsExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .integer, .float, .string, .fstring, .identifier: return true
        case .keyword(let k): return k == .true || k == .false || k == .none || k == .else
        case .symbol(let s): return s == .rightParen || s == .rightBracket || s == .rightBrace
        case .newline, .end: return false
        }
    }
}

func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
/// Lines end at `\n`, `\r\n` or a lone `\r` (files from every platform).
func isLineBreak(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }
func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
    (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || (c.value > 127 && c.properties.isAlphabetic)
}
