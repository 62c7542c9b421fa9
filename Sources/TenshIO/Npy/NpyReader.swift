import TenshEngine
import TenshText

/// Reads a .npy file (format 1.0, 2.0 or 3.0; C or Fortran order) into a new
/// contiguous tensor. Floats load as f32/f64 (`<f2` widens to f32), integers of
/// any width as i64, `|b1` as bool; big-endian data is byte-swapped. Bytes after
/// the array's data are ignored, as numpy does (np.save can append several
/// arrays to one file).
///
/// The file must be a regular file, and its size is checked against the header
/// and the allocation limit before any data is read or allocated.
public func loadNpy(_ path: String, op: String = "load") throws -> Tensor {
    try NpyReader.read(SourceStream(try InputFile(path: path, op: op))).tensor
}

enum NpyReader {
    /// The largest header accepted (a 64-dim shape needs < 1 kB; 16 MiB allows absurd ranks).
    static let maxHeaderBytes = 1 << 24

    /// One array from `stream` (a whole file or an archive member): header, then data.
    static func read(_ stream: ByteStream) throws -> LoadedTensor {
        let (header, element) = try readHeader(stream)
        let context = stream.context
        let dataOffset = stream.position
        let count: Int
        do {
            count = try Tensor.elementCount(header.shape, op: context.op)
        } catch let error as EngineError {
            throw context.error("shape \(shapeText(header.shape)): \(error.detail)", at: dataOffset, kind: error.kind)
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: element.size)
        guard !overflow, byteCount <= stream.remaining else {
            let needed = overflow ? "more than \(Int.max)" : "\(byteCount)"
            throw context.error("truncated: shape \(shapeText(header.shape)) of \(Escaping.pythonRepr(header.descr)) needs \(needed) data bytes but the file has \(stream.remaining) after the header", at: dataOffset)
        }
        try context.checkAllocation(count * element.dtype.itemSize, what: "a tensor of shape \(shapeText(header.shape)) (\(element.dtype))", at: dataOffset)
        let out = try Tensor.uninitialized(header.shape, dtype: element.dtype, op: context.op)
        try stream.readElements(element, count: count, into: out.storage.bytes)
        let tensor = header.fortranOrder ? try reorderFortran(out, op: context.op) : out
        return LoadedTensor(tensor, stored: element)
    }

    /// Magic, version, header length and dict.
    private static func readHeader(_ stream: ByteStream) throws -> (NpyHeader, StoredElement) {
        let context = stream.context
        guard stream.remaining >= 10 else {
            throw context.error("not a .npy file: only \(stream.remaining) bytes (a header needs at least 10)")
        }
        let start = try stream.bytes(8)
        guard Array(start[0..<6]) == NpyFormat.magic else {
            throw context.error("not a .npy file: bad magic (expected \\x93NUMPY at the start)", at: 0)
        }
        let (major, minor) = (start[6], start[7])
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw context.error("unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)", at: 6)
        }
        guard stream.remaining >= lengthBytes else {
            throw context.error("truncated header (the file ends inside the header length field)", at: 8)
        }
        var headerLength = 0
        for (k, byte) in try stream.bytes(lengthBytes).enumerated() { headerLength |= Int(byte) << (8 * k) }
        // numpy's own headers are a few hundred bytes; a huge one is a corrupt or hostile file.
        guard headerLength <= maxHeaderBytes else {
            throw context.error("header length \(headerLength) is implausibly large (at most \(maxHeaderBytes) bytes)", at: 8)
        }
        guard headerLength <= stream.remaining else {
            throw context.error("truncated header (header length \(headerLength) runs past the end of the \(stream.position + stream.remaining)-byte file)", at: 8)
        }
        let headerOffset = stream.position
        let bytes = try stream.bytes(headerLength)
        // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8.
        let text = major == 3 ? String(decoding: bytes, as: UTF8.self) : String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        do {
            let header = try NpyFormat.parseDict(text)
            return (header, try StoredElement(npyDescr: header.descr))
        } catch let problem as NpyHeaderProblem {
            throw context.error(problem.detail, at: headerOffset)
        }
    }

    /// Column-major data viewed with Fortran strides, copied into C order.
    private static func reorderFortran(_ t: Tensor, op: String) throws -> Tensor {
        guard t.rank > 1 else { return t }
        var strides = [Int](repeating: 1, count: t.rank)
        for d in 1..<t.rank { strides[d] = strides[d - 1] * Swift.max(t.shape[d - 1], 1) }
        return try Tensor.strided(over: t, shape: t.shape, strides: strides, offset: 0, op: op).contiguous()
    }
}
