import TenshEngine
import TenshIO
import TenshText

/// What `load` gives for each kind of value in a file (TenshIO's neutral tree):
/// dicts (state_dicts, .npz and .safetensors files) keep the file's order,
/// tuples stay tuples, and a tensor saved as requiring grad is a leaf that does.
enum LoadedValues {
    static func value(_ loaded: LoadedValue, file: LoadedFile, path: String, _ a: Arguments) throws -> Value {
        switch loaded {
        case .tensor(let t):
            if t.requiresGrad, t.tensor.dtype.isFloatingPoint { try t.tensor.setRequiresGrad() }
            return .tensor(t.tensor)
        case .list(let items): return .list(try items.map { try value($0, file: file, path: path, a) })
        case .tuple(let items): return .tuple(try items.map { try value($0, file: file, path: path, a) })
        case .dict(let entries):
            let box = DictBox()
            for entry in entries {
                let key = try value(entry.key, file: file, path: path, a)
                do { try box.set(key, try value(entry.value, file: file, path: path, a)) } catch let error as RuntimeError {
                    throw a.error("path", "\(Escaping.pythonRepr(path)) holds a dict whose key cannot be a tensh key: \(error.message)")
                }
            }
            return .dict(box)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        }
    }
}
