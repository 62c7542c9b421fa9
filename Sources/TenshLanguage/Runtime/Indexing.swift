import TenshEngine
import TenshText

/// `x[0]`, `x[:, 1:3]`, `x[..., -1]`, `x[::2]`, `x[none]` on tensors (views, differentiable)
/// and lists.
extension Interpreter {
    func index(_ base: Value, _ items: [IndexItem], at span: SourceSpan) throws -> Value {
        switch base {
        case .tensor(let t): return .tensor(try indexTensor(t, items, at: span))
        case .list(let values): return try indexSequence(values, items, at: span, rebuild: Value.list)
        case .string(let s):
            return try indexSequence(s.map { Value.string(String($0)) }, items, at: span) { parts in
                .string(parts.map(\.text).joined())
            }
        default: throw RuntimeError("\(base.typeNameWithArticle) cannot be indexed", at: span)
        }
    }

    private func indexTensor(_ t: Tensor, _ items: [IndexItem], at span: SourceSpan) throws -> Tensor {
        let index: [TensorIndex] = try items.map { item in
            switch item {
            case .ellipsis: return .ellipsis
            case .single(let e):
                let v = try evaluate(e)
                if case .none = v { return .newAxis }
                return .at(try indexInt(v, at: e.span))
            case .slice(let start, let stop, let step):
                return .slice(start: try start.map { try indexInt(try evaluate($0), at: $0.span) },
                              end: try stop.map { try indexInt(try evaluate($0), at: $0.span) },
                              step: try step.map { try indexInt(try evaluate($0), at: $0.span) } ?? 1)
            }
        }
        return try mapEngineError(at: span, [:]) { try t.indexed(index) }
    }

    /// Lists and strings: one position, or a slice (positive step).
    private func indexSequence(_ values: [Value], _ items: [IndexItem], at span: SourceSpan,
                               rebuild: ([Value]) -> Value) throws -> Value {
        guard items.count == 1 else { throw RuntimeError("a list takes a single index", at: span) }
        let n = values.count
        switch items[0] {
        case .single(let e):
            let i = try indexInt(try evaluate(e), at: e.span)
            guard i >= -n && i < n else {
                throw RuntimeError("index \(i) is out of range for a list of length \(n)", at: e.span)
            }
            return values[i < 0 ? i + n : i]
        case .slice(let start, let stop, let step):
            let by = try step.map { try indexInt(try evaluate($0), at: $0.span) } ?? 1
            guard by > 0 else { throw RuntimeError("slice step must be greater than zero, got \(by)", at: span) }
            func bound(_ e: Expr?, _ fallback: Int) throws -> Int {
                guard let e else { return fallback }
                let i = try indexInt(try evaluate(e), at: e.span)
                return min(max(i < 0 ? i + n : i, 0), n)
            }
            let lo = try bound(start, 0), hi = try bound(stop, n)
            return rebuild(lo < hi ? stride(from: lo, to: hi, by: by).map { values[$0] } : [])
        case .ellipsis:
            return rebuild(values)
        }
    }

    private func indexInt(_ v: Value, at span: SourceSpan) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint:
            return saturatingInt(try t.item())
        case .tensor(let t):
            throw RuntimeError("an index must be an int, a slice or ..., got a tensor of shape \(shapeText(t.shape)) (\(t.dtype)); tensor and mask indexing are not supported", at: span)
        default: throw RuntimeError("an index must be an int, a slice or ..., got \(v.typeNameWithArticle)", at: span)
        }
    }
}
