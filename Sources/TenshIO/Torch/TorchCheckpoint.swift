import TenshEngine
import TenshText

/// PyTorch checkpoints as `torch.save` writes them since 1.6 (`.pt`, `.pth`,
/// `.bin`): a zip holding `<name>/data.pkl` (a pickle of the saved object whose
/// tensors name storages by persistent ids), the storages as `<name>/data/<key>`,
/// and `<name>/byteorder`. The pickle runs on `PickleMachine`, which executes
/// nothing. Storages are checked against the allocation limit together, then
/// read once each: tensors that share a storage share it after loading too.
public enum TorchCheckpoint {
    public static func load(_ path: String, op: String = "load") throws -> LoadedValue {
        try read(try InputFile(path: path, op: op))
    }

    /// The pickle member of a checkpoint: `<name>/data.pkl` at the archive's top level.
    static func isPickle(_ entry: ZipEntry) -> Bool {
        entry.name.hasSuffix("/data.pkl") && entry.name.dropLast(9).allSatisfy { $0 != "/" }
    }

    static func read(_ source: ByteSource) throws -> LoadedValue {
        let archive = try ZipArchive(source)
        let context = source.context
        guard let pickleEntry = archive.entries.first(where: isPickle) else {
            throw context.error("a zip archive without <name>/data.pkl is not a PyTorch checkpoint")
        }
        let prefix = String(pickleEntry.name.dropLast(8))
        var bigEndian = false
        if let order = archive.entry(prefix + "byteorder") {
            let text = String(decoding: try archive.bytes(of: order), as: UTF8.self)
            guard text == "little" || text == "big" else {
                throw context.member(order.name).error("byteorder is \(Escaping.pythonRepr(text)), not 'little' or 'big'")
            }
            bigEndian = text == "big"
        }
        try context.checkAllocation(pickleEntry.size, what: "the pickle \(Escaping.pythonRepr(pickleEntry.name))")
        var machine = PickleMachine(try archive.bytes(of: pickleEntry), context: context.member(pickleEntry.name))
        defer { machine.release() }
        let root = try machine.run()
        try checkTotal(machine.storages.values, context: context)
        // Each storage is read when the first tensor on it is built, and only once.
        var loaded: [String: Tensor] = [:]
        var tree = PickleTree(context: context.member(pickleEntry.name)) { storage in
            if let known = loaded[storage.key] { return known }
            let base = try readStorage(storage, from: archive, prefix: prefix, bigEndian: bigEndian)
            loaded[storage.key] = base
            return base
        }
        return try tree.convert(root)
    }

    /// Every storage the pickle names, together, must fit the allocation limit: checked before any is read.
    private static func checkTotal(_ storages: Dictionary<String, StorageReference>.Values, context: FileContext) throws {
        var total = 0
        for storage in storages {
            let (bytes, overflow) = storage.count.multipliedReportingOverflow(by: storage.element.dtype.itemSize)
            total = overflow || total.addingReportingOverflow(bytes).overflow ? Int.max : total + bytes
        }
        try context.checkAllocation(total, what: "the \(storages.count) storages together")
    }

    /// One storage as a 1-d tensor of its loaded dtype (within the limit: `checkTotal` passed,
    /// so its element count times any element size fits).
    private static func readStorage(_ storage: StorageReference, from archive: ZipArchive, prefix: String, bigEndian: Bool) throws -> Tensor {
        let entry = try archive.requiredEntry(prefix + "data/" + storage.key)
        let element = StoredElement(storage.element.kind, size: storage.element.size, bigEndian: bigEndian)
        guard entry.size == storage.count * element.size else {
            throw archive.context.member(entry.name).error(
                "the pickle says this storage holds \(storage.count) \(element) elements (\(storage.count * element.size) bytes) but the member has \(entry.size) bytes",
                at: entry.recordOffset)
        }
        let base = try Tensor.uninitialized([storage.count], dtype: element.dtype, op: archive.context.op)
        let stream = try ZipMemberStream(archive, entry)
        try stream.readElements(element, count: storage.count, into: base.storage.bytes)
        try stream.finish()
        return base
    }
}

/// Turns the machine's values into the neutral tree, within bounds: at most
/// `maxDepth` levels (a container that holds itself ends there too) and
/// `maxNodes` values (a pickle can share one list many times over).
struct PickleTree {
    static let maxDepth = 100
    static let maxNodes = 1 << 22
    let context: FileContext
    let storage: (StorageReference) throws -> Tensor?
    private var nodes = 0

    init(context: FileContext, storage: @escaping (StorageReference) throws -> Tensor?) {
        self.context = context
        self.storage = storage
    }

    mutating func convert(_ value: PickleValue, depth: Int = 0) throws -> LoadedValue {
        guard depth < PickleTree.maxDepth else {
            throw context.error("the pickle nests more than \(PickleTree.maxDepth) levels deep (or a container holds itself)")
        }
        nodes += 1
        guard nodes <= PickleTree.maxNodes else { throw context.error("the pickle expands to more than \(PickleTree.maxNodes) values") }
        switch value {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .tuple(let items): return .tuple(try items.map { try convert($0, depth: depth + 1) })
        case .list(let list): return .list(try list.items.map { try convert($0, depth: depth + 1) })
        case .dict(let dict):
            return .dict(try dict.entries.map { (try convert($0.key, depth: depth + 1), try convert($0.value, depth: depth + 1)) })
        case .tensor(let reference): return .tensor(try tensor(reference))
        case .global(.dtype(let name)): return .string("torch.\(name)")
        case .global, .storage:
            throw context.error("the pickle holds \(value.kindName) as a value; tensh loads tensors, containers, numbers and strings")
        }
    }

    private func tensor(_ reference: TensorReference) throws -> LoadedTensor {
        guard let base = try storage(reference.storage) else {
            throw context.error("storage \(Escaping.pythonRepr(reference.storage.key)) was not loaded")
        }
        do {
            let view = try Tensor.strided(over: base, shape: reference.shape, strides: reference.strides,
                                          offset: reference.offset, op: context.op)
            return LoadedTensor(view, stored: reference.storage.element, requiresGrad: reference.requiresGrad)
        } catch let error as EngineError {
            throw context.error("a tensor in storage \(Escaping.pythonRepr(reference.storage.key)): \(error.detail)", kind: error.kind)
        }
    }
}
