import TenshEngine

/// How values print: `print(x)` shows `text`, the REPL echo shows `repr`
/// (strings quoted). Tensors use `TensorRepr`, PyTorch's exact format.
extension Value {
    /// `print`'s form: strings without quotes.
    public var text: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// The REPL echo and the form inside lists.
    public var repr: String { repr(depth: 0) }

    /// Lists nested deeper than this print as `[...]` (no unbounded recursion).
    static let maxPrintDepth = 64

    func repr(depth: Int) -> String {
        switch self {
        case .tensor(let t): return TensorRepr.repr(t)
        case .int(let i): return String(i)
        case .float(let d): return formatFloat(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quoted(s)
        case .none: return "none"
        case .list(let items):
            guard depth < Value.maxPrintDepth else { return "[...]" }
            return "[" + items.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .function(let f): return "<function \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .progress(let p): return "<progress \(p.label) over \(p.items.count) items>"
        }
    }
}

/// Python's float repr: shortest round-trip digits, `1.0` for integral values,
/// scientific below 1e-4 and from 1e16.
func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return "\(d)"
}
