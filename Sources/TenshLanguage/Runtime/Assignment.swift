import TenshEngine
import TenshText

/// `x = v`, `a, b = v`, `x.attr = v`, `x[i] = v`, `x += v` and `del x[i]`.
extension Interpreter {
    /// Binds `value` to `target`: a name, an attribute, an item, or a tuple of targets.
    func assign(_ value: Value, to target: Expr, span: SourceSpan) throws {
        switch target.kind {
        case .name(let name): environment.assign(name, value)
        case .tuple(let targets), .list(let targets):
            let items = try iterationItems(value, at: span)
            guard items.count == targets.count else {
                let relation = items.count > targets.count ? "too many values to unpack" : "not enough values to unpack"
                throw RuntimeError("\(relation) (expected \(targets.count), got \(items.count))", at: span)
            }
            for (t, v) in zip(targets, items) { try assign(v, to: t, span: span) }
        case .attribute(let receiver, let name, let nameSpan):
            try setAttribute(try evaluate(receiver), name, value, at: nameSpan)
        case .index(let base, let items):
            try setItem(try evaluate(base), items, value, at: target.span)
        default:
            throw RuntimeError("cannot assign to this expression", at: target.span)
        }
    }

    /// `w.grad = none`, `x.requires_grad = true`.
    func setAttribute(_ receiver: Value, _ name: String, _ value: Value, at span: SourceSpan) throws {
        if case .module(let m) = receiver { return try setModuleAttribute(m, name, value, at: span) }
        guard case .tensor(let t) = receiver else {
            throw RuntimeError("cannot set attribute '\(name)' of \(receiver.typeNameWithArticle)", at: span)
        }
        switch (name, value) {
        case ("grad", .none): t.grad = nil
        case ("grad", .tensor(let g)):
            guard g.shape == t.shape, g.dtype == t.dtype else {
                throw RuntimeError("assigned grad has shape \(shapeText(g.shape)) and dtype \(g.dtype), but the tensor has shape \(shapeText(t.shape)) and dtype \(t.dtype)", at: span)
            }
            t.grad = g
        case ("grad", _): throw RuntimeError("assigned grad expected to be a tensor or none, got \(value.typeName)", at: span)
        case ("requires_grad", .bool(let b)):
            _ = try mapEngineError(at: span) { try t.setRequiresGrad(b) }
        case ("requires_grad", _): throw RuntimeError("requires_grad must be true or false, got \(value.typeName)", at: span)
        default:
            let hint = Suggestions.hint(for: name, in: ["grad", "requires_grad"])
            throw RuntimeError("cannot set attribute '\(name)' of a tensor (only grad and requires_grad can be set)\(hint)", at: span)
        }
    }

    /// `l[i] = v`, `l[a:b] = xs`, `d[k] = v`, `x[i, :] = v` (in place, torch's rules).
    func setItem(_ base: Value, _ items: [IndexItem], _ value: Value, at span: SourceSpan) throws {
        switch base {
        case .tensor(let t):
            let index = try tensorIndices(items)
            guard let v = value.asOperand() else {
                throw RuntimeError("can only assign a tensor or a number to a tensor's elements, got \(value.typeName)", at: span)
            }
            try mapEngineError(at: span, ["value": span]) { try t.assign(v, at: index) }
        case .dict(let box):
            guard items.count == 1, case .single(let e) = items[0] else {
                throw RuntimeError("a dict takes a single key, not a slice", at: span)
            }
            let key = try evaluate(e)
            try atSpan(e.span) { try box.set(key, value) }
        case .list(let box):
            guard items.count == 1 else { throw RuntimeError("a list takes a single index", at: span) }
            switch items[0] {
            case .single(let e): box.items[try sequencePosition(try evaluate(e), count: box.items.count, at: e.span)] = value
            case .slice(let start, let stop, let step):
                try setSlice(box, start, stop, step, try iterationItems(value, at: span), at: span)
            case .ellipsis: throw RuntimeError("a list cannot be indexed with ...", at: span)
            }
        case .tuple: throw RuntimeError("a tuple cannot be changed (it is immutable); make a list with list(t)", at: span)
        case .string: throw RuntimeError("a string cannot be changed (it is immutable); build a new one with + or an f-string", at: span)
        default: throw RuntimeError("\(base.typeNameWithArticle) does not support item assignment", at: span)
        }
    }

