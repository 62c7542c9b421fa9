import TenshEngine

/// Each file parser on bytes in memory, as the fuzz targets drive them: the
/// same code `load` and `load_image` run on files, minus the file itself.
public enum ParserEntry: String, CaseIterable, Sendable {
    case png, jpeg, zip, safetensors, pickle

    /// Parses `bytes` with this parser and discards the result; errors are thrown as usual.
    public func parse(_ bytes: [UInt8]) throws {
        let context = FileContext(op: "load", path: "<\(rawValue)>")
        let source = MemorySource(bytes, context: context)
        switch self {
        case .png, .jpeg:
            let mode = ImageMode.allCases[bytes.count % ImageMode.allCases.count]
            _ = try ImageFile.decode(bytes, mode: mode, context: context)
        case .zip:
            let archive = try ZipArchive(source)
            if archive.entries.contains(where: TorchCheckpoint.isPickle) {
                _ = try TorchCheckpoint.read(source)
            } else {
                _ = try NpzFile.read(source)
            }
        case .safetensors:
            _ = try SafetensorsFile.read(source)
        case .pickle:
            var machine = PickleMachine(bytes, context: context.member("data.pkl"))
            defer { machine.release() }
            let root = try machine.run()
            // Storages the pickle names are made up (zeros) within the allocation limit.
            var storages: [String: Tensor] = [:]
            for (key, storage) in machine.storages {
                let (bytes, overflow) = storage.count.multipliedReportingOverflow(by: 8)
                try context.checkAllocation(overflow ? Int.max : bytes, what: "storage \(key)")
                storages[key] = try Tensor(zeros: [storage.count], dtype: storage.element.dtype, op: "load")
            }
            var tree = PickleTree(context: context) { storages[$0.key] }
            _ = try tree.convert(root)
        }
    }
}
