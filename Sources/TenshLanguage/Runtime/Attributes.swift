import TenshEngine
import TenshText

/// `x.shape`, `x.ndim`, `x.dtype`, `x.grad`, `x.requires_grad`, `x.T`, ...
extension Interpreter {
    static let tensorAttributes = ["shape", "ndim", "dtype", "grad", "requires_grad", "T", "is_leaf", "grad_fn", "retains_grad"]

    func attribute(_ receiver: Value, _ name: String, at span: SourceSpan, receiverSpan: SourceSpan) throws -> Value {
        guard case .tensor(let t) = receiver else {
            throw RuntimeError("\(receiver.typeNameWithArticle) has no attribute '\(name)'", at: span)
        }
        switch name {
        case "shape": return .list(t.shape.map(Value.int))
        case "ndim": return .int(t.rank)
        case "dtype": return .string(t.dtype.rawValue)
        case "grad": return t.grad.map(Value.tensor) ?? .none
        case "requires_grad": return .bool(t.requiresGrad)
        case "is_leaf": return .bool(t.isLeaf)
        case "retains_grad": return .bool(t.retainsGrad)
        case "grad_fn": return t.gradFn.map { .string($0.gradFnName) } ?? .none
        case "T":
            guard t.rank == 2 else {
                throw RuntimeError(".T needs a 2-d tensor, got shape \(shapeText(t.shape)); use permute for other ranks", at: span)
            }
            guard let transpose = registry["transpose"] else {
                throw RuntimeError(".T needs transpose, which is not available in this build", at: span)
            }
            return try call(.builtin(transpose), [receiver, .int(0), .int(1)], at: span)
        default:
            let hint = Suggestions.hint(for: name, in: Interpreter.tensorAttributes)
            throw RuntimeError("a tensor has no attribute '\(name)'\(hint)", at: span)
        }
    }
}
