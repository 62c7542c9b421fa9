/// A port of PyTorch's `torch._tensor_str._Formatter`: one formatter per
/// tensor, built from the values that will be shown, decides the style of
/// every element and the common column width.
///
/// Floats: only the non-zero finite values count. If all are integers the
/// tensor prints in int mode (`1.`, `-3.`); scientific mode is chosen when
/// max|x| / min|x| > 1000, max|x| > 1e8 or min|x| < 1e-4. Integers and bools
/// print as Python's `str` (`42`, `True`). Every element is right-aligned to
/// the widest one.
struct ElementFormatter {
    private enum Style { case integer, boolean, fixed, intMode, scientific }

    private let style: Style
    private let precision: Int
    /// Width of the widest element; also what line wrapping counts with.
    private(set) var width = 1

    /// `offsets`: the elements torch's formatter sees (all of them, or the
    /// edges when the tensor is summarised).
    init(reader: ElementReader, offsets: [Int], options: PrintOptions) {
        precision = options.clampedPrecision
        switch reader.dtype {
        case .int64:
            style = .integer
            for o in offsets { width = max(width, String(reader.int64(at: o)).utf8.count) }
        case .bool:
            style = .boolean
            for o in offsets { width = max(width, reader.bool(at: o) ? 4 : 5) }
        case .float32, .float64:
            let values = offsets.map { reader.double(at: $0) }.filter { $0.isFinite && $0 != 0 }
            (style, width) = ElementFormatter.floatStyle(values, precision: precision, sciMode: options.sciMode)
        }
    }

    /// The style and width for the non-zero finite values of a float tensor
    /// (`_Formatter.__init__`). With none, torch keeps int mode and width 1.
    private static func floatStyle(_ values: [Double], precision: Int, sciMode: Bool?) -> (Style, Int) {
        guard let first = values.first else { return (.intMode, 1) }
        var lo = Swift.abs(first), hi = lo
        for v in values { lo = min(lo, Swift.abs(v)); hi = max(hi, Swift.abs(v)) }
        let intMode = values.allSatisfy { $0 == $0.rounded(.up) }
        let scientific = sciMode ?? (hi / lo > 1000 || hi > 1.0e8 || lo < 1.0e-4)
        var width = 1
        if scientific {
            for v in values { width = max(width, PythonFormat.scientific(v, precision: precision).utf8.count) }
            return (.scientific, width)
        }
        if intMode {
            // The trailing "." of `1.` counts too.
            for v in values { width = max(width, PythonFormat.fixed(v, precision: 0).utf8.count + 1) }
            return (.intMode, width)
        }
        for v in values { width = max(width, PythonFormat.fixed(v, precision: precision).utf8.count) }
        return (.fixed, width)
    }

    /// One element, padded on the left to `width` (`_Formatter.format`).
    func format(_ reader: ElementReader, at offset: Int) -> String {
        let text: String
        switch style {
        case .integer: text = String(reader.int64(at: offset))
        case .boolean: text = reader.bool(at: offset) ? "True" : "False"
        case .scientific:
            text = PythonFormat.scientific(reader.double(at: offset), precision: precision, width: width)
        case .intMode:
            let v = reader.double(at: offset)
            // Non-finite values get no dot: `tensor([nan, 1.])`.
            text = PythonFormat.fixed(v, precision: 0) + (v.isFinite ? "." : "")
        case .fixed: text = PythonFormat.fixed(reader.double(at: offset), precision: precision)
        }
        return PythonFormat.padLeft(text, to: width)
    }
}
