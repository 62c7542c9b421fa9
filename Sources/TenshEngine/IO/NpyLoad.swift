#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import TenshText

/// Reads a .npy file (format 1.0, 2.0 or 3.0; C or Fortran order) into a new
/// contiguous tensor. Floats load as f32/f64, integers of any width as i64, `|b1` as bool;
/// big-endian files are byte-swapped.
///
/// The file must be a regular file (a directory, FIFO or device such as /dev/zero is an
/// error, so nothing blocks or reads without end), and its size is checked against the
/// header before any data is read or allocated. Bytes after the array's data are ignored,
/// as numpy does (np.save can append several arrays to one file).
public func loadNpy(_ path: String) throws -> Tensor {
    let file = try NpyFile(path: path)
    defer { file.close() }
    let (header, dataOffset) = try readHeader(file)
    let element = try naming(path) { try NpyElementType(descr: header.descr, op: file.op) }
    guard let count = try? ShapeMath.count(header.shape, op: file.op) else {
        throw EngineError(.resourceLimit, op: file.op, argument: "shape", "\(path): shape \(shapeText(header.shape)) has too many elements")
    }
    let (byteCount, overflow) = count.multipliedReportingOverflow(by: element.size)
    guard !overflow else {
        throw EngineError(.resourceLimit, op: file.op, argument: "shape", "shape \(shapeText(header.shape)) in \(path) is too large")
    }
    let available = file.size - dataOffset
    guard byteCount <= available else {
        throw EngineError(.io, op: file.op,
            "\(path) is truncated: shape \(shapeText(header.shape)) of '\(header.descr)' needs \(byteCount) data bytes but the file has \(available) after the header")
    }
    let out = try Tensor.empty(header.shape, element.dtype, op: file.op) // checks the allocation limit
    if element.size == element.dtype.itemSize && !element.bigEndian && element.kind != .bool {
        // The common case: the file's bytes are the tensor's bytes.
        try file.read(into: UnsafeMutableRawPointer(out.pointer(UInt8.self)), count: byteCount, at: dataOffset)
    } else {
        var raw = [UInt8](repeating: 0, count: byteCount) // at most the tensor's size: conversions only widen
        try raw.withUnsafeMutableBytes { try file.read(into: $0.baseAddress, count: byteCount, at: dataOffset) }
        convert(raw, element, into: out)
    }
    return try header.fortranOrder ? reorderFortran(out, op: file.op) : out
}

/// The largest header accepted (a 16-dim shape needs < 300 bytes; 16 MiB allows absurd ranks).
let maxHeaderBytes = 1 << 24

