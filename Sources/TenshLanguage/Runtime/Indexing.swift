import TenshEngine
import TenshText

/// `x[0]`, `x[:, 1:3]`, `x[..., -1]`, `x[::2]`, `x[none]`, `x[idx]`, `x[mask]`
/// on tensors (basic indices make views; index tensors and masks make
/// differentiable copies), and items of lists, tuples, strings and dicts.
extension Interpreter {
    func index(_ base: Value, _ items: [IndexItem], at span: SourceSpan) throws -> Value {
        switch base {
        case .tensor(let t):
            let index = try tensorIndices(items)
            return .tensor(try mapEngineError(at: span) { try t.indexed(index) })
        case .list(let box): return try indexSequence(box.items, items, at: span, rebuild: Value.list)
        case .tuple(let box): return try indexSequence(box.items, items, at: span, rebuild: Value.tuple)
        case .module(let m): return try indexModule(m, items, at: span)
        case .dict(let box):
            guard items.count == 1, case .single(let e) = items[0] else {
                throw RuntimeError("a dict takes a single key, not a slice", at: span)
            }
            let key = try evaluate(e)
            guard let value = try atSpan(e.span, { try box.get(key) }) else { throw missingKey(key, in: box, at: e.span) }
            return value
        case .string(let s):
            let characters = s.map { Value.string(String($0)) }
            return try indexSequence(characters, items, at: span) { parts in .string(parts.map(\.text).joined()) }
        default: throw RuntimeError("\(base.typeNameWithArticle) cannot be indexed", at: span)
        }
    }

    func missingKey(_ key: Value, in box: DictBox, at span: SourceSpan) -> RuntimeError {
        var hint = ""
        if case .string(let s) = key { hint = box.keyHint(for: s) }
        return RuntimeError("KeyError: \(key.repr)\(hint)", at: span)
    }

    /// The engine's index entries for `x[items]`. A list of ints or an integral
    /// tensor literal (`x[[0, 2]]`) becomes an int64 index tensor.
    func tensorIndices(_ items: [IndexItem]) throws -> [TensorIndex] {
        try items.map { item in
            switch item {
            case .ellipsis: return .ellipsis
            case .single(let e): return try tensorIndex(try evaluate(e), at: e.span)
            case .slice(let start, let stop, let step):
                let by = try step.map { try indexInt(try evaluate($0), at: $0.span) } ?? 1
                return .slice(start: try start.map { try indexInt(try evaluate($0), at: $0.span) },
                              end: try stop.map { try indexInt(try evaluate($0), at: $0.span) }, step: by)
            }
        }
    }

    private func tensorIndex(_ v: Value, at span: SourceSpan) throws -> TensorIndex {
        switch v {
        case .none: return .newAxis
        case .int, .bool: return .at(try indexInt(v, at: span))
        case .tensor(let t):
            if t.dtype == .int64 || t.dtype == .bool { return t.rank == 0 && t.dtype == .int64 ? .at(try indexInt(v, at: span)) : .tensor(t) }
            // A bracket literal is float32: integral values are positions, as `x[[0, 2]]` is in torch.
            guard t.rank > 0, !t.requiresGrad, let positions = integralValues(t) else {
                throw RuntimeError("tensors used as indices must be int64 or bool tensors, got \(t.dtype) of shape \(shapeText(t.shape)); use .long()", at: span)
            }
            return .tensor(try mapEngineError(at: span) { try Tensor(positions.map(Double.init), shape: t.shape, dtype: .int64) })
        case .list, .tuple:
            let items = v.sequenceItems ?? []
            if !items.isEmpty, items.allSatisfy({ if case .bool = $0 { return true }; return false }) {
                return .tensor(try mapEngineError(at: span) { try Tensor(items.map { $0.number ?? 0 }, shape: [items.count], dtype: .bool) })
            }
            let positions = try items.map { try indexInt($0, at: span) }
            return .tensor(try mapEngineError(at: span) { try Tensor(positions.map(Double.init), shape: [positions.count], dtype: .int64) })
        default: throw RuntimeError("an index must be an int, a slice, ..., none, a list of ints or an index tensor, got \(v.typeNameWithArticle)", at: span)
        }
    }

    /// Lists, tuples and strings: one position, or a slice (any nonzero step).
    private func indexSequence(_ values: [Value], _ items: [IndexItem], at span: SourceSpan,
                               rebuild: ([Value]) -> Value) throws -> Value {
        guard items.count == 1 else { throw RuntimeError("a list takes a single index", at: span) }
        switch items[0] {
        case .single(let e):
            return values[try sequencePosition(try evaluate(e), count: values.count, at: e.span)]
        case .slice(let start, let stop, let step):
            let positions = try slicePositions(start, stop, step, count: values.count, at: span)
            return rebuild(positions.map { values[$0] })
        case .ellipsis:
            return rebuild(values)
        }
    }

    /// The position `v` names in a sequence of `count` items (negative from the end).
    func sequencePosition(_ v: Value, count n: Int, at span: SourceSpan) throws -> Int {
        let i = try indexInt(v, at: span)
        guard i >= -n && i < n else {
            throw RuntimeError("index \(i) is out of range for a list of length \(n)", at: span)
        }
        return i < 0 ? i + n : i
    }

    /// The positions of `start:stop:step` in a sequence of `count` items, as Python picks them.
    func slicePositions(_ start: Expr?, _ stop: Expr?, _ step: Expr?, count n: Int, at span: SourceSpan) throws -> [Int] {
        let by = try step.map { try indexInt(try evaluate($0), at: $0.span) } ?? 1
        guard by != 0 else { throw RuntimeError("slice step cannot be zero", at: span) }
        func bound(_ e: Expr?, _ fallback: Int) throws -> Int {
            guard let e else { return fallback }
            let i = try indexInt(try evaluate(e), at: e.span)
            let shifted = i < 0 ? i + n : i
            return by > 0 ? Swift.min(Swift.max(shifted, 0), n) : Swift.min(Swift.max(shifted, -1), n - 1)
        }
        let lo = try bound(start, by > 0 ? 0 : n - 1), hi = try bound(stop, by > 0 ? n : -1)
        if by > 0 { return lo < hi ? Array(stride(from: lo, to: hi, by: by)) : [] }
        return lo > hi ? Array(stride(from: lo, to: hi, by: by)) : []
    }

    func indexInt(_ v: Value, at span: SourceSpan) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && t.rank == 0 && !t.dtype.isFloatingPoint:
            return saturatingInt(try t.item())
        case .tensor(let t):
            throw RuntimeError("an index here must be an int, got a tensor of shape \(shapeText(t.shape)) (\(t.dtype))", at: span)
        default: throw RuntimeError("an index must be an int, a slice or ..., got \(v.typeNameWithArticle)", at: span)
        }
    }
}
