import TenshEngine

/// What `for` walks: a list's items, a tensor's slices along dim 0, a
/// string's characters, the ints of a `range`. Items are made one at a time
/// when the loop reaches them, so a loop over a tensor with millions of rows
/// or over `range(100000000)` allocates nothing up front.
struct LoopItems {
    private enum Source {
        case values([Value])
        /// A list is read live: items appended during the loop are reached, as in Python.
        case list(ListBox)
        case rows(Tensor)
        case characters(String)
        case range(IntRange)
    }

    private let source: Source
    private var position = 0
    private var characterIndex: String.Index?

    init(_ value: Value, at span: SourceSpan) throws {
        switch value {
        case .list(let box): source = .list(box)
        case .tuple(let box): source = .values(box.items)
        case .dict(let box): source = .values(box.orderedKeys)
        case .progress(let p): source = .values(p.items)
        case .module(let m): source = .values(m.childEntries.map(\.child.value))
        case .tensor(let t):
            guard t.rank > 0 else { throw RuntimeError("cannot iterate over a 0-d tensor", at: span) }
            source = .rows(t)
        case .string(let s):
            source = .characters(s)
            characterIndex = s.startIndex
        default: throw RuntimeError("cannot iterate over \(value.typeNameWithArticle)", at: span)
        }
    }

    init(_ range: IntRange) {
        source = .range(range)
    }

    /// The next item, or nil after the last.
    mutating func next() throws -> Value? {
        switch source {
        case .values(let items):
            guard position < items.count else { return nil }
            position += 1
            return items[position - 1]
        case .list(let box):
            guard position < box.items.count else { return nil }
            position += 1
            return box.items[position - 1]
        case .rows(let t):
            guard position < t.shape[0] else { return nil }
            position += 1
            return .tensor(try t.indexed([.at(position - 1)]))
        case .characters(let s):
            guard let i = characterIndex, i < s.endIndex else { return nil }
            characterIndex = s.index(after: i)
            return .string(String(s[i]))
        case .range(let range):
            guard position < range.count else { return nil }
            position += 1
            return .int(range.value(at: position - 1))
        }
    }

    /// Every item at once (destructuring, `progress`), checked against the
    /// allocation limit first and made in chunks that poll Ctrl-C.
    static func all(_ value: Value, at span: SourceSpan) throws -> [Value] {
        var items = try LoopItems(value, at: span)
        do {
            switch items.source {
            case .values(let values): return values
            case .list(let box): return box.items
            case .rows(let t):
                return try ValueLimits.build(t.shape[0], itemBytes: ValueLimits.tensorRowBytes, "iterate") { _ in
                    try items.next() ?? .none
                }
            case .characters(let s):
                return try ValueLimits.build(s.count, "iterate") { _ in try items.next() ?? .none }
            case .range(let range):
                return try ValueLimits.build(range.count, "range") { .int(range.value(at: $0)) }
            }
        } catch var error as RuntimeError {
            if error.span == nil { error.span = span }
            throw error
        }
    }
}
