import TenshEngine
import TenshText

/// A restricted pickle machine: the opcodes PyTorch's protocol-2 writer emits
/// (the set PyTorch's `weights_only` unpickler accepts), globals from
/// `PickleGlobal`'s short allow-list, and persistent ids that name storages.
/// It builds values; it never imports, looks up or calls anything named by
/// the data. Errors name the pickle and the byte offset of the opcode.
struct PickleMachine {
    private let bytes: [UInt8]
    private let context: FileContext
    private var i = 0
    private var opcodeOffset = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Storages by key: one object per storage, so tensors that share one share it after loading.
    private(set) var storages: [String: StorageReference] = [:]
    /// Every list and dict made, emptied by `release()`: a pickle can make a list hold itself.
    private var lists: [PickleList] = []
    private var dicts: [PickleDict] = []

    init(_ bytes: [UInt8], context: FileContext) {
        self.bytes = bytes
        self.context = context
    }

    /// Runs to STOP and returns the value it leaves.
    mutating func run() throws -> PickleValue {
        while true {
            opcodeOffset = i
            let op = try take(1)[0]
            if op == 0x2E { // STOP
                let result = try pop()
                return result
            }
            try Cancellation.check(context.op)
            if try simpleValue(op) || (try container(op)) || (try memoOrMark(op)) || (try call(op)) { continue }
            throw fail("unsupported pickle opcode 0x\(String(op, radix: 16)) (tensh reads PyTorch's protocol-2 checkpoints)")
        }
    }

    func fail(_ detail: String) -> EngineError { context.error(detail, at: opcodeOffset) }

    /// Empties every container the pickle made, breaking any cycle among them.
    mutating func release() {
        for list in lists { list.items.removeAll() }
        for dict in dicts { dict.removeAll() }
        lists.removeAll()
        dicts.removeAll()
        stack.removeAll()
        memo.removeAll()
    }

    // MARK: Opcode groups

    /// Numbers, strings, None and booleans.
    private mutating func simpleValue(_ op: UInt8) throws -> Bool {
        let value: PickleValue
        switch op {
        case 0x4E: value = .none                                        // NONE
        case 0x88: value = .bool(true)                                  // NEWTRUE
        case 0x89: value = .bool(false)                                 // NEWFALSE
        case 0x4B: value = .int(Int(try take(1)[0]))                    // BININT1
        case 0x4D: value = .int(try take(2).uint16(at: 0))              // BININT2
        case 0x4A: value = .int(Int(Int32(truncatingIfNeeded: try take(4).uint32(at: 0)))) // BININT
        case 0x8A: value = .int(try long1())                            // LONG1
        case 0x47:                                                      // BINFLOAT (big-endian)
            value = .float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        case 0x58:                                                      // BINUNICODE
            let length = try take(4).uint32(at: 0)
            value = .string(String(decoding: try take(length), as: UTF8.self))
        case 0x55:                                                      // SHORT_BINSTRING (latin-1)
            let length = Int(try take(1)[0])
            value = .string(String(String.UnicodeScalarView(try take(length).map { Unicode.Scalar($0) })))
        default: return false
        }
        stack.append(value)
        return true
    }

    /// Tuples, lists and dicts, and filling them.
    private mutating func container(_ op: UInt8) throws -> Bool {
        switch op {
        case 0x29: stack.append(.tuple([]))                             // EMPTY_TUPLE
        case 0x5D: lists.append(PickleList()); stack.append(.list(lists[lists.count - 1]))    // EMPTY_LIST
        case 0x7D: dicts.append(PickleDict()); stack.append(.dict(dicts[dicts.count - 1]))    // EMPTY_DICT
        case 0x74:                                                      // TUPLE
            let items = try popMark()
            stack.append(.tuple(items))
        case 0x85, 0x86, 0x87:                                          // TUPLE1, TUPLE2, TUPLE3
            let n = Int(op - 0x84)
            guard stack.count >= n else { throw fail("stack underflow") }
            let items = Array(stack.suffix(n))
            stack.removeLast(n)
            stack.append(.tuple(items))
        // The items are taken off the stack first: `append` and `setItems` then see the container on top.
        case 0x61:                                                      // APPEND
            let item = try pop()
            try append([item])
        case 0x65:                                                      // APPENDS
            let items = try popMark()
            try append(items)
        case 0x73:                                                      // SETITEM
            let value = try pop(), key = try pop()
            try setItems([key, value])
        case 0x75:                                                      // SETITEMS
            let items = try popMark()
            try setItems(items)
        default: return false
        }
        return true
    }

    private mutating func memoOrMark(_ op: UInt8) throws -> Bool {
        switch op {
        case 0x28: marks.append(stack.count)                            // MARK
        case 0x71: try put(Int(try take(1)[0]))                         // BINPUT
        case 0x72: try put(try take(4).uint32(at: 0))                   // LONG_BINPUT
        case 0x68, 0x6A:                                                // BINGET, LONG_BINGET
            let index = op == 0x68 ? Int(try take(1)[0]) : try take(4).uint32(at: 0)
            guard let value = memo[index] else { throw fail("memo entry \(index) is read before it is written") }
            stack.append(value)
        case 0x80:                                                      // PROTO
            let version = try take(1)[0]
            guard version >= 2 && version <= 5 else { throw fail("unsupported pickle protocol \(version)") }
        default: return false
        }
        return true
    }

