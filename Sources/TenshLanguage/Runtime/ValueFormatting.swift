import TenshEngine
import TenshText

/// How values print: `print(x)` shows `text`, the REPL echo shows `repr`.
/// Tensors use `TensorRepr`, PyTorch's exact format; strings use Python's
/// `repr` (quoted, with every character a terminal would act on escaped), so
/// only `print` of a string itself writes the text as it is, as Python does.
extension Value {
    /// `print`'s form: strings without quotes.
    public var text: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// The REPL echo, `:vars` and the form inside lists.
    public var repr: String { repr(depth: 0) }

    /// Lists nested deeper than this print as `[...]` (no unbounded recursion).
    static let maxPrintDepth = 64

    func repr(depth: Int) -> String {
        switch self {
        case .tensor(let t): return TensorRepr.repr(t)
        case .int(let i): return NumberRepr.format(i)
        case .float(let d): return NumberRepr.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return Escaping.pythonRepr(s)
        case .none: return "none"
        case .list(let items):
            guard depth < Value.maxPrintDepth else { return "[...]" }
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                // A huge list stops early on Ctrl-C; `print` and the REPL echo check
                // for the interrupt before writing, so the cut text is never shown.
                if i % ValueLimits.cancellationChunk == 0 && Cancellation.isRequested { break }
                parts.append(item.repr(depth: depth + 1))
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .function(let f): return "<function \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .progress(let p): return "<progress \(Escaping.printable(p.label)) over \(p.items.count) items>"
        }
    }
}
