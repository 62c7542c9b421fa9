import TenshEngine
import TenshText

/// Hugging Face's .safetensors: an 8-byte little-endian header length, a JSON
/// header (`{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
/// "__metadata__": {...}}`), then the tensors' bytes. F16 and BF16 load as f32,
/// the narrower integers as i64; each tensor keeps its stored type. Nothing in
/// the file is executed: it holds only data.
public struct SafetensorsContents {
    /// The tensors in the header's order.
    public var tensors: [(name: String, tensor: LoadedTensor)]
    /// The `__metadata__` strings, in their order.
    public var metadata: [(key: String, value: String)]
}

public enum SafetensorsFile {
    /// safetensors' own bound on the header.
    static let maxHeaderBytes = 100_000_000

    static let dtypes: [String: StoredElement] = [
        "F64": .float64, "F32": .float32, "F16": .float16, "BF16": .bfloat16, "I64": .int64, "I32": .int32,
        "I16": .int16, "I8": .int8, "U8": .uint8, "U16": .uint16, "U32": .uint32, "BOOL": .bool,
    ]

    public static func load(_ path: String, op: String = "load") throws -> SafetensorsContents {
        try read(try InputFile(path: path, op: op))
    }

    static func read(_ source: ByteSource) throws -> SafetensorsContents {
        let context = source.context
        guard source.size >= 8 else { throw context.error("not a .safetensors file: only \(source.size) bytes (the header length alone needs 8)") }
        guard let headerLength = try source.bytes(8, at: 0).uint64(at: 0), headerLength <= maxHeaderBytes else {
            throw context.error("the header length is larger than safetensors allows (\(maxHeaderBytes) bytes)", at: 0)
        }
        guard headerLength <= source.size - 8 else {
            throw context.error("truncated: the header length \(headerLength) runs past the end of the \(source.size)-byte file", at: 0)
        }
        let header: Json
        do {
            header = try JsonParser.parse(try source.bytes(headerLength, at: 8))
        } catch let problem as JsonError {
            throw context.error("the header is not valid JSON: \(problem.detail)", at: 8 + problem.offset)
        }
        guard case .object(let entries) = header else { throw context.error("the header is not a JSON object", at: 8) }
        let dataStart = 8 + headerLength
        var layouts: [(String, TensorLayout)] = []
        var metadata: [(String, String)] = []
        for (name, value) in entries {
            if name == "__metadata__" {
                metadata = try readMetadata(value, context)
            } else {
                layouts.append((name, try TensorLayout(name: name, value, dataLength: source.size - dataStart, context)))
            }
        }
        try checkLayouts(layouts.map(\.1), context: context, dataStart: dataStart)
        var tensors: [(String, LoadedTensor)] = []
        for (name, layout) in layouts {
            let out = try Tensor.uninitialized(layout.shape, dtype: layout.element.dtype, op: context.op)
            let stream = SourceStream(source, start: dataStart + layout.begin, length: layout.end - layout.begin)
            try stream.readElements(layout.element, count: out.count, into: out.storage.bytes)
            tensors.append((name, LoadedTensor(out, stored: layout.element)))
        }
        return SafetensorsContents(tensors: tensors, metadata: metadata)
    }

    private static func readMetadata(_ value: Json, _ context: FileContext) throws -> [(String, String)] {
        guard case .object(let items) = value else { throw context.error("__metadata__ is not a JSON object", at: 8) }
        return try items.map { key, item in
            guard case .string(let text) = item else {
                throw context.error("__metadata__ value of \(Escaping.pythonRepr(key)) is not a string", at: 8)
            }
            return (key, text)
        }
    }

    /// Tensors may not overlap, and together they must fit the allocation limit.
    private static func checkLayouts(_ layouts: [TensorLayout], context: FileContext, dataStart: Int) throws {
        var total = 0
        for layout in layouts {
            let (sum, overflow) = total.addingReportingOverflow(layout.loadedBytes)
            total = overflow ? Int.max : sum
        }
        try context.checkAllocation(total, what: "the \(layouts.count) tensors together", at: dataStart)
        let sorted = layouts.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.begin < a.end {
            throw context.error("the data of \(Escaping.pythonRepr(a.name)) and \(Escaping.pythonRepr(b.name)) overlap", at: dataStart + b.begin)
        }
    }

