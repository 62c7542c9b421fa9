/// A value on the restricted pickle machine's stack. Lists and dicts are
/// objects because the memo shares them and later opcodes fill them (as in
/// Python); tensors stay references to a storage plus a layout until every
/// storage the pickle names has been checked against the limit and read.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// One of the allowed globals (a rebuild function, a storage type, `OrderedDict`, ...).
    case global(PickleGlobal)
    /// A storage named by a persistent id: `('storage', FloatStorage, '0', 'cpu', 6)`.
    case storage(StorageReference)
    case tensor(TensorReference)

    var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int: return "an int"
        case .float: return "a float"
        case .string: return "a string"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dict"
        case .global(let g): return "the global \(g.qualifiedName)"
        case .storage: return "a storage"
        case .tensor: return "a tensor"
        }
    }
}

final class PickleList {
    var items: [PickleValue] = []
}

final class PickleDict {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    /// Where each hashable key is, so a repeated key replaces its value (as in Python) in O(1).
    private var positions: [Key: Int] = [:]

    private enum Key: Hashable { case string(String), int(Int), bool(Bool), none }

    func removeAll() {
        entries.removeAll()
        positions.removeAll()
    }

    func set(_ key: PickleValue, _ value: PickleValue) {
        let hashable: Key?
        switch key {
        case .string(let s): hashable = .string(s)
        case .int(let i): hashable = .int(i)
        case .bool(let b): hashable = .bool(b)
        case .none: hashable = Key.none
        default: hashable = nil
        }
        if let hashable, let at = positions[hashable] {
            entries[at].value = value
            return
        }
        if let hashable { positions[hashable] = entries.count }
        entries.append((key, value))
    }
}

/// A storage of a checkpoint: the zip member `data/<key>` holding `count` elements.
final class StorageReference {
    let key: String
    let element: StoredElement
    let count: Int

    init(key: String, element: StoredElement, count: Int) {
        self.key = key
        self.element = element
        self.count = count
    }
}

/// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`: a view of a storage.
final class TensorReference {
    let storage: StorageReference
    let offset: Int
    let shape: [Int]
    let strides: [Int]
    var requiresGrad: Bool

    init(storage: StorageReference, offset: Int, shape: [Int], strides: [Int], requiresGrad: Bool) {
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.strides = strides
        self.requiresGrad = requiresGrad
    }
}
