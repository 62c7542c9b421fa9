import TenshEngine
import TenshText

/// Truthiness and equality of values, as in Python.
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
        case .list(let items): return !items.isEmpty
        case .function, .builtin: return true
        case .progress(let p): return !p.items.isEmpty
        case .tensor(let t):
            guard t.count == 1 else {
                throw RuntimeError("the truth value of a tensor with \(t.count) elements (shape \(shapeText(t.shape))) is ambiguous; use any(...) or all(...) style reductions such as sum")
            }
            return try t.item() != 0
        }
    }

    /// `==` between non-tensor values (tensors compare elementwise elsewhere).
    func equals(_ other: Value, depth: Int = 0) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.list(let a), .list(let b)):
            // Lists nested past the print depth compare by structure only up to it.
            guard depth < Value.maxPrintDepth else { return a.count == b.count }
            return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1, depth: depth + 1) }
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a.name == b.name
        case (.progress(let a), .progress(let b)): return a === b
        case (.tensor(let a), .tensor(let b)): return a === b
        default:
            if let x = number, let y = other.number { return x == y }
            return false
        }
    }
}

extension Value {
    /// Lists nest at most this deep: much deeper ones would overflow the stack
    /// when printed, compared or freed.
    static let maxListNesting = 100

    /// How deep lists nest in this value (0 for a non-list), counting no further than `limit + 1`.
    func listNesting(limit: Int = Value.maxListNesting) -> Int {
        guard case .list(let items) = self else { return 0 }
        guard limit >= 0 else { return 1 }
        return 1 + (items.lazy.map { $0.listNesting(limit: limit - 1) }.max() ?? 0)
    }

    /// A list of `items`, or an error when it would nest too deep.
    static func checkedList(_ items: [Value]) throws -> Value {
        let list = Value.list(items)
        guard list.listNesting() <= maxListNesting else {
            throw RuntimeError("lists cannot nest more than \(maxListNesting) deep")
        }
        return list
    }
}

