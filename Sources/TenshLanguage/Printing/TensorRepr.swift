import TenshEngine

/// Formats tensors exactly as PyTorch's `repr` does, with tensh's suffixes.
///
/// The body follows `torch/_tensor_str.py` (see `TensorLayout`); the suffixes
/// follow `_str_intern`, with tensh's spellings: `dtype=f64` (torch's
/// `dtype=torch.float64`), `requires_grad=true`, `grad_fn=<AddBackward>`
/// (torch's names end in a digit, `AddBackward0`).
public enum TensorRepr {
    private static let prefix = "tensor("

    /// `tensor([...])` plus `, dtype=f64`, `, requires_grad=true`, `, grad_fn=<...Backward>`.
    public static func repr(_ t: Tensor, options: PrintOptions = PrintOptions()) -> String {
        let indent = prefix.utf8.count
        var suffixes: [String] = []
        let body: String
        if t.shape.contains(0) {
            // Explicit size unless 1-d, as NumPy; no elements to tell an int
            // tensor from a float one, so any dtype but the default is shown.
            if t.rank != 1 { suffixes.append("size=" + pythonTuple(t.shape)) }
            if t.dtype != .float32 { suffixes.append("dtype=\(t.dtype)") }
            body = "[]"
        } else {
            if options.edgeItems <= 0 { suffixes.append("size=" + pythonTuple(t.shape)) }
            // float32, int64 and bool are the defaults of their kinds.
            if t.dtype == .float64 { suffixes.append("dtype=\(t.dtype)") }
            let layout = TensorLayout(shape: t.shape, strides: t.strides, offset: t.offset,
                                      reader: ElementReader(t), options: options)
            body = layout.body(indent: indent)
        }
        if let node = t.gradFn {
            suffixes.append("grad_fn=<\(node.gradFnName)>")
        } else if t.requiresGrad {
            suffixes.append("requires_grad=true")
        }
        return addSuffixes(prefix + body, suffixes, indent: indent, lineWidth: options.lineWidth)
    }

    /// torch's `_add_suffixes`: each suffix goes after `, ` on the last line,
    /// or on a new line indented under the body when the line would pass
    /// `lineWidth`. torch measures the last line as `len - rfind("\n") + 1`
    /// (two more than its length on a one-line repr); kept for identical wrapping.
    static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int, lineWidth: Int) -> String {
        let bytes = Array(text.utf8)
        let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1
        var lastLineLength = bytes.count - lastNewline + 1
        var out = text
        for suffix in suffixes {
            let length = suffix.utf8.count
            if lastLineLength + length + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + length
            } else {
                out += ", " + suffix
                lastLineLength += length + 2
            }
        }
        return out + ")"
    }

    /// Python's `str(tuple(shape))`: `(2, 0)`, `(5,)`, `()`.
    static func pythonTuple(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
