import TenshEngine
import TenshIO
import TenshText

/// What `load` gives for each kind of value in a file (TenshIO's neutral tree).
/// Tensors, lists, numbers, strings and None have language values; dicts and
/// tuples do not yet, so a file holding one is a clear error for now.
enum LoadedValues {
    static func value(_ loaded: LoadedValue, file: LoadedFile, path: String, _ a: Arguments) throws -> Value {
        switch loaded {
        case .tensor(let t): return .tensor(t.tensor)
        case .list(let items): return .list(try items.map { try value($0, file: file, path: path, a) })
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .dict, .tuple:
            throw a.error("path", "\(Escaping.pythonRepr(path)) is \(file.format.title) holding \(describe(loaded)); "
                + "loading it needs \(loaded.kindName == "a dict" ? "dicts" : "tuples"), which the language does not have yet")
        }
    }

    /// `a dict of 3 tensors ('conv.weight', 'conv.bias', 'fc.weight')`.
    static func describe(_ value: LoadedValue) -> String {
        let tensors = value.namedTensors
        guard !tensors.isEmpty else { return value.kindName }
        let names = tensors.prefix(4).map { Escaping.pythonRepr($0.name) }.joined(separator: ", ") + (tensors.count > 4 ? ", ..." : "")
        return "\(value.kindName) of \(tensors.count) tensor\(tensors.count == 1 ? "" : "s") (\(names))"
    }
}
