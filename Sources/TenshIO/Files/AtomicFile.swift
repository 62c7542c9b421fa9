#if canImport(Glibc)
import Glibc
#endif
import TenshEngine

/// The one way tensh writes a file (`.npy`, `.npz`, `.safetensors`, PNG, `.dot`):
/// the bytes go to a temporary file beside the target, are flushed with fsync,
/// and the temporary is renamed over the target, then the directory is synced.
/// A failed or interrupted write (Ctrl-C) removes the temporary and leaves any
/// old file as it was. The target must be a regular file or not exist yet: a
/// directory, a device, a FIFO or a socket is refused, never replaced; a
/// symbolic link is followed and its target replaced (as `open(path, "w")` would
/// write through it), and a replaced file keeps its permissions.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, op: String) throws {
        try write(to: path, op: op) { try $0.append(bytes) }
    }

    /// Runs `produce` with a sink on the temporary file, then puts the file in place.
    public static func write(to path: String, op: String, _ produce: (FileSink) throws -> Void) throws {
        try PathRules.check(path, op: op)
        let context = FileContext(op: op, path: path)
        let (target, mode) = try resolveTarget(path, context)
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let temporary = directory + temporaryName(for: name)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw context.systemFailure("write") }
        let sink = FileSink(fd: fd, context: context)
        do {
            if let mode { _ = fchmod(fd, mode & 0o7777) }
            try produce(sink)
            guard fsync(fd) == 0 else { throw context.systemFailure("write") }
            sink.isOpen = false
            guard close(fd) == 0 else { throw context.systemFailure("write") }
            guard rename(temporary, target) == 0 else { throw context.systemFailure("write") }
        } catch {
            if sink.isOpen { _ = close(fd) }
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// The file to replace (a symbolic link's target) and its permissions when it exists.
    private static func resolveTarget(_ path: String, _ context: FileContext) throws -> (String, mode_t?) {
        let directoryError = EngineError(.io, op: context.op, argument: "path", "\(context.name) names a directory, not a file")
        guard !path.hasSuffix("/") else { throw directoryError }
        var status = stat()
        guard lstat(path, &status) == 0 else { return (path, nil) } // missing: created; other errors surface at open
        var target = path
        if status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw context.error("it is a symbolic link to a missing file; write to the target's own path instead")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &status) == 0 else { return (target, nil) }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return (target, status.st_mode)
        case S_IFDIR: throw directoryError
        default: throw context.error("\(FileKind.describe(status.st_mode)), not a regular file; it is not replaced")
        }
    }

    /// `.NAME.tmp-PID-RANDOM`, with NAME cut so the whole stays far below the
    /// 255-byte limit on a file name whatever the target's length.
    static func temporaryName(for name: String) -> String {
        var prefix = ""
        for scalar in name.unicodeScalars {
            guard prefix.utf8.count + String(scalar).utf8.count <= 64 else { break }
            prefix.unicodeScalars.append(scalar)
        }
        return ".\(prefix).tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    /// Makes the rename durable. Some file systems cannot sync a directory; the
    /// file itself is already in place then, so a failure here is not reported.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}

/// Where a writer's bytes go: the temporary file of an `AtomicFile.write`.
public final class FileSink {
    private let fd: Int32
    private let context: FileContext
    fileprivate var isOpen = true
    /// Bytes written so far (the offset of the next byte).
    public private(set) var offset = 0

    fileprivate init(fd: Int32, context: FileContext) {
        self.fd = fd
        self.context = context
    }

    public func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Writes in chunks of 16 MiB, checking for Ctrl-C between them.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            try Cancellation.check(context.op)
            let wrote = Glibc.write(fd, base + done, Swift.min(bytes.count - done, 1 << 24))
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw context.systemFailure("write") }
            done += wrote
        }
        offset += bytes.count
    }
}
