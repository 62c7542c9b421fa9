import TenshEngine
import TenshText

/// NumPy's .npz archives: a zip of .npy members, stored (`np.savez`) or
/// deflated (`np.savez_compressed`). Names lose their `.npy` suffix, as in
/// `np.load(path).files`.
public enum NpzFile {
    /// Every array of the archive, in the archive's order.
    public static func load(_ path: String, op: String = "load") throws -> [(name: String, tensor: LoadedTensor)] {
        try read(try InputFile(path: path, op: op))
    }

    static func read(_ source: ByteSource) throws -> [(name: String, tensor: LoadedTensor)] {
        let archive = try ZipArchive(source)
        // Together the arrays must fit the allocation limit: a few bytes of deflate data
        // per member must not add up to more than the limit in total.
        let total = archive.entries.reduce(0) { $0.addingReportingOverflow($1.size).overflow ? Int.max : $0 + $1.size }
        try source.context.checkAllocation(total, what: "the \(archive.entries.count) arrays together")
        var out: [(String, LoadedTensor)] = []
        for entry in archive.entries {
            let stream = try ZipMemberStream(archive, entry)
            let tensor = try NpyReader.read(stream)
            try stream.finish()
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            out.append((name, tensor))
        }
        return out
    }

    /// Writes `arrays` as an uncompressed .npz (`np.savez`'s layout) that `np.load` reads back.
    public static func save(_ arrays: [(name: String, tensor: Tensor)], to path: String, op: String = "save") throws {
        var seen = Set<String>()
        for (name, _) in arrays {
            guard !name.isEmpty, seen.insert(name).inserted else {
                throw EngineError(.invalidArgument, op: op, argument: "x",
                                  name.isEmpty ? "an array name is empty" : "the array name \(Escaping.pythonRepr(name)) repeats")
            }
        }
        let encoded = try arrays.map { (name: $0.name + ".npy", array: try NpyArray($0.tensor, op: op)) }
        try AtomicFile.write(to: path, op: op) { sink in
            let zip = ZipWriter(sink: sink)
            for (name, array) in encoded {
                try array.preamble.withUnsafeBytes { preamble in
                    try zip.addStored(name: name, parts: [preamble, array.data])
                }
            }
            try zip.finish()
        }
    }
}