/// Magic, version, header length and dict; returns the header and where the data starts.
private func readHeader(_ file: NpyFile) throws -> (NpyHeader, Int) {
    let op = file.op, path = file.path
    guard file.size >= 10 else {
        throw EngineError(.io, op: op, "\(path) is not a .npy file: only \(file.size) bytes (a header needs at least 10)")
    }
    let start = try file.bytes(count: 12 <= file.size ? 12 : 10, at: 0)
    guard Array(start[0..<6]) == NpyFormat.magic else {
        throw EngineError(.io, op: op, "\(path) is not a .npy file: bad magic (expected \\x93NUMPY at the start)")
    }
    let (major, minor) = (start[6], start[7])
    let lengthBytes: Int
    switch (major, minor) {
    case (1, 0): lengthBytes = 2
    case (2, 0), (3, 0): lengthBytes = 4
    default: throw EngineError(.io, op: op, "\(path): unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
    }
    guard 8 + lengthBytes <= start.count else {
        throw EngineError(.io, op: op, "\(path): truncated header (the file ends inside the header length field)")
    }
    var headerLength = 0
    for k in 0..<lengthBytes { headerLength |= Int(start[8 + k]) << (8 * k) }
    // numpy's own headers are a few hundred bytes; a huge one is a corrupt or hostile file.
    guard headerLength <= maxHeaderBytes else {
        throw EngineError(.io, op: op, "\(path): header length \(headerLength) is implausibly large (at most \(maxHeaderBytes) bytes)")
    }
    let dataOffset = 8 + lengthBytes + headerLength
    guard dataOffset <= file.size else {
        throw EngineError(.io, op: op, "\(path): truncated header (header length \(headerLength) runs past the end of the \(file.size)-byte file)")
    }
    let bytes = try file.bytes(count: headerLength, at: 8 + lengthBytes)
    // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8.
    let text = major == 3 ? String(decoding: bytes, as: UTF8.self) : String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    return (try naming(path) { try NpyFormat.parseDict(text, op: op) }, dataOffset)
}

/// Runs `body`, prefixing the detail of an error it throws with the file's path.
private func naming<R>(_ path: String, _ body: () throws -> R) throws -> R {
    do { return try body() } catch let e as EngineError {
        throw EngineError(e.kind, op: e.op, argument: e.argument, "\(path): \(e.detail)")
    }
}

/// Converts raw bytes (any byte order, narrower integers, bool bytes) into `out`.
private func convert(_ raw: [UInt8], _ element: NpyElementType, into out: Tensor) {
    let n = out.count
    raw.withUnsafeBytes { buffer in
        func word(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            for b in 0..<element.size {
                let byte = buffer[k &* element.size &+ (element.bigEndian ? element.size - 1 - b : b)]
                v |= UInt64(byte) << (8 * b)
            }
            return v
        }
        switch element.dtype {
        case .float32: let p = out.pointer(UInt32.self); for k in 0..<n { p[k] = UInt32(truncatingIfNeeded: word(k)) }
        case .float64: let p = out.pointer(UInt64.self); for k in 0..<n { p[k] = word(k) }
        case .bool: let p = out.pointer(Bool.self); for k in 0..<n { p[k] = buffer[k] != 0 }
        case .int64:
            let p = out.pointer(Int64.self)
            let signShift = UInt64(64 - 8 * element.size)
            for k in 0..<n {
                let w = word(k)
                // Sign-extend narrower signed integers; unsigned ones (at most 32 bits) fit as they are.
                p[k] = element.kind == .signed ? Int64(bitPattern: w << signShift) >> Int64(signShift) : Int64(bitPattern: w)
            }
        }
    }
}

/// Column-major data viewed with Fortran strides, copied into C order.
private func reorderFortran(_ t: Tensor, op: String) throws -> Tensor {
    guard t.rank > 1 else { return t }
    var strides = [Int](repeating: 1, count: t.rank)
    for d in 1..<t.rank { strides[d] = strides[d - 1] * Swift.max(t.shape[d - 1], 1) }
    let out = try Tensor.empty(t.shape, t.dtype, op: op)
    try copyConverting(t.aliased(shape: t.shape, strides: strides, offset: 0), into: out, op: op)
    return out
}

/// An open file descriptor for reading, checked to be a regular file.
struct NpyFile {
    let op = "load_npy"
    let path: String
    let fd: Int32
    let size: Int

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw EngineError(.io, op: "load_npy", "cannot open \(path): \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc.close(fd)
            throw EngineError(.io, op: "load_npy", "cannot stat \(path): \(message)")
        }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else {
            _ = Glibc.close(fd)
            let what = kind == S_IFDIR ? "a directory" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : "not a regular file"
            throw EngineError(.io, op: "load_npy", "\(path) is \(what); expected a .npy file")
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    /// Exactly `count` bytes at `offset` (the caller has checked the file size).
    func bytes(count: Int, at offset: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try read(into: $0.baseAddress, count: count, at: offset) }
        return out
    }

    /// Reads exactly `count` bytes at `offset` into `destination`, in chunks that check for Ctrl-C.
    func read(into destination: UnsafeMutableRawPointer?, count: Int, at offset: Int) throws {
        guard let destination, count > 0 else { return }
        var done = 0
        while done < count {
            try Cancellation.check(op)
            let got = pread(fd, destination + done, Swift.min(count - done, 1 << 24), off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                let reason = got < 0 ? String(cString: strerror(errno)) : "unexpected end of file"
                throw EngineError(.io, op: op, "\(path): read failed after \(done) of \(count) data bytes: \(reason)")
            }
            done += got
        }
    }

    func close() { _ = Glibc.close(fd) }
}
