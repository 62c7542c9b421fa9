/// Where a piece of source text is: 1-based line and column (in Unicode
/// scalars) of its first character, and its length on that line.
public struct SourceSpan: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var length: Int
    /// Offset of the first scalar in the whole source, for joining spans.
    public var offset: Int

    public init(line: Int, column: Int, length: Int, offset: Int) {
        self.line = line
        self.column = column
        self.length = max(length, 1)
        self.offset = offset
    }

    /// The span from the start of `self` to the end of `other`. Spans that
    /// cross lines are cut at the end of the first line by the renderer.
    public func through(_ other: SourceSpan) -> SourceSpan {
        let end = max(offset + length, other.offset + other.length)
        return SourceSpan(line: line, column: column, length: end - offset, offset: offset)
    }

    public var description: String { "\(line):\(column)" }
}

public enum TokenKind: Equatable, Sendable {
    var isIdentifier: Bool {
        if case .identifier = self { return true }
        return false
    }

    case integer(Int)
    case float(Double)
    case string(String)
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    /// `f"..."`: literal text and `{expression!conversion:spec}` fields.
    case fstring([FStringPiece])
    case newline
    case end
}

/// Reserved words. `no_grad` and `time` are not reserved: they open a block
/// only at the start of a statement when a `{` follows.
public enum Keyword: String, CaseIterable, Sendable {
    case def, `return`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`
    case and, or, not, `is`, `true`, `false`, none, del, lambda, `import`, from, `as`
}

public enum Symbol: String, CaseIterable, Sendable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}"
    case comma = ",", colon = ":", semicolon = ";", dot = ".", ellipsis = "..."
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case floorSlashAssign = "//=", percentAssign = "%=", powerAssign = "**="
    case plus = "+", minus = "-", star = "*", slash = "/", floorSlash = "//", percent = "%", power = "**", at = "@"
    case ampersand = "&", pipe = "|", caret = "^", tilde = "~"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public struct Token: Equatable, Sendable {
    public let kind: TokenKind
    public let span: SourceSpan
    /// The exact source text (numbers keep their spelling for round trips).
    public let text: String

    func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }
    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }

    /// How the token is named in "expected ... but found ..." messages.
    var displayName: String {
        switch kind {
        case .newline: return "end of line"
        case .end: return "end of input"
        case .string, .fstring: return "a string"
        default: return "'\(text)'"
        }
    }
}

/// A piece of an f-string token: text, or a replacement field.
public enum FStringPiece: Equatable, Sendable {
    case literal(String)
    case field(FStringField)
}

/// `{expression!r:spec}` inside an f-string, lexed where it stands in the source.
public struct FStringField: Equatable, Sendable {
    /// The expression's tokens, ending with `.end`.
    public let tokens: [Token]
    /// The expression's text in the source.
    public let span: SourceSpan
    /// `r`, `s` or `a` after `!`.
    public let conversion: Unicode.Scalar?
    /// The format spec after `:`, which may hold fields of its own.
    public let spec: [FStringPiece]
    /// `{x=}` prints `x=` (the source text with its spaces) before the value.
    public let debugText: String?
}
