/// A call's argument values (or spans) by parameter name. A builtin has a few
/// parameters: its name list (shared, not copied) searched in order, with the
/// first four items stored inline, costs no hashing and, for most calls, no
/// allocation (a dictionary per call cost more than a small op).
struct ArgumentSlots<Item>: ExpressibleByDictionaryLiteral {
    private var names: [String] = []
    private var inline: (Item?, Item?, Item?, Item?) = (nil, nil, nil, nil)
    /// Items from the fifth name on.
    private var overflow: [Item?] = []

    init() {}

    init(dictionaryLiteral elements: (String, Item)...) {
        for (name, item) in elements { self[name] = item }
    }

    /// An empty slot for each of `names` (a builtin's parameter names).
    init(names: [String]) {
        self.names = names
    }

    subscript(name: String) -> Item? {
        get {
            // Lengths first: comparing two different short strings took the slow path.
            let length = name.utf8.count
            for i in names.indices where names[i].utf8.count == length && names[i] == name { return item(at: i) }
            return nil
        }
        set {
            if let i = names.firstIndex(of: name) {
                setItem(newValue, at: i)
            } else if let newValue {
                names.append(name)
                setItem(newValue, at: names.count - 1)
            }
        }
    }

    /// The item of the `i`th name (a builtin's `i`th parameter).
    func item(at i: Int) -> Item? {
        switch i {
        case 0: return inline.0
        case 1: return inline.1
        case 2: return inline.2
        case 3: return inline.3
        default: return i - 4 < overflow.count ? overflow[i - 4] : nil
        }
    }

    /// Sets the item of the `i`th name, which must exist.
    mutating func setItem(_ item: Item?, at i: Int) {
        switch i {
        case 0: inline.0 = item
        case 1: inline.1 = item
        case 2: inline.2 = item
        case 3: inline.3 = item
        default:
            while overflow.count <= i - 4 { overflow.append(nil) }
            overflow[i - 4] = item
        }
    }
}
