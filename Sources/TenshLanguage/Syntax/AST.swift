/// The syntax tree. Every node keeps its source span so that diagnostics can
/// point at the exact expression; `description` prints canonical source.

public final class Expr {
    /// Immutable, so the evaluator reads it in place: a `var` was copied out of
    /// the node, retaining and releasing its children, on every evaluation. Only
    /// the teardown in `deinit` clears it (`storedKind`), when nothing else can
    /// read it. Declared first: `storedKind` finds it after the object header.
    public let kind: ExprKind
    public let span: SourceSpan
    /// Whether `kind.leftOperand` is set: the evaluator asks it of every node,
    /// and reading `kind` copies the node's children.
    let hasLeftOperand: Bool
    /// For a `.name` node: the global variable it last found (Environment.swift).
    @exclusivity(unchecked) var globalCell: GlobalCell?
    /// For a `.methodCall` node on a tensor: the builtin its name found in the
    /// tensor method table or the registry, which never change (Attributes.swift).
    @exclusivity(unchecked) var methodTarget: MethodTarget?

    init(_ kind: ExprKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
        self.hasLeftOperand = kind.leftOperand != nil
    }

    /// A chain such as `1 + 1 + ...` is as deep as it is long: freed without recursion.
    deinit { releaseSubtree(of: self) }
}

extension Expr: SyntaxNode {
    func detachChildren() -> [Expr] {
        let children = kind.children
        if !children.isEmpty { storedKind(of: self, ExprKind.self).pointee = .none }
        return children
    }
}

public enum UnaryOperator: String, Sendable { case negate = "-", not = "not", invert = "~" }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", remainder = "%"
    case power = "**", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
    case bitAnd = "&", bitOr = "|", bitXor = "^"
    case and, or

    /// `==`, `<`, `in`, `is` and the others that chain: `0 <= i < n`.
    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in, .notIn, .is, .isNot: return true
        default: return false
        }
    }
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

/// `for target in iterable` or `if condition` inside a comprehension.
public enum ComprehensionClause {
    case `for`(target: Expr, iterable: Expr)
    case `if`(Expr)
}

/// Text or a `{value!conversion:spec}` field of an f-string.
public enum FStringPart {
    case literal(String)
    case field(Expr, conversion: Unicode.Scalar?, spec: [FStringPart], debugText: String?)
}

/// Indirect: a node's kind is one reference, so the evaluator's `switch e.kind`
/// copies it with one retain instead of copying up to 64 bytes of payload
/// through the enum's value witness (14 copies per iteration of a small loop).
public indirect enum ExprKind {
    case integer(Int, text: String)
    case float(Double, text: String)
    case string(String)
    case bool(Bool)
    case none
    case name(String)
    /// `[[1, 2], [3, 4]]`: only number literals, rectangular. Values in row-major order.
    case tensorLiteral(elements: [Expr], values: [Double], shape: [Int])
    case list([Expr])
    case tuple([Expr])
    case dict([(key: Expr, value: Expr)])
    /// `[element for v in xs if c]` (also a generator `(... for ...)`, made at once).
    case listComprehension(element: Expr, [ComprehensionClause])
    /// `{key: value for k, v in d.items()}`.
    case dictComprehension(key: Expr, value: Expr, [ComprehensionClause])
    case fstring([FStringPart])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `a < b <= c`: each comparison with the next operand, stopping at the first false one.
    case comparisonChain(Expr, [(BinaryOperator, Expr)])
    /// `a if condition else b`.
    case conditional(then: Expr, condition: Expr, otherwise: Expr)
    /// `lambda x, k=2: x * k`.
    case lambda(FunctionDefinition)
    case call(Expr, [Argument])
    /// `x.name(args)`: sugar for `name(x, args)`.
    case methodCall(Expr, name: String, nameSpan: SourceSpan, [Argument])
    case attribute(Expr, name: String, nameSpan: SourceSpan)
    case index(Expr, [IndexItem])
}

public final class Stmt {
    /// Immutable; only the teardown in `deinit` clears it (see `Expr.kind`). Declared first.
    public let kind: StmtKind
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
        if !children.isEmpty { storedKind(of: self, StmtKind.self).pointee = .break }
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
    case floorDivide = "//=", remainder = "%=", power = "**="

    var binary: BinaryOperator {
        switch self {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .floorDivide: return .floorDivide
        case .remainder: return .remainder
        case .power: return .power
        }
    }
}

public enum StmtKind {
    /// `silent` when a `;` ends it (the REPL does not echo its value).
    case expression(Expr, silent: Bool)
    /// `a = b = value`: each target a name, `x.attr`, `x[i]` or a tuple of targets.
    case assign(targets: [Expr], value: Expr)
    case compound(target: Expr, CompoundOperator, Expr)
    /// `del d[k], x`.
    case delete([Expr])
    /// `import torch.nn.functional as F`, `from torch import nn`: binds each name to what its path names.
    case `import`([(path: [String], name: String)])
    case function(FunctionDefinition)
    case `return`(Expr?)
    case `if`(Expr, then: [Stmt], else: [Stmt]?)
    case `for`(target: Expr, in: Expr, body: [Stmt])
    case `while`(Expr, body: [Stmt])
    case noGrad([Stmt])
    case time([Stmt])
    case `break`
    case `continue`
}
