import TenshEngine
import TenshIO
import TenshText

/// `inspect(x)`: one line per tensor of a dict, list or tuple (nested as a
/// checkpoint is), of a tensor, or of a data file named by its path: the name
/// (keys joined by dots, `model.conv1.weight`), shape, dtype (with the type the
/// file stored, `f16→f32`), min, max, mean and std, as `summary` computes them.
enum DataInspection {
    static let builtin = Builtin(
        "inspect", IOBuiltins.category, [.required("x", .any)],
        summary: "One line per tensor of a dict, list or tuple (nested ones too), of a tensor, or of a data file given by its path: "
            + "name, shape, dtype (with the stored one, e.g. f16→f32), min, max, mean, std. Other values are listed after the table.",
        example: "inspect(\"model.pt\")") { a in
        let contents: Contents
        switch a.value("x") {
        case .string(let path):
            let file = try DataFile.load(path, op: "inspect")
            let value = try LoadedValues.value(file, path: path)
            contents = try Contents(value, topName: String(path.split(separator: "/").last ?? "x"),
                                    title: "\(Escaping.pythonRepr(path)): \(file.format.title)")
        case .tensor, .dict, .list, .tuple:
            let name = a.context.sourceText(a.span("x")).map(Escaping.printable) ?? "x"
            contents = try Contents(a.value("x"), topName: name, title: nil)
        case let other:
            throw a.error("x", "inspect takes a dict, list, tuple or tensor, or the path of a data file; got \(other.typeName)")
        }
        let text = try contents.text()
        try Cancellation.check("inspect")
        a.context.write(text)
        return .none
    }

    /// What a value holds: its tensors and its other leaves (numbers, strings), with names.
    struct Contents {
        var tensors: [(name: String, tensor: Tensor)] = []
        var others: [(name: String, value: Value)] = []
        let title: String?

        /// Walks dicts, lists and tuples with an explicit stack; a container met twice is listed once.
        init(_ root: Value, topName: String, title: String?) throws {
            self.title = title
            var seen = Set<ObjectIdentifier>()
            var stack: [(String, Value)] = [("", root)]
            var visited = 0
            while let (name, value) = stack.popLast() {
                visited += 1
                if visited % 4096 == 0 { try Cancellation.check("inspect") }
                let join = { (key: String) in name.isEmpty ? key : name + "." + key }
                switch value {
                case .tensor(let t): tensors.append((name.isEmpty ? topName : name, t))
                case .dict(let box):
                    guard seen.insert(ObjectIdentifier(box)).inserted else { continue }
                    stack += box.entries.reversed().map { (join(keyText($0.key)), $0.value) }
                case .list(let box):
                    guard seen.insert(ObjectIdentifier(box)).inserted else { continue }
                    stack += box.items.indices.reversed().map { (join(String($0)), box.items[$0]) }
                case .tuple(let box):
                    guard seen.insert(ObjectIdentifier(box)).inserted else { continue }
                    stack += box.items.indices.reversed().map { (join(String($0)), box.items[$0]) }
                default: others.append((name.isEmpty ? topName : name, value))
                }
            }
        }

        /// A dict key as a name part: a string as it is, anything else as its repr.
        private func keyText(_ key: Value) -> String {
            if case .string(let s) = key { return s }
            return key.repr
        }

        /// The table, a line of totals and, after it, the other values (at most `maxOthers`).
        func text() throws -> String {
            var lines: [String] = []
            let values = tensors.reduce(0) { $0 + $1.tensor.count }
            let counts = "\(tensors.count) tensor\(tensors.count == 1 ? "" : "s"), \(values) value\(values == 1 ? "" : "s")"
            lines.append(title.map { "\($0), \(counts)" } ?? counts)
            if !tensors.isEmpty { lines += try DataInspection.table(tensors) }
            for (name, value) in others.prefix(DataInspection.maxOthers) {
                lines.append("\(Escaping.printable(name)) = \(value.repr)")
            }
            if others.count > DataInspection.maxOthers { lines.append("... and \(others.count - DataInspection.maxOthers) more values") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static let maxOthers = 20

    /// `name  shape  dtype  min  max  mean  std`, columns two spaces apart, numbers right-aligned.
    static func table(_ tensors: [(name: String, tensor: Tensor)]) throws -> [String] {
        let header = ["name", "shape", "dtype", "min", "max", "mean", "std"]
        let rows = try [header] + tensors.map { entry -> [String] in
            let t = entry.tensor, stats = try TensorStatistics(t, op: "inspect")
            let numbers = [stats.min, stats.max, stats.mean, stats.std].map { $0.map(NumberText.short) ?? "-" }
            return [Escaping.printable(entry.name), shapeText(t.shape), t.dtypeText] + numbers
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - row[c].count)
                return c < 3 ? row[c] + pad : pad + row[c] // names left, numbers right
            }.joined(separator: "  ")
        }
    }
}
