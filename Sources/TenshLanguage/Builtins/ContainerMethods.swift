import TenshEngine
import TenshText

/// The methods of lists and dicts (`l.append(v)`, `d.items()`). Each is a
/// builtin whose first parameter is the receiver; they are found only through
/// a value of their type, as in Python (there is no global `append`).
enum ContainerMethods {
    static let category = "Methods of lists and dicts"

    static func list(_ a: Arguments) throws -> ListBox {
        guard case .list(let box) = a.value("self") else { throw a.error("self", "expected a list") }
        return box
    }

    static func dict(_ a: Arguments) throws -> DictBox {
        guard case .dict(let box) = a.value("self") else { throw a.error("self", "expected a dict") }
        return box
    }

    static let listMethods: [Builtin] = [
        Builtin("append", category, [.required("self", .any), .required("value", .any)],
                summary: "Adds value at the end of the list (in place).", example: "losses.append(loss.item())") { a in
            let box = try list(a)
            try ValueLimits.checkList(box.items.count + 1)
            box.items.append(a.value("value"))
            return .none
        },
        Builtin("extend", category, [.required("self", .any), .required("items", .any)],
                summary: "Adds every item of a list, tuple, string or tensor at the end (in place).", example: "l.extend([4, 5])") { a in
            let box = try list(a)
            let items = try a.context.iterate(a.value("items"), at: a.span("items"))
            try ValueLimits.checkList(box.items.count + items.count)
            box.items += items
            return .none
        },
        Builtin("insert", category, [.required("self", .any), .required("index", .int), .required("value", .any)],
                summary: "Inserts value before position index (clamped to the list, as in Python).", example: "l.insert(0, x)") { a in
            let box = try list(a)
            let n = box.items.count
            let i = try a.int("index")
            try ValueLimits.checkList(n + 1)
            box.items.insert(a.value("value"), at: Swift.min(Swift.max(i < 0 ? i + n : i, 0), n))
            return .none
        },
        Builtin("pop", category, [.required("self", .any), .optional("index", .any, "-1"), .optional("default", .any, "none")],
                summary: "Removes and returns the item at index (the last by default); for a dict, the value of a key.",
                example: "last = l.pop()") { a in
            if case .dict(let box) = a.value("self") {
                let key = a.value("index")
                if let value = try box.remove(key) { return value }
                if a.spans["default"] != nil { return a.value("default") }
                throw a.error("index", "KeyError: \(key.repr)")
            }
            let box = try list(a)
            guard !box.items.isEmpty else { throw a.error("self", "pop from an empty list") }
            let n = box.items.count
            let i = a.spans["index"] == nil ? -1 : try a.int("index")
            guard i >= -n && i < n else { throw a.error("index", "pop index \(i) is out of range for a list of length \(n)") }
            return box.items.remove(at: i < 0 ? i + n : i)
        },
        Builtin("remove", category, [.required("self", .any), .required("value", .any)],
                summary: "Removes the first item equal to value (an error when there is none).", example: "l.remove(3)") { a in
            let box = try list(a)
            guard let i = try box.items.firstIndex(where: { try $0.equals(a.value("value")) }) else {
                throw a.error("value", "list.remove(x): \(a.value("value").repr) is not in the list")
            }
            box.items.remove(at: i)
            return .none
        },
        Builtin("index", category, [.required("self", .any), .required("value", .any)],
                summary: "The position of the first item equal to value.", example: "names.index(\"b\")") { a in
            let items = a.value("self").sequenceItems ?? []
            guard let i = try items.firstIndex(where: { try $0.equals(a.value("value")) }) else {
                throw a.error("value", "\(a.value("value").repr) is not in the \(a.value("self").typeName)")
            }
            return .int(i)
        },
        Builtin("count", category, [.required("self", .any), .required("value", .any)],
                summary: "How many items equal value.", example: "l.count(0)") { a in
            .int(try (a.value("self").sequenceItems ?? []).filter { try $0.equals(a.value("value")) }.count)
        },
        Builtin("reverse", category, [.required("self", .any)],
                summary: "Reverses the list in place.", example: "l.reverse()") { a in
            try list(a).items.reverse()
            return .none
        },
        Builtin("clear", category, [.required("self", .any)],
                summary: "Removes every item (of a list or a dict).", example: "l.clear()") { a in
            if case .dict(let box) = a.value("self") { box.removeAll() } else { try list(a).items.removeAll() }
            return .none
        },
        Builtin("copy", category, [.required("self", .any)],
                summary: "A shallow copy (of a list or a dict).", example: "l2 = l.copy()") { a in
            if case .dict(let box) = a.value("self") { return .dict(box.copy()) }
            return .list(try list(a).items)
        },
    ]

    static let dictMethods: [Builtin] = [
        Builtin("keys", category, [.required("self", .any)],
                summary: "The keys, in insertion order, as a list.", example: "for k in d.keys() { }") { a in
            .list(try dict(a).orderedKeys)
        },
        Builtin("values", category, [.required("self", .any)],
                summary: "The values, in insertion order, as a list.", example: "sum(d.values())") { a in
            .list(try dict(a).orderedValues)
        },
        Builtin("items", category, [.required("self", .any)],
                summary: "The (key, value) tuples, in insertion order, as a list.", example: "for k, v in d.items() { }") { a in
            .list(try dict(a).entries.map { .tuple([$0.key, $0.value]) })
        },
        Builtin("get", category, [.required("self", .any), .required("key", .any), .optional("default", .any, "none")],
                summary: "The value of key, or default when the key is absent.", example: "d.get(\"lr\", 0.1)") { a in
            try dict(a).get(a.value("key")) ?? a.value("default")
        },
        Builtin("update", category, [.required("self", .any), .required("other", .any)],
                summary: "Sets every entry of another dict (or of (key, value) pairs) in this one.", example: "d.update({\"lr\": 0.01})") { a in
            let box = try dict(a)
            guard case .dict(let other) = a.value("other") else { throw a.error("other", "update() takes a dict") }
            for (k, v) in other.entries { try box.set(k, v) }
            return .none
        },
        Builtin("setdefault", category, [.required("self", .any), .required("key", .any), .optional("default", .any, "none")],
                summary: "The value of key; sets it to default first when absent.", example: "d.setdefault(\"n\", 0)") { a in
            let box = try dict(a)
            if let v = try box.get(a.value("key")) { return v }
            try box.set(a.value("key"), a.value("default"))
            return a.value("default")
        },
    ]

    /// Methods by receiver type: list, tuple, dict, string.
    static let byType: [String: [String: Builtin]] = {
        func table(_ builtins: [Builtin], _ names: [String]? = nil) -> [String: Builtin] {
            var out: [String: Builtin] = [:]
            for b in builtins where names?.contains(b.name) ?? true { out[b.name] = b }
            return out
        }
        let dictShared = listMethods.filter { ["pop", "clear", "copy"].contains($0.name) }
        return [
            "list": table(listMethods),
            "tuple": table(listMethods, ["index", "count"]),
            "dict": table(dictMethods + dictShared),
            "string": table(StringMethods.all),
        ]
    }()

    /// Every method, once (for the language reference).
    static var documented: [Builtin] { listMethods + dictMethods + StringMethods.all }
}
