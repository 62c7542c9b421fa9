/// The shape of the tree, one level at a time. Walks that must not recurse
/// (teardown, the evaluator's chains, `description`) read these, so a new node
/// kind is added here once and every walk follows it.
extension ExprKind {
    /// Every child expression, in source order.
    var children: [Expr] {
        switch self {
        case .integer, .float, .string, .bool, .none, .name: return []
        case .tensorLiteral(let elements, _, _), .list(let elements), .tuple(let elements): return elements
        case .dict(let entries): return entries.flatMap { [$0.key, $0.value] }
        case .listComprehension(let element, let clauses): return [element] + clauses.flatMap(\.expressions)
        case .dictComprehension(let key, let value, let clauses): return [key, value] + clauses.flatMap(\.expressions)
        case .fstring(let parts): return FStringPart.expressions(in: parts)
        case .unary(_, let operand): return [operand]
        case .binary(_, let left, let right): return [left, right]
        case .comparisonChain(let first, let rest): return [first] + rest.map(\.1)
        case .conditional(let then, let condition, let otherwise): return [then, condition, otherwise]
        case .lambda(let f): return f.defaults.compactMap { $0 } + (f.bodyExpression.map { [$0] } ?? [])
        case .call(let callee, let args): return [callee] + args.map(\.value)
        case .methodCall(let receiver, _, _, let args): return [receiver] + args.map(\.value)
        case .attribute(let receiver, _, _): return [receiver]
        case .index(let base, let items): return [base] + items.flatMap(\.expressions)
        }
    }

    /// The operand evaluated first whose value the node goes on from: `a` in
    /// `a + b`, `x` in `x.T`, `x[0]` and `x.sum()`, `f` in `f(1)`. Chains of
    /// these are as long as a line (`1 + 1 + ...`, `x.T.T...`) and are walked
    /// down with a loop. Prefix operators are not followed: the parser already
    /// bounds how deep `- - x` and `not not x` nest.
    var leftOperand: Expr? {
        switch self {
        case .binary(_, let left, _): return left
        case .call(let callee, _): return callee
        case .methodCall(let receiver, _, _, _), .attribute(let receiver, _, _): return receiver
        case .index(let base, _): return base
        case .comparisonChain(let first, _): return first
        case .integer, .float, .string, .bool, .none, .name, .tensorLiteral, .list, .tuple, .dict, .listComprehension,
             .dictComprehension, .fstring, .unary, .conditional, .lambda: return nil
        }
    }
}

extension ComprehensionClause {
    var expressions: [Expr] {
        switch self {
        case .for(let target, let iterable): return [target, iterable]
        case .if(let condition): return [condition]
        }
    }
}

extension FStringPart {
    /// The field expressions of `parts`, those inside format specs too (specs nest at most a few levels).
    static func expressions(in parts: [FStringPart]) -> [Expr] {
        var out: [Expr] = []
        var pending = parts
        while let part = pending.popLast() {
            guard case .field(let e, _, let spec, _) = part else { continue }
            out.append(e)
            pending += spec
        }
        return out
    }
}

extension FunctionDefinition {
    /// The body of `def f(x) = e` and of a lambda.
    var bodyExpression: Expr? {
        if case .expression(let e) = body { return e }
        return nil
    }
}

extension IndexItem {
    /// The expressions inside one index position.
    var expressions: [Expr] {
        switch self {
        case .single(let e): return [e]
        case .slice(let start, let stop, let step): return [start, stop, step].compactMap { $0 }
        case .ellipsis: return []
        }
    }
}

extension StmtKind {
    /// The statements directly inside this one (blocks, `else` branches, a function body).
    var statements: [Stmt] {
        switch self {
        case .expression, .assign, .compound, .delete, .import, .return, .break, .continue: return []
        case .function(let f):
            if case .block(let body) = f.body { return body }
            return []
        case .if(_, let then, let otherwise): return then + (otherwise ?? [])
        case .for(_, _, let body), .while(_, let body), .noGrad(let body), .time(let body): return body
        }
    }
}

/// A node of the syntax tree that can give up its children.
protocol SyntaxNode: AnyObject {
    /// The node's children, which it no longer holds afterwards.
    func detachChildren() -> [Self]
}

/// The stored `kind` of a syntax node, for the teardown to clear. `kind` is a
/// `let` (read in place by the evaluator, never copied) and the first stored
/// property: a Swift class lays its stored properties out in declaration order
/// after the two-word object header (metadata, reference counts).
/// `SyntaxTreeTests.testStoredKindIsTheKindField` checks the offset.
@inline(__always)
func storedKind<Node: AnyObject, Kind>(of node: Node, _: Kind.Type) -> UnsafeMutablePointer<Kind> {
    let align = MemoryLayout<Kind>.alignment
    let offset = (2 * MemoryLayout<Int>.size + align - 1) / align * align
    return (UnsafeMutableRawPointer(Unmanaged.passUnretained(node).toOpaque()) + offset).assumingMemoryBound(to: Kind.self)
}

/// Frees the subtree below `node` from an explicit stack. Releasing a tree
/// 100,000 levels deep through ARC alone would recurse once per level and
/// overflow the stack. A node someone else still holds (a function's body)
/// keeps its children.
func releaseSubtree<Node: SyntaxNode>(of node: Node) {
    var pending = node.detachChildren()
    while var next = pending.popLast() {
        guard isKnownUniquelyReferenced(&next) else { continue }
        pending += next.detachChildren()
    }
}
