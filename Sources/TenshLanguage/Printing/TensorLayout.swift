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
        let edge = self.edge, summarize = self.summarize
        let shown: [[Int]] = shape.enumerated().map { level, n in
            // `get_summarized_data` with edge 0 keeps a whole last dimension but nothing of higher ones.
            guard summarize else { return Array(0..<n) }
            if edge == 0 { return level == shape.count - 1 ? Array(0..<n) : [] }
            return n - edge > edge ? Array(0..<edge) + Array((n - edge)..<n) : Array(0..<n)
        }
        TensorLayout.collect(shown, strides, base: offset, into: &offsets)
        self.formatter = ElementFormatter(reader: reader, offsets: offsets, options: options)
    }

    /// The nested-bracket text, `indent` columns after the start of its line.
    func body(indent: Int) -> String {
        render(indent: indent)
    }

    /// Indices shown along a dimension of size `n`; nil stands for the `...` row.
    private func shownIndices(_ n: Int) -> [Int?] {
        guard summarize, n - edge > edge else { return (0..<n).map { $0 } }
        return (0..<edge).map { $0 } + [nil] + ((n - edge)..<n).map { $0 }
    }

    /// The nested brackets, written with an explicit stack of open dimensions
    /// (one frame per dimension, so any rank prints without recursion).
    private func render(indent: Int) -> String {
        let rank = shape.count
        if rank == 0 { return formatter.format(reader, at: base) }
        if rank == 1 { return vector(level: 0, offset: base, indent: indent) }
        struct Frame {
            let level: Int
            let offset: Int
            let rows: [Int?]
            var next = 0
        }
        var out = "["
        var open = [Frame(level: 0, offset: base, rows: shownIndices(shape[0]))]
        while let frame = open.last {
            guard frame.next < frame.rows.count else {
                out += "]"
                open.removeLast()
                continue
            }
            let level = frame.level, rowIndent = indent + level + 1
            // Blocks of higher dimensions are separated by (dims - 1) newlines.
            if frame.next > 0 { out += "," + String(repeating: "\n", count: rank - level - 1) + String(repeating: " ", count: rowIndent) }
            open[open.count - 1].next += 1
            guard let i = frame.rows[frame.next] else { out += "..."; continue }
            let offset = frame.offset &+ i &* strides[level]
            if rank - level == 2 {
                out += vector(level: level + 1, offset: offset, indent: rowIndent)
            } else {
                out += "["
                open.append(Frame(level: level + 1, offset: offset, rows: shownIndices(shape[level + 1])))
            }
        }
        return out
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

    /// The storage offsets of every combination of `shown` indices (one list
    /// per dimension), in row-major order: an odometer over the dimensions.
    private static func collect(_ shown: [[Int]], _ strides: [Int], base: Int, into out: inout [Int]) {
        guard !shown.contains(where: \.isEmpty) else { return }
        var position = [Int](repeating: 0, count: shown.count)
        var offset = base
        for (d, indices) in shown.enumerated() { offset = offset &+ indices[0] &* strides[d] }
        while true {
            out.append(offset)
            var d = shown.count - 1
            while d >= 0 {
                offset = offset &- shown[d][position[d]] &* strides[d]
                position[d] += 1
                if position[d] < shown[d].count {
                    offset = offset &+ shown[d][position[d]] &* strides[d]
                    break
                }
                position[d] = 0
                offset = offset &+ shown[d][0] &* strides[d]
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
