import TenshEngine
import TenshText

/// Truthiness, equality and identity of values, as in Python.
extension Value {
    /// `if`, `while`, `and`, `or`, `not` use this. A tensor is true or false
    /// only when it has exactly one element.
    func truthy() throws -> Bool {
        switch self {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .none: return false
        case .list(let box): return !box.items.isEmpty
        case .tuple(let box): return !box.items.isEmpty
        case .dict(let box): return box.count > 0
        case .function, .builtin, .namespace, .module, .optimizer, .scheduler: return true
        case .progress(let p): return !p.items.isEmpty
        case .tensor(let t):
            guard t.count == 1 else {
                throw RuntimeError("the truth value of a tensor with \(t.count) elements (shape \(shapeText(t.shape))) is ambiguous; use any(x) or all(x)")
            }
            return try t.item() != 0
        }
    }

    /// Python's `==` between values that are not both compared elementwise:
    /// containers by their items (a container is equal to itself), numbers by
    /// value, a tensor inside a container as `bool(a == b)`.
    func equals(_ other: Value, depth: Int = 0) throws -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.list(let a), .list(let b)):
            return try a === b || Value.itemsEqual(a.items, b.items, depth: depth)
        case (.tuple(let a), .tuple(let b)):
            return try a === b || Value.itemsEqual(a.items, b.items, depth: depth)
        case (.dict(let a), .dict(let b)):
            return try a === b || Value.dictsEqual(a, b, depth: depth)
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a === b
        case (.progress(let a), .progress(let b)): return a === b
        case (.namespace(let a), .namespace(let b)): return a.path == b.path
        case (.module(let a), .module(let b)): return a === b
        case (.optimizer(let a), .optimizer(let b)): return a === b
        case (.scheduler(let a), .scheduler(let b)): return a === b
        case (.tensor(let a), .tensor(let b)) where a === b: return true
        // `x.shape == [2, 3]`: the bracket is a tensor literal, compared with the tuple's numbers.
        case (.tensor(let t), .list), (.tensor(let t), .tuple): return try Value.sequence(other, equalsTensor: t, depth: depth)
        case (.list, .tensor(let t)), (.tuple, .tensor(let t)): return try Value.sequence(self, equalsTensor: t, depth: depth)
        case (.tensor, _), (_, .tensor):
            guard let a = asOperand(), let b = other.asOperand() else { return false }
            return try Value.tensor(try eq(a, b)).truthy()
        default:
            if let x = number, let y = other.number { return x == y }
            return false
        }
    }

    /// A list or tuple equals a tensor when it holds the tensor's rows (numbers at the last level).
    private static func sequence(_ value: Value, equalsTensor t: Tensor, depth: Int) throws -> Bool {
        guard let items = value.sequenceItems, t.rank > 0, items.count == t.shape[0] else { return false }
        guard depth < Value.maxPrintDepth else {
            throw RuntimeError("comparison nested more than \(Value.maxPrintDepth) levels deep")
        }
        for (i, item) in items.enumerated() {
            let row = try t.indexed([.at(i)])
            if item.sequenceItems != nil {
                guard try sequence(item, equalsTensor: row, depth: depth + 1) else { return false }
            } else {
                guard row.rank == 0, let n = item.number, try row.item() == n else { return false }
            }
        }
        return true
    }

    private static func itemsEqual(_ a: [Value], _ b: [Value], depth: Int) throws -> Bool {
        guard a.count == b.count else { return false }
        guard depth < Value.maxPrintDepth else {
            throw RuntimeError("comparison nested more than \(Value.maxPrintDepth) levels deep")
        }
        for (x, y) in zip(a, b) where !(try x.equals(y, depth: depth + 1)) { return false }
        return true
    }

    private static func dictsEqual(_ a: DictBox, _ b: DictBox, depth: Int) throws -> Bool {
        guard a.count == b.count else { return false }
        guard depth < Value.maxPrintDepth else {
            throw RuntimeError("comparison nested more than \(Value.maxPrintDepth) levels deep")
        }
        for (key, value) in a.entries {
            guard let other = try b.get(key), try value.equals(other, depth: depth + 1) else { return false }
        }
        return true
    }

    /// Python's `is`: the same object. Numbers, bools, strings and none have no
    /// identity of their own in tensh: equal values of one type are the same.
    func isIdentical(to other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): return a == b
        case (.tensor(let a), .tensor(let b)): return a === b
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a === b
        case (.progress(let a), .progress(let b)): return a === b
        case (.namespace(let a), .namespace(let b)): return a === b
        default:
            if let a = container, let b = other.container { return a === b }
            return false
        }
    }
}

extension Value {
    /// Python's `<` for sorting and min/max: numbers (and one-element tensors)
    /// by value, strings by code points, lists and tuples item by item.
    static func less(_ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
        if let x = a.scalarNumber, let y = b.scalarNumber { return x < y }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.list, .list), (.tuple, .tuple):
            guard depth < Value.maxPrintDepth else { throw RuntimeError("comparison nested more than \(Value.maxPrintDepth) levels deep") }
            let xs = a.sequenceItems ?? [], ys = b.sequenceItems ?? []
            for (x, y) in zip(xs, ys) where !(try x.equals(y)) { return try less(x, y, depth: depth + 1) }
            return xs.count < ys.count
        default:
            throw RuntimeError("'<' not supported between \(a.typeNameWithArticle) and \(b.typeNameWithArticle)")
        }
    }

    /// A number, or the value of a one-element tensor.
    var scalarNumber: Double? {
        if let n = number { return n }
        if case .tensor(let t) = self, t.count == 1 { return try? t.item() }
        return nil
    }
}
