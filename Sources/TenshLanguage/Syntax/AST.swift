/// The syntax tree. Every node keeps its source span so that diagnostics can
/// point at the exact expression; `description` prints canonical source.

public final class Expr {
    /// Only the teardown in `deinit` changes it.
    public private(set) var kind: ExprKind
    public let span: SourceSpan

    init(_ kind: ExprKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// A chain such as `1 + 1 + ...` is as deep as it is long: freed without recursion.
    deinit { releaseSubtree(of: self) }
}

extension Expr: SyntaxNode {
    func detachChildren() -> [Expr] {
        let children = kind.children
        if !children.isEmpty { kind = .none }
        return children
    }
}

public enum UnaryOperator: String, Sendable { case negate = "-", not = "not" }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "**", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

public struct Argument {
    /// The keyword, for `name=value`.
    public let name: String?
    public let nameSpan: SourceSpan?
    public let value: Expr
    /// The whole `name=value` (or just the value).
    public var span: SourceSpan { nameSpan.map { $0.through(value.span) } ?? value.span }
}

/// One position inside `x[...]`.
public enum IndexItem {
    case single(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?)
    case ellipsis
}

public enum ExprKind {
    case integer(Int, text: String)
    case float(Double, text: String)
    case string(String)
    case bool(Bool)
    case none
    case name(String)
    /// `[[1, 2], [3, 4]]`: only number literals, rectangular. Values in row-major order.
    case tensorLiteral(elements: [Expr], values: [Double], shape: [Int])
    case list([Expr])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case call(Expr, [Argument])
    /// `x.name(args)`: sugar for `name(x, args)`.
    case methodCall(Expr, name: String, nameSpan: SourceSpan, [Argument])
    case attribute(Expr, name: String, nameSpan: SourceSpan)
    case index(Expr, [IndexItem])
}

public final class Stmt {
    /// Only the teardown in `deinit` changes it.
    public private(set) var kind: StmtKind
    public let span: SourceSpan

    init(_ kind: StmtKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// `else if` chains nest statements without bound: freed without recursion
    /// (the expressions inside free themselves the same way).
    deinit { releaseSubtree(of: self) }
}

extension Stmt: SyntaxNode {
    func detachChildren() -> [Stmt] {
        let children = kind.statements
        if !children.isEmpty { kind = .break }
        return children
    }
}

public struct Parameter: Sendable {
    public let name: String
    public let span: SourceSpan
}

public struct FunctionDefinition {
    public let name: String
    public let nameSpan: SourceSpan
    public let parameters: [Parameter]
    public let defaults: [Expr?]
    public let body: FunctionBody
}

public enum FunctionBody {
    case expression(Expr)
    case block([Stmt])
}

public enum CompoundOperator: String, Sendable {
    case add = "+=", subtract = "-=", multiply = "*=", divide = "/="

    var binary: BinaryOperator {
        switch self {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        }
    }
}

public enum StmtKind {
    /// `silent` when a `;` ends it (the REPL does not echo its value).
    case expression(Expr, silent: Bool)
    case assign(targets: [(name: String, span: SourceSpan)], value: Expr)
    case compound(name: String, nameSpan: SourceSpan, CompoundOperator, Expr)
    case function(FunctionDefinition)
    case `return`(Expr?)
    case `if`(Expr, then: [Stmt], else: [Stmt]?)
    case `for`(name: String, nameSpan: SourceSpan, in: Expr, body: [Stmt])
    case `while`(Expr, body: [Stmt])
    case noGrad([Stmt])
    case time([Stmt])
    case `break`
    case `continue`
}
