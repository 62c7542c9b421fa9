import TenshEngine
import TenshIO
import TenshText

/// What `load` gives for a file: TenshIO's neutral tree as language values —
/// dicts, lists, tuples, numbers, strings and none — with the tensors as they
/// were read (a saved parameter requires grad, as `torch.load` gives it back).
/// A .safetensors file's `__metadata__` becomes the dict's `"__metadata__"`
/// entry, a dict of strings, as in the file's header; `save` writes it back.
enum LoadedValues {
    static let metadataKey = "__metadata__"

    static func value(_ file: LoadedFile, path: String) throws -> Value {
        let top = try value(file.value, path: path)
        if !file.metadata.isEmpty, case .dict(let box) = top {
            let metadata = try DictBox(file.metadata.map { (.string($0.key), .string($0.value)) })
            try box.set(.string(metadataKey), .dict(metadata))
        }
        return top
    }

    /// The tree's value. Recursion is bounded: pickles nest at most 100 levels
    /// (the checkpoint reader's limit), the other formats one.
    static func value(_ loaded: LoadedValue, path: String) throws -> Value {
        switch loaded {
        case .tensor(let t):
            if t.requiresGrad && t.tensor.dtype.isFloatingPoint && t.tensor.isLeaf { try t.tensor.setRequiresGrad(true) }
            return .tensor(t.tensor)
        case .dict(let entries):
            let box = DictBox()
            for entry in entries {
                let key = try value(entry.key, path: path), item = try value(entry.value, path: path)
                do { try box.set(key, item) } catch let error as RuntimeError {
                    throw RuntimeError("\(Escaping.pythonRepr(path)) holds a dict whose key cannot be a tensh key: \(error.message)")
                }
            }
            return .dict(box)
        case .list(let items): return .list(try items.map { try value($0, path: path) })
        case .tuple(let items): return .tuple(try items.map { try value($0, path: path) })
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        }
    }
}