    /// GLOBAL, REDUCE, NEWOBJ, BUILD and BINPERSID: the opcodes that would run code
    /// in Python's unpickler; here each is checked against the allow-list.
    private mutating func call(_ op: UInt8) throws -> Bool {
        switch op {
        case 0x63:                                                      // GLOBAL
            let module = try line(), name = try line()
            guard let global = PickleGlobal.lookup(module: module, name: name) else {
                throw fail(refusedGlobalMessage(module: module, name: name))
            }
            stack.append(.global(global))
        case 0x52:                                                      // REDUCE
            let args = try pop(), function = try pop()
            guard case .global(let global) = function, case .tuple(let items) = args else {
                throw fail("REDUCE needs an allowed global and a tuple, not \(function.kindName) and \(args.kindName)")
            }
            let result = try global.call(items) { fail($0) }
            if case .dict(let dict) = result { dicts.append(dict) }
            stack.append(result)
        case 0x81:                                                      // NEWOBJ: only nn.Parameter(tensor[, requires_grad])
            let args = try pop(), type = try pop()
            guard case .global(.parameterClass) = type, case .tuple(let items) = args, case .tensor(let tensor)? = items.first else {
                throw fail("NEWOBJ may only create torch.nn.Parameter, not \(type.kindName)")
            }
            var requiresGrad = true
            if items.count >= 2, case .bool(let flag) = items[1] { requiresGrad = flag }
            tensor.requiresGrad = requiresGrad
            stack.append(.tensor(tensor))
        case 0x62:                                                      // BUILD
            let state = try pop()
            switch (try top(), state) {
            case (.dict, _): break // an OrderedDict's attributes (a state_dict's `_metadata`) are not needed
            case (.tensor, .none): break
            case (.tensor, .dict(let d)) where d.entries.isEmpty: break
            default: throw fail("BUILD may only set the state of a dict, not of \(try top().kindName)")
            }
        case 0x51:                                                      // BINPERSID
            let storage = try persistentLoad(try pop())
            stack.append(storage)
        default: return false
        }
        return true
    }

    // MARK: Helpers

    /// `('storage', <storage type>, key, location, numel)`.
    private mutating func persistentLoad(_ id: PickleValue) throws -> PickleValue {
        guard case .tuple(let parts) = id, parts.count == 5, case .string("storage") = parts[0],
              case .global(.storageType(_, let element)) = parts[1], case .string(let key) = parts[2],
              case .int(let count) = parts[4], count >= 0 else {
            throw fail("a persistent id must be ('storage', <torch storage type>, key, location, numel)")
        }
        if let known = storages[key] {
            guard known.element == element, known.count == count else {
                throw fail("storage \(Escaping.pythonRepr(key)) is named twice with different types or sizes")
            }
            return .storage(known)
        }
        let storage = StorageReference(key: key, element: element, count: count)
        storages[key] = storage
        return .storage(storage)
    }

    private mutating func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= bytes.count - i else { throw fail("the pickle ends early (truncated)") }
        defer { i += n }
        return Array(bytes[i..<(i + n)])
    }

    /// Text up to a newline (GLOBAL's module and name).
    private mutating func line() throws -> String {
        guard let end = bytes[i...].firstIndex(of: 0x0A) else { throw fail("the pickle ends inside a GLOBAL name") }
        defer { i = end + 1 }
        return String(decoding: bytes[i..<end], as: UTF8.self)
    }

    /// LONG1: a little-endian two's complement integer of n bytes; more than 8 bytes is refused.
    private mutating func long1() throws -> Int {
        let n = Int(try take(1)[0])
        guard n <= 8 else { throw fail("an integer of \(n) bytes is too large") }
        let b = try take(n)
        guard n > 0 else { return 0 }
        var v: UInt64 = 0
        for (k, byte) in b.enumerated() { v |= UInt64(byte) << (8 * k) }
        let shift = UInt64(64 - 8 * n)
        return Int(Int64(bitPattern: v << shift) >> Int64(shift))
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw fail("stack underflow") }
        return value
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last else { throw fail("stack underflow") }
        return value
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no MARK to pop to") }
        defer { stack.removeLast(stack.count - mark) }
        return Array(stack[mark...])
    }

    private mutating func put(_ index: Int) throws {
        memo[index] = try top()
    }

    private func append(_ items: [PickleValue]) throws {
        guard case .list(let list) = try top() else { throw fail("APPEND needs a list, not \(try top().kindName)") }
        list.items += items
    }

    private func setItems(_ items: [PickleValue]) throws {
        guard case .dict(let dict) = try top() else { throw fail("SETITEM needs a dict, not \(try top().kindName)") }
        guard items.count % 2 == 0 else { throw fail("SETITEMS needs key-value pairs") }
        for k in stride(from: 0, to: items.count, by: 2) { dict.set(items[k], items[k + 1]) }
    }
}
