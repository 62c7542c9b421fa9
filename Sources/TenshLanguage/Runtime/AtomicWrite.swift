import Foundation
import TenshEngine
#if canImport(Glibc)
import Glibc
#endif

/// Writes `bytes` to `path` through a temporary file beside it and a rename, so an
/// interrupted write never leaves a half-written file. Errors name the path and the
/// system's reason ("No such file or directory"), as `save` does for `.npy` files.
/// Used by `dot` and the workbench's `save_image`.
public enum AtomicWrite {
    public static func write(_ bytes: [UInt8], to path: String, op: String) throws {
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw EngineError(.io, op: op, argument: "path", "'\(path)' names a directory, not a file")
        }
        let directoryPrefix = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        let temporary = directoryPrefix + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, op) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { Glibc.write(fd, $0 + written, bytes.count - written) } ?? -1
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = failure(path, op)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        guard close(fd) == 0 else {
            let error = failure(path, op)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, op)
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ path: String, _ op: String) -> EngineError {
        EngineError(.io, op: op, argument: "path", "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}