    /// Writes `tensors` (and `metadata`) as a .safetensors file that the safetensors
    /// library reads back. The data is ordered by element size (largest first) so
    /// every tensor is aligned, as safetensors does; the header keeps the given order.
    public static func save(_ tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = [],
                            to path: String, op: String = "save") throws {
        let arrays = try tensors.map { ($0.name, try NpyArray($0.tensor, op: op), $0.tensor) }
        var names = Set<String>()
        for (name, _, _) in arrays where name == "__metadata__" || !names.insert(name).inserted {
            throw EngineError(.invalidArgument, op: op, argument: "x", "the tensor name \(Escaping.pythonRepr(name)) is reserved or repeats")
        }
        let dataOrder = arrays.indices.sorted { (-arrays[$0].2.dtype.itemSize, $0) < (-arrays[$1].2.dtype.itemSize, $1) }
        var offsets = [Int](repeating: 0, count: arrays.count)
        var next = 0
        for i in dataOrder { offsets[i] = next; next += arrays[i].1.data.count }
        var fields: [String] = []
        if !metadata.isEmpty {
            fields.append("\"__metadata__\":{" + metadata.map { Json.quoted($0.key) + ":" + Json.quoted($0.value) }.joined(separator: ",") + "}")
        }
        for (i, (name, array, tensor)) in arrays.enumerated() {
            let dtype = StoredElement.native(tensor.dtype).safetensorsName
            fields.append(Json.quoted(name) + ":{\"dtype\":\"\(dtype)\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                          + "\"data_offsets\":[\(offsets[i]),\(offsets[i] + array.data.count)]}")
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8) // the data starts 8-byte aligned
        var length: [UInt8] = []
        length.appendLittleEndian(header.count, bytes: 8)
        try AtomicFile.write(to: path, op: op) { sink in
            try sink.append(length + header)
            for i in dataOrder { try sink.append(arrays[i].1.data) }
        }
    }
}

extension StoredElement {
    /// The dtype's name in a safetensors header (`F32`, `BF16`, `BOOL`).
    var safetensorsName: String {
        SafetensorsFile.dtypes.first { $0.value == self }?.key ?? "F32"
    }
}

/// One header entry, checked: a known dtype, a shape, and offsets inside the data
/// that hold exactly the shape's bytes.
private struct TensorLayout {
    let name: String
    let element: StoredElement
    let shape: [Int]
    let begin: Int
    let end: Int

    /// Bytes of the loaded tensor (after widening).
    var loadedBytes: Int { (end - begin) / element.size * element.dtype.itemSize }

    init(name: String, _ value: Json, dataLength: Int, _ context: FileContext) throws {
        let quoted = Escaping.pythonRepr(name)
        guard case .string(let dtype)? = value["dtype"], case .array(let dims)? = value["shape"],
              case .array(let offsets)? = value["data_offsets"] else {
            throw context.error("tensor \(quoted) needs \"dtype\" (string), \"shape\" and \"data_offsets\" (lists)", at: 8)
        }
        guard let element = SafetensorsFile.dtypes[dtype] else {
            throw context.error("tensor \(quoted) has dtype \(Escaping.pythonRepr(dtype)), which tensh cannot load (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 U16 U32 BOOL)", at: 8)
        }
        let shape = dims.compactMap(\.count)
        guard shape.count == dims.count, offsets.count == 2, let begin = offsets[0].count, let end = offsets[1].count else {
            throw context.error("tensor \(quoted): shape and data_offsets must hold non-negative integers", at: 8)
        }
        let count: Int
        do { count = try Tensor.elementCount(shape, op: context.op) } catch let error as EngineError {
            throw context.error("tensor \(quoted): \(error.detail)", at: 8, kind: error.kind)
        }
        guard begin <= end, end <= dataLength else {
            throw context.error("tensor \(quoted): data_offsets [\(begin), \(end)] run past the \(dataLength) bytes of data after the header (truncated?)", at: 8)
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: element.size)
        guard !overflow, end - begin == bytes else {
            throw context.error("tensor \(quoted) of shape \(shapeText(shape)) and dtype \(dtype) needs \(overflow ? "too many" : String(bytes)) bytes, but its data_offsets [\(begin), \(end)] hold \(end - begin)", at: 8)
        }
        self.name = name
        self.element = element
        self.shape = shape
        self.begin = begin
        self.end = end
    }
}
