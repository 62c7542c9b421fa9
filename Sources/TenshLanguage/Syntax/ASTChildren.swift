/// The shape of the tree, one level at a time. Walks that must not recurse
/// (teardown, the evaluator's chains, `description`) read these, so a new node
/// kind is added here once and every walk follows it.
extension ExprKind {
    /// Every child expression, in source order.
    var children: [Expr] {
        switch self {
        case .integer, .float, .string, .bool, .none, .name: return []
        case .tensorLiteral(let elements, _, _), .list(let elements): return elements
        case .unary(_, let operand): return [operand]
        case .binary(_, let left, let right): return [left, right]
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
        case .integer, .float, .string, .bool, .none, .name, .tensorLiteral, .list, .unary: return nil
        }
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
        case .expression, .assign, .compound, .return, .break, .continue: return []
        case .function(let f):
            if case .block(let body) = f.body { return body }
            return []
        case .if(_, let then, let otherwise): return then + (otherwise ?? [])
        case .for(_, _, _, let body), .while(_, let body), .noGrad(let body), .time(let body): return body
        }
    }
}

/// A node of the syntax tree that can give up its children.
protocol SyntaxNode: AnyObject {
    /// The node's children, which it no longer holds afterwards.
    func detachChildren() -> [Self]
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
