/// The body of a tensor's repr: a port of `_tensor_str`,
/// `_tensor_str_with_formatter`, `_vector_str` and `get_summarized_data`
/// from PyTorch's `torch/_tensor_str.py`. Works on the strided layout
/// directly, so views print without a copy and a summarised tensor of any
/// size only reads its edges.
struct TensorLayout {
    private let shape: [Int]
    private let strides: [Int]
    private let base: Int
    private let reader: ElementReader
    private let options: PrintOptions
    private let edge: Int
    /// More elements than the threshold: show `edge` items at each end of every dimension.
    private let summarize: Bool
    private let formatter: ElementFormatter

    init(shape: [Int], strides: [Int], offset: Int, reader: ElementReader, options: PrintOptions) {
        self.shape = shape
        self.strides = strides
        self.base = offset
        self.reader = reader
        self.options = options
        self.edge = max(0, options.edgeItems)
        let count = shape.reduce(1, &*)
        self.summarize = count > options.threshold
        var offsets: [Int] = []
        offsets.reserveCapacity(summarize ? 64 : count)
        if summarize {
            TensorLayout.collectEdges(shape, strides, level: 0, offset: offset, edge: edge, into: &offsets)
        } else {
            TensorLayout.collectAll(shape, strides, level: 0, offset: offset, into: &offsets)
        }
        self.formatter = ElementFormatter(reader: reader, offsets: offsets, options: options)
    }

    /// The nested-bracket text, `indent` columns after the start of its line.
    func body(indent: Int) -> String {
        render(level: 0, offset: base, indent: indent)
    }

    /// Indices shown along a dimension of size `n`; nil stands for the `...` row.
    private func shownIndices(_ n: Int) -> [Int?] {
        guard summarize, n - edge > edge else { return (0..<n).map { $0 } }
        return (0..<edge).map { $0 } + [nil] + ((n - edge)..<n).map { $0 }
    }

    private func render(level: Int, offset: Int, indent: Int) -> String {
        let dims = shape.count - level
        if dims == 0 { return formatter.format(reader, at: offset) }
        if dims == 1 { return vector(level: level, offset: offset, indent: indent) }
        let rows = shownIndices(shape[level]).map { i -> String in
            guard let i else { return "..." }
            return render(level: level + 1, offset: offset &+ i &* strides[level], indent: indent + 1)
        }
        // Blocks of higher dimensions are separated by (dims - 1) newlines.
        let separator = "," + String(repeating: "\n", count: dims - 1) + String(repeating: " ", count: indent + 1)
        return "[" + rows.joined(separator: separator) + "]"
    }

    /// A row of elements, wrapped so that each line holds as many as fit in
    /// `lineWidth - indent` columns (each element takes width + 2 for ", ").
    private func vector(level: Int, offset: Int, indent: Int) -> String {
        let elementLength = formatter.width + 2
        let perLine = max(1, floorDiv(options.lineWidth - indent, elementLength))
        let items: [String]
        if summarize && edge == 0 {
            items = ["..."]
        } else {
            items = shownIndices(shape[level]).map { i in
                guard let i else { return " ..." }
                return formatter.format(reader, at: offset &+ i &* strides[level])
            }
        }
        let lines = stride(from: 0, to: items.count, by: perLine).map { start in
            items[start..<min(start + perLine, items.count)].joined(separator: ", ")
        }
        return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }

    private func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Every element's offset in row-major order.
    private static func collectAll(_ shape: [Int], _ strides: [Int], level: Int, offset: Int, into out: inout [Int]) {
        if level == shape.count { out.append(offset); return }
        for i in 0..<shape[level] {
            collectAll(shape, strides, level: level + 1, offset: offset &+ i &* strides[level], into: &out)
        }
    }

    /// The offsets `get_summarized_data` keeps: `edge` items at each end of
    /// every dimension longer than 2 * edge. With edge 0 torch keeps a whole
    /// last dimension (`x[-0:]` is all of x) but nothing of higher ones.
    private static func collectEdges(_ shape: [Int], _ strides: [Int], level: Int, offset: Int, edge: Int,
                                     into out: inout [Int]) {
        let dims = shape.count - level
        if dims == 0 { out.append(offset); return }
        let n = shape[level]
        if dims > 1 && edge == 0 { return }
        let indices: [Int]
        if edge > 0 && n - edge > edge {
            indices = Array(0..<edge) + Array((n - edge)..<n)
        } else {
            indices = Array(0..<n)
        }
        for i in indices {
            collectEdges(shape, strides, level: level + 1, offset: offset &+ i &* strides[level], edge: edge, into: &out)
        }
    }
}
