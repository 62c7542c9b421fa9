/// Binding power of operators, lowest first (Python's order). An operator at
/// level p parses its right operand at p + 1 (left-associative) except `**`,
/// whose right operand is parsed at `.unary` (right-associative, and `2 ** -1`
/// works), while unary minus parses its operand at `.unary` so that
/// `-2 ** 2` is `-(2 ** 2)` as in Python.
enum Precedence: Int, Comparable {
    case lowest
    case or          // a or b
    case and         // a and b
    case not         // not a   (prefix)
    case comparison  // == != < <= > >= in, not in, is, is not (chained: a < b < c)
    case bitOr       // a | b
    case bitXor      // a ^ b
    case bitAnd      // a & b
    case term        // + -
    case factor      // * / // % @
    case unary       // -a      (prefix)
    case power       // a ** b  (right-associative)
    case postfix     // f(x)  x[i]  x.name

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    var next: Precedence { Precedence(rawValue: rawValue + 1) ?? .postfix }

    /// The infix operator a token stands for, with its level.
    static func infix(_ token: Token) -> (BinaryOperator, Precedence)? {
        switch token.kind {
        case .keyword(.or): return (.or, .or)
        case .keyword(.and): return (.and, .and)
        case .keyword(.in): return (.in, .comparison)
        case .keyword(.is): return (.is, .comparison)
        case .symbol(let s):
            switch s {
            case .equal: return (.equal, .comparison)
            case .notEqual: return (.notEqual, .comparison)
            case .less: return (.less, .comparison)
            case .lessEqual: return (.lessEqual, .comparison)
            case .greater: return (.greater, .comparison)
            case .greaterEqual: return (.greaterEqual, .comparison)
            case .pipe: return (.bitOr, .bitOr)
            case .caret: return (.bitXor, .bitXor)
            case .ampersand: return (.bitAnd, .bitAnd)
            case .plus: return (.add, .term)
            case .minus: return (.subtract, .term)
            case .star: return (.multiply, .factor)
            case .slash: return (.divide, .factor)
            case .floorSlash: return (.floorDivide, .factor)
            case .percent: return (.remainder, .factor)
            case .at: return (.matmul, .factor)
            case .power: return (.power, .power)
            default: return nil
            }
        default: return nil
        }
    }

    /// The level an operator's own expression has (for parenthesising in `description`).
    static func of(_ op: BinaryOperator) -> Precedence {
        switch op {
        case .or: return .or
        case .and: return .and
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in, .notIn, .is, .isNot: return .comparison
        case .bitOr: return .bitOr
        case .bitXor: return .bitXor
        case .bitAnd: return .bitAnd
        case .add, .subtract: return .term
        case .multiply, .divide, .floorDivide, .remainder, .matmul: return .factor
        case .power: return .power
        }
    }
}
