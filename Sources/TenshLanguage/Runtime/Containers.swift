/// The boxes behind lists, tuples and dicts. A list or dict is shared by every
/// name that holds it (Python's reference semantics); a tuple never changes.
///
/// Containers can nest without bound (`for i in range(1000000) { l = [l] }`),
/// and ARC would free such a chain by recursing once per level, so every box
/// frees its contents from an explicit stack instead (`ValueTeardown`). Walks
/// that print or compare values are bounded by depth (a container inside
/// itself prints as `[...]`). A cycle (`l.append(l)`) is not collected: like
/// a Python reference cycle without the collector, it lives until the session ends.
public class ValueContainer {
    /// Appends the containers held directly by this box to `boxes` and drops
    /// every value it holds (teardown calls this).
    func releaseContents(into boxes: inout [ValueContainer]) {}
}

public final class ListBox: ValueContainer {
    var items: [Value]

    init(_ items: [Value]) { self.items = items }

    override func releaseContents(into boxes: inout [ValueContainer]) {
        ValueTeardown.appendContainers(in: items, to: &boxes)
        items = []
    }

    deinit { ValueTeardown.release(self) }
}

public final class TupleBox: ValueContainer {
    private(set) var items: [Value]
    /// Field names of a named tuple (`values`, `indices` of `sort`), read as attributes.
    let fieldNames: [String]
    /// The type a named tuple prints as (`torch.return_types.max`).
    let typeName: String?

    init(_ items: [Value], fieldNames: [String] = [], typeName: String? = nil) {
        self.items = items
        self.fieldNames = fieldNames
        self.typeName = typeName
    }

    /// The field called `name` of a named tuple.
    func field(_ name: String) -> Value? {
        fieldNames.firstIndex(of: name).flatMap { $0 < items.count ? items[$0] : nil }
    }

    override func releaseContents(into boxes: inout [ValueContainer]) {
        ValueTeardown.appendContainers(in: items, to: &boxes)
        items = []
    }

    deinit { ValueTeardown.release(self) }
}

/// Frees nested containers without recursion.
enum ValueTeardown {
    static func appendContainers(in values: [Value], to boxes: inout [ValueContainer]) {
        for v in values {
            if let box = v.container { boxes.append(box) }
        }
    }

    /// Called from a box's `deinit`: its contents are taken apart level by level.
    /// A box someone else still holds keeps its contents.
    static func release(_ box: ValueContainer) {
        var pending: [ValueContainer] = []
        box.releaseContents(into: &pending)
        drain(&pending)
    }

    static func drain(_ pending: inout [ValueContainer]) {
        while var next = pending.popLast() {
            guard isKnownUniquelyReferenced(&next) else { continue }
            next.releaseContents(into: &pending)
        }
    }
}

extension Value {
    /// `tolist()` nests lists at most this deep (one level per dimension).
    static let maxListNesting = 100

    var isTensor: Bool {
        if case .tensor = self { return true }
        return false
    }
}
