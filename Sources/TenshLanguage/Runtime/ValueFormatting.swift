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

    /// The REPL echo, `:vars` and the form inside containers.
    public var repr: String {
        var printer = ValuePrinter()
        printer.write(self, depth: 0)
        return printer.out
    }

    /// Containers nested deeper than this print as `[...]` (no unbounded recursion).
    static let maxPrintDepth = 64
}

/// Writes Python's repr of containers: `[1, 'a']`, `(2,)`, `{'lr': 0.1}`. A
/// container inside itself prints as `[...]` or `{...}`, as Python does.
struct ValuePrinter {
    var out = ""
    private var open = Set<ObjectIdentifier>()

    /// A dict holding a tensor with more elements than this prints one entry
    /// per line, tensors as their shape and dtype (state_dicts, checkpoints).
    static let compactTensorElements = 8

    mutating func write(_ value: Value, depth: Int) {
        switch value {
        case .tensor(let t): out += TensorRepr.repr(t)
        case .int(let i): out += NumberRepr.format(i)
        case .float(let d): out += NumberRepr.format(d)
        case .bool(let b): out += b ? "true" : "false"
        case .string(let s): out += Escaping.pythonRepr(s)
        case .none: out += "none"
        case .list(let box): writeSequence(box, box.items, "[", "]", depth: depth)
        case .tuple(let box): writeTuple(box, depth: depth)
        case .dict(let box): writeDict(box, depth: depth)
        case .function(let f): out += "<function \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .builtin(let b): out += "<builtin \(b.name)>"
        case .progress(let p): out += "<progress \(Escaping.printable(p.label)) over \(p.items.count) items>"
        case .namespace(let n): out += "<module '\(n.path)'>"
        case .module(let m): out += m.repr
        case .optimizer(let o): out += o.repr
        case .scheduler(let s): out += s.repr
        }
    }

    private mutating func writeSequence(_ box: ValueContainer, _ items: [Value], _ opener: String, _ closer: String,
                                        depth: Int, trailingComma: Bool = false) {
        guard depth < Value.maxPrintDepth, open.insert(ObjectIdentifier(box)).inserted else {
            out += opener + "..." + closer
            return
        }
        defer { open.remove(ObjectIdentifier(box)) }
        out += opener
        for (i, item) in items.enumerated() {
            // A huge list stops early on Ctrl-C; `print` and the REPL echo check
            // for the interrupt before writing, so the cut text is never shown.
            if i % ValueLimits.cancellationChunk == 0 && Cancellation.isRequested { break }
            if i > 0 { out += ", " }
            write(item, depth: depth + 1)
        }
        if trailingComma && items.count == 1 { out += "," }
        out += closer
    }

    private mutating func writeTuple(_ box: TupleBox, depth: Int) {
        guard let typeName = box.typeName else {
            writeSequence(box, box.items, "(", ")", depth: depth, trailingComma: true)
            return
        }
        // torch's own repr of load_state_dict's result when nothing is missing or unexpected.
        if typeName == "_IncompatibleKeys", box.items.allSatisfy({ $0.sequenceItems?.isEmpty == true }) {
            out += "<All keys matched successfully>"
            return
        }
        // torch.return_types.max(\nvalues=tensor(...),\nindices=tensor(...)), as torch prints them;
        // other named tuples on one line, as Python's namedtuple: _IncompatibleKeys(missing_keys=[], ...).
        let separator = typeName.hasPrefix("torch.return_types.") ? ("\n", ",\n") : ("", ", ")
        out += typeName + "("
        for (i, item) in box.items.enumerated() {
            out += (i > 0 ? separator.1 : separator.0) + (i < box.fieldNames.count ? box.fieldNames[i] + "=" : "")
            write(item, depth: depth + 1)
        }
        out += ")"
    }

    private mutating func writeDict(_ box: DictBox, depth: Int) {
        guard depth < Value.maxPrintDepth, open.insert(ObjectIdentifier(box)).inserted else {
            out += "{...}"
            return
        }
        defer { open.remove(ObjectIdentifier(box)) }
        let entries = box.entries
        let compact = entries.contains { entry in
            if case .tensor(let t) = entry.value { return t.count > Self.compactTensorElements }
            return false
        }
        out += "{"
        for (i, entry) in entries.enumerated() {
            if i % ValueLimits.cancellationChunk == 0 && Cancellation.isRequested { break }
            if i > 0 { out += compact ? ",\n " : ", " }
            write(entry.key, depth: depth + 1)
            out += ": "
            if compact, case .tensor(let t) = entry.value, t.count > Self.compactTensorElements {
                out += Self.tensorSummary(t)
            } else {
                write(entry.value, depth: depth + 1)
            }
        }
        out += "}"
    }

    /// `<tensor [8, 1, 3, 3] f32 requires_grad>`; `f16→f32` for a tensor a file stored as f16.
    static func tensorSummary(_ t: Tensor) -> String {
        "<tensor \(shapeText(t.shape)) \(t.dtypeText)" + (t.requiresGrad ? " requires_grad" : "") + ">"
    }
}