    /// `l[a:b] = xs` replaces the slice (any length); `l[a:b:k] = xs` needs as many items as it picks.
    private func setSlice(_ box: ListBox, _ start: Expr?, _ stop: Expr?, _ step: Expr?, _ values: [Value], at span: SourceSpan) throws {
        let positions = try slicePositions(start, stop, step, count: box.items.count, at: span)
        if step == nil {
            let n = box.items.count
            let given = try start.map { try indexInt(try evaluate($0), at: $0.span) } ?? 0
            let lo = positions.first ?? Swift.min(Swift.max(given < 0 ? given + n : given, 0), n)
            try ValueLimits.checkList(box.items.count - positions.count + values.count)
            box.items.replaceSubrange(lo..<(lo + positions.count), with: values)
            return
        }
        guard positions.count == values.count else {
            throw RuntimeError("attempt to assign a sequence of size \(values.count) to an extended slice of size \(positions.count)", at: span)
        }
        for (p, v) in zip(positions, values) { box.items[p] = v }
    }

    /// `del d[k]`, `del l[i]`, `del l[a:b]`, `del x`.
    func delete(_ target: Expr) throws {
        switch target.kind {
        case .name(let name):
            guard environment.lookupLocal(name) != nil else { throw undefined(name, at: target.span) }
            environment.restore(name, nil)
        case .tuple(let targets), .list(let targets):
            for t in targets { try delete(t) }
        case .index(let baseExpr, let items):
            let base = try evaluate(baseExpr)
            guard items.count == 1 else { throw RuntimeError("del takes a single key or index", at: target.span) }
            switch (base, items[0]) {
            case (.dict(let box), .single(let e)):
                let key = try evaluate(e)
                guard try atSpan(e.span, { try box.remove(key) }) != nil else { throw missingKey(key, in: box, at: e.span) }
            case (.list(let box), .single(let e)):
                box.items.remove(at: try sequencePosition(try evaluate(e), count: box.items.count, at: e.span))
            case (.list(let box), .slice(let start, let stop, let step)):
                let positions = Set(try slicePositions(start, stop, step, count: box.items.count, at: target.span))
                box.items = box.items.enumerated().filter { !positions.contains($0.offset) }.map(\.element)
            default:
                throw RuntimeError("\(base.typeNameWithArticle) does not support item deletion", at: target.span)
            }
        default:
            throw RuntimeError("cannot delete this expression (only a name, d[key] or l[i])", at: target.span)
        }
    }

    /// `x += e` and the other compound assignments. On a leaf tensor that
    /// requires grad this is the optimiser step: the values change in place,
    /// nothing is recorded, it stays a leaf. Any other tensor changes in place
    /// as in PyTorch; other values are rebound (`n += 1`, `l += [x]` extends l).
    func compoundAssign(_ target: Expr, _ op: CompoundOperator, _ valueExpr: Expr) throws {
        let span = target.span.through(valueExpr.span)
        if case .index(let baseExpr, let items) = target.kind {
            // Python's `b[i] op= v` is `b[i] = b[i] op v` (an index tensor reads a copy).
            let base = try evaluate(baseExpr)
            let current = try index(base, items, at: target.span)
            let updated = try binary(op.binary, current, try evaluate(valueExpr), at: span)
            return try setItem(base, items, updated, at: target.span)
        }
        let current = try evaluate(target)
        let rhs = try evaluate(valueExpr)
        switch current {
        case .tensor(let t) where t.isLeaf && t.requiresGrad:
            let updated = try GradMode.noGrad { try binary(op.binary, current, rhs, at: span) }
            guard case .tensor(let u) = updated else { return }
            try mapEngineError(at: span) { try updateInPlace(t, with: u) }
        case .tensor(let t):
            guard let y = rhs.asOperand() else {
                throw RuntimeError("unsupported operand types for \(op.rawValue): tensor and \(rhs.typeName)", at: span)
            }
            try mapEngineError(at: span, ["y": valueExpr.span]) { try Interpreter.inPlace(op, t, y) }
        case .list(let box) where op == .add:
            if case .tensor = rhs { throw RuntimeError(unsupportedMessage(.add, current, rhs), at: span) }
            let items = try iterationItems(rhs, at: valueExpr.span)
            try ValueLimits.checkList(box.items.count + items.count)
            box.items += items
        default:
            try assign(try binary(op.binary, current, rhs, at: span), to: target, span: span)
        }
    }

    private static func inPlace(_ op: CompoundOperator, _ x: Tensor, _ y: Tensor) throws {
        switch op {
        case .add: try addInPlace(x, y)
        case .multiply: try mulInPlace(x, y)
        case .subtract: try binaryInPlace(x, y, op: "sub_", sub)
        case .divide: try binaryInPlace(x, y, op: "div_", div)
        case .floorDivide: try binaryInPlace(x, y, op: "floor_divide_", floorDivide)
        case .remainder: try binaryInPlace(x, y, op: "remainder_", remainder)
        case .power: try binaryInPlace(x, y, op: "pow_", pow)
        }
    }
}
