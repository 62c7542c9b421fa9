/// String literals: `"..."`, `'...'`, triple-quoted `"""..."""` (which may
/// span lines), raw `r"..."` (backslashes kept) and f-strings `f"{x:.3f}"`,
/// whose fields are lexed where they stand so that errors point into them.
struct StringPrefix {
    var isFormatted = false
    var isRaw = false

    /// `f`, `r`, `rf`, `fr` in either case; nil for other identifiers.
    init?(_ letters: ArraySlice<Unicode.Scalar>) {
        for c in letters {
            switch c {
            case "f", "F": if isFormatted { return nil } else { isFormatted = true }
            case "r", "R": if isRaw { return nil } else { isRaw = true }
            default: return nil
            }
        }
    }

    init() {}
}

extension Lexer {
    /// A string literal whose prefix starts at `start` and whose quote is at `index`.
    mutating func string(prefix: StringPrefix, start: Int) {
        let quote = scalars[index]
        let startLine = line, startLineStart = lineStart
        let triple = peek(1) == quote && peek(2) == quote
        index += triple ? 3 : 1
        var pieces: [FStringPiece] = []
        var literal = String.UnicodeScalarView()
        var closed = false
        while index < end {
            let c = scalars[index]
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                index += triple ? 3 : 1
                closed = true
                break
            }
            if isLineBreak(c) {
                guard triple else { break }
                literal.append("\n")
                skipLineBreak()
                continue
            }
            if prefix.isFormatted && (c == "{" || c == "}") {
                if peek(1) == c {
                    literal.append(c)
                    index += 2
                    continue
                }
                guard c == "{" else {
                    error("f-string: single '}' is not allowed (write '}}' for a brace)", span(from: index, length: 1))
                    index += 1
                    continue
                }
                if !literal.isEmpty { pieces.append(.literal(String(literal))) }
                literal = String.UnicodeScalarView()
                if let field = field(quote: quote, triple: triple) { pieces.append(.field(field)) }
                continue
            }
            if prefix.isRaw, c == "\\", let next = peek(1), next == quote || next == "\\" {
                // A raw string keeps the backslash, which still stops the quote from closing it.
                literal.append(c)
                literal.append(next)
                index += 2
                continue
            }
            literal.append(prefix.isRaw ? c : escaped(c))
            index += 1
        }
        let span = SourceSpan(line: startLine, column: start - startLineStart + 1, length: index - start, offset: start)
        if !closed {
            error("unterminated string", SourceSpan(line: startLine, column: start - startLineStart + 1, length: 1, offset: start))
        }
        if prefix.isFormatted {
            if !literal.isEmpty { pieces.append(.literal(String(literal))) }
            append(Token(kind: .fstring(pieces), span: span, text: text(start)))
        } else {
            append(Token(kind: .string(String(literal)), span: span, text: text(start)))
        }
    }

    /// The character a backslash escape at `index` stands for (moving past the
    /// escape's first character); `c` itself when it is not a backslash.
    private mutating func escaped(_ c: Unicode.Scalar) -> Unicode.Scalar {
        guard c == "\\", let next = peek(1), !isLineBreak(next) else { return c }
        index += 1
        switch next {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "0": return "\0"
        case "\\", "\"", "'": return next
        default:
            error("unknown escape sequence '\\\(next)' in string", span(from: index - 1, length: 2))
            return next
        }
    }

    func span(from start: Int, length: Int) -> SourceSpan {
        SourceSpan(line: line, column: start - lineStart + 1, length: length, offset: start)
    }

    /// `{expression!r:spec}` with `index` at the `{`; moves past the closing `}`.
    /// Nil after reporting an error.
    private mutating func field(quote: Unicode.Scalar, triple: Bool) -> FStringField? {
        let open = index
        index += 1
        let exprStart = index, exprLine = line, exprLineStart = lineStart
        var depth = 0
        var debugEnd: Int?
        while index < end {
            let c = scalars[index]
            if c == quote && !triple || isLineBreak(c) && !triple { break }
            if c == "\"" || c == "'" { skipNestedString(c); continue }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || (c == "}" && depth > 0) {
                depth -= 1
                index += 1
                continue
            }
            if depth == 0 {
                if c == "}" || c == ":" || (c == "!" && peek(1) != "=") { break }
                if c == "=", peek(1) != "=", index > exprStart, !"=!<>".unicodeScalars.contains(scalars[index - 1]) {
                    debugEnd = index
                    index += 1
                    while let s = peek(0), s == " " { index += 1 }
                    break
                }
            }
            if isLineBreak(c) { skipLineBreak() } else { index += 1 }
        }
        let exprEnd = debugEnd ?? index
        guard index < end, exprEnd > exprStart, scalars[exprStart..<exprEnd].contains(where: { $0 != " " }) else {
            error(index < end && scalars[index] != quote ? "f-string: empty expression not allowed" : "f-string: expecting '}'",
                  span(from: open, length: 1))
            return nil
        }
        guard fieldDepth < Lexer.maxFieldDepth else {
            error("f-strings nested too deeply (the limit is \(Lexer.maxFieldDepth))", span(from: open, length: 1))
            return nil
        }
        var sub = Lexer(field: scalars, start: exprStart, end: exprEnd, line: exprLine, lineStart: exprLineStart,
                        fieldDepth: fieldDepth + 1)
        sub.run()
        errors += sub.errors
        let exprSpan = SourceSpan(line: exprLine, column: exprStart - exprLineStart + 1, length: exprEnd - exprStart, offset: exprStart)
        let debugText = debugEnd.map { _ in text(exprStart) }
        var conversion: Unicode.Scalar?
        if peek(0) == "!" {
            conversion = peek(1)
            guard let c = conversion, "rsa".unicodeScalars.contains(c), peek(2) == ":" || peek(2) == "}" else {
                error("f-string: invalid conversion character (expected 'r', 's' or 'a')", span(from: index, length: 2))
                skipToFieldEnd(quote)
                return nil
            }
            index += 2
        }
        var spec: [FStringPiece] = []
        if peek(0) == ":" {
            index += 1
            spec = formatSpec(quote: quote, triple: triple)
        }
        guard peek(0) == "}" else {
            error("f-string: expecting '}'", span(from: open, length: 1))
            return nil
        }
        index += 1
        return FStringField(tokens: sub.tokens, span: exprSpan, conversion: conversion, spec: spec, debugText: debugText)
    }

    /// The spec after `:` up to the field's `}`: text and nested `{fields}`.
    private mutating func formatSpec(quote: Unicode.Scalar, triple: Bool) -> [FStringPiece] {
        var pieces: [FStringPiece] = []
        var literal = String.UnicodeScalarView()
        while index < end, scalars[index] != "}", scalars[index] != quote || triple, !isLineBreak(scalars[index]) {
            if scalars[index] == "{" {
                if !literal.isEmpty { pieces.append(.literal(String(literal))) }
                literal = String.UnicodeScalarView()
                guard let nested = field(quote: quote, triple: triple) else { return pieces }
                pieces.append(.field(nested))
                continue
            }
            literal.append(scalars[index])
            index += 1
        }
        if !literal.isEmpty { pieces.append(.literal(String(literal))) }
        return pieces
    }

    /// Moves past a string inside a field's expression (its own quotes may be either kind).
    private mutating func skipNestedString(_ quote: Unicode.Scalar) {
        index += 1
        while index < end, scalars[index] != quote, !isLineBreak(scalars[index]) {
            index += scalars[index] == "\\" ? 2 : 1
        }
        if index < end, scalars[index] == quote { index += 1 }
    }

    private mutating func skipToFieldEnd(_ quote: Unicode.Scalar) {
        while index < end, scalars[index] != "}", scalars[index] != quote, !isLineBreak(scalars[index]) { index += 1 }
    }
}
