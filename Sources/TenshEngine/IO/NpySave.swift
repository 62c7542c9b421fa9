#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes `tensor` to `path` as .npy (format 1.0, or 2.0 when the header needs it; C order;
/// `<f4 <f8 <i8 |b1`). The data goes to a temporary file in the same directory which
/// is then renamed over `path`, so an interrupted save never leaves a half-written file.
public func saveNpy(_ tensor: Tensor, _ path: String) throws {
    let op = "save_npy"
    let data = try tensor.detached().materialized(tensor.shape, tensor.dtype, op: op)
    let preamble = NpyFormat.preamble(descr: NpyFormat.descr(for: tensor.dtype), shape: tensor.shape)
    // The directory part including its final slash ("" for a bare name), so the temporary file sits beside path.
    let directoryPrefix = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard !name.isEmpty, !path.hasSuffix("/") else {
        throw EngineError(.io, op: op, argument: "path", "\(path) names a directory, not a file")
    }
    var isDirectory = stat()
    if stat(path, &isDirectory) == 0 && isDirectory.st_mode & S_IFMT == S_IFDIR {
        throw EngineError(.io, op: op, argument: "path", "\(path) is a directory")
    }
    let temporary = directoryPrefix + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
        throw EngineError(.io, op: op, argument: "path", "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    do {
        try preamble.withUnsafeBytes { try writeAll(fd, $0.baseAddress, $0.count, path: path) }
        try writeAll(fd, UnsafeRawPointer(data.pointer(UInt8.self)), data.count * data.dtype.itemSize, path: path)
        guard fsync(fd) == 0 else { throw EngineError(.io, op: op, "cannot write \(path): \(String(cString: strerror(errno)))") }
        guard close(fd) == 0 else { throw EngineError(.io, op: op, "cannot write \(path): \(String(cString: strerror(errno)))") }
    } catch {
        _ = close(fd)
        unlink(temporary)
        throw error
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw EngineError(.io, op: op, argument: "path", "cannot write \(path): \(reason)")
    }
}

/// write(2) until every byte is out, checking for Ctrl-C between chunks.
private func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, path: String) throws {
    guard let bytes, count > 0 else { return }
    var done = 0
    while done < count {
        try Cancellation.check("save_npy")
        let wrote = write(fd, bytes + done, Swift.min(count - done, 1 << 24))
        if wrote < 0 && errno == EINTR { continue }
        guard wrote > 0 else {
            throw EngineError(.io, op: "save_npy", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        done += wrote
    }
}
