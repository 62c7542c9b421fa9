import TenshText

/// A dict's key as Python hashes it: `1`, `1.0` and `true` are one key, a
/// tuple of hashable values is a key, lists, dicts and tensors are not.
enum HashKey: Hashable {
    case int(Int)
    case float(UInt64)
    case string(String)
    case none
    case tuple([HashKey])

    /// Tuples nested deeper than this are refused as keys (hashing recurses).
    static let maxDepth = 64

    init(_ value: Value, depth: Int = 0) throws {
        switch value {
        case .int(let i): self = .int(i)
        case .bool(let b): self = .int(b ? 1 : 0)
        case .float(let d):
            if d == d.rounded(), Swift.abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d.isNaN ? Double.nan.bitPattern : d.bitPattern) }
        case .string(let s): self = .string(s)
        case .none: self = .none
        case .tuple(let box):
            guard depth < HashKey.maxDepth else {
                throw RuntimeError("a tuple nested more than \(HashKey.maxDepth) deep cannot be a dict key")
            }
            self = .tuple(try box.items.map { try HashKey($0, depth: depth + 1) })
        case .tensor:
            throw RuntimeError("a tensor cannot be a dict key (keys are strings, numbers, bools, none and tuples of them); use x.item() for a number")
        default:
            throw RuntimeError("unhashable type: \(value.typeName) (dict keys are strings, numbers, bools, none and tuples of them)")
        }
    }
}

/// An insertion-ordered dict (Python 3.7+). Deleted entries leave a hole that
/// is compacted away once holes outnumber entries, so `del` stays cheap.
public final class DictBox: ValueContainer {
    private var keys: [Value?] = []
    private var values: [Value] = []
    private var slots: [HashKey: Int] = [:]

    override init() {}

    /// A dict of these entries (later duplicates replace earlier ones).
    convenience init(_ entries: [(Value, Value)]) throws {
        self.init()
        for (k, v) in entries { try set(k, v) }
    }

    public var count: Int { slots.count }

    /// Entries in insertion order.
    var entries: [(key: Value, value: Value)] {
        var out: [(key: Value, value: Value)] = []
        out.reserveCapacity(count)
        for (i, key) in keys.enumerated() { if let key { out.append((key, values[i])) } }
        return out
    }

    var orderedKeys: [Value] { keys.compactMap { $0 } }

    var orderedValues: [Value] { entries.map(\.value) }

    func get(_ key: Value) throws -> Value? {
        try slots[HashKey(key)].map { values[$0] }
    }

    func contains(_ key: Value) throws -> Bool { slots[try HashKey(key)] != nil }

    /// Sets `d[key] = value`; an existing key keeps its place (and its first spelling: `1` stays `1` after `d[1.0] = v`).
    func set(_ key: Value, _ value: Value) throws {
        let hash = try HashKey(key)
        if let slot = slots[hash] {
            values[slot] = value
            return
        }
        try ValueLimits.checkList(keys.count + 1, itemBytes: 2 * ValueLimits.listItemBytes)
        slots[hash] = keys.count
        keys.append(key)
        values.append(value)
    }

    /// Removes `key`, returning its value (nil when absent).
    @discardableResult
    func remove(_ key: Value) throws -> Value? {
        guard let slot = slots.removeValue(forKey: try HashKey(key)) else { return nil }
        let old = values[slot]
        keys[slot] = nil
        values[slot] = .none
        if keys.count - slots.count > Swift.max(8, slots.count) { compact() }
        return old
    }

    func removeAll() {
        var pending: [ValueContainer] = []
        releaseContents(into: &pending)
        ValueTeardown.drain(&pending)
    }

    func copy() -> DictBox {
        let d = DictBox()
        d.keys = keys
        d.values = values
        d.slots = slots
        return d
    }

    /// The key most like `name`, for "did you mean" on a missing string key.
    func keyHint(for name: String) -> String {
        let strings = keys.compactMap { key -> String? in if case .string(let s)? = key { return s }; return nil }
        return Suggestions.nearest(to: name, in: strings).map { "; did you mean \(Escaping.pythonRepr($0))?" } ?? ""
    }

    private func compact() {
        var newKeys: [Value?] = [], newValues: [Value] = []
        newKeys.reserveCapacity(slots.count)
        newValues.reserveCapacity(slots.count)
        for (i, key) in keys.enumerated() {
            guard let key, let hash = try? HashKey(key) else { continue }
            slots[hash] = newKeys.count
            newKeys.append(key)
            newValues.append(values[i])
        }
        keys = newKeys
        values = newValues
    }

    override func releaseContents(into boxes: inout [ValueContainer]) {
        ValueTeardown.appendContainers(in: keys.compactMap { $0 }, to: &boxes)
        ValueTeardown.appendContainers(in: values, to: &boxes)
        keys = []
        values = []
        slots = [:]
    }

    deinit { ValueTeardown.release(self) }
}
