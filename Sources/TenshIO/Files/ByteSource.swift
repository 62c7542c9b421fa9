#if canImport(Glibc)
import Glibc
#endif
import TenshEngine

/// Random access to the bytes of a file, or of a copy of one in memory (the
/// fuzzers and tests). Every read is bounds-checked against `size` and names
/// the offset when it fails.
public protocol ByteSource: AnyObject {
    var size: Int { get }
    var context: FileContext { get }
    /// Exactly `count` bytes at `offset` into `destination`, or an error.
    func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws
}

extension ByteSource {
    /// `count` bytes at `offset` as an array (for headers and small members).
    func bytes(_ count: Int, at offset: Int) throws -> [UInt8] {
        try checkRange(count, at: offset)
        try context.checkAllocation(count, what: "reading \(count) bytes", at: offset)
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { try read(into: base, count: count, at: offset) }
        }
        return out
    }

    /// The error when `count` bytes at `offset` are not all inside the source.
    func checkRange(_ count: Int, at offset: Int, what: String = "data") throws {
        guard count >= 0, offset >= 0, offset <= size, count <= size - offset else {
            throw context.error("the file ends before the \(count) bytes of \(what) there (it has \(size) bytes; truncated?)", at: offset)
        }
    }
}

/// An open regular file. Directories, FIFOs and devices are refused before
/// anything is read (a FIFO is opened non-blocking so it cannot hang the open).
public final class InputFile: ByteSource {
    public let context: FileContext
    public let size: Int
    private let fd: Int32

    public init(path: String, op: String) throws {
        try PathRules.check(path, op: op)
        context = FileContext(op: op, path: path)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw context.systemFailure("open") }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let failure = context.systemFailure("read the status of")
            _ = close(fd)
            throw failure
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            _ = close(fd)
            throw context.error("\(FileKind.describe(status.st_mode)), not a regular file")
        }
        self.fd = fd
        self.size = Int(status.st_size)
    }

    deinit { _ = close(fd) }

    /// Reads in chunks of 16 MiB, checking for Ctrl-C between them.
    public func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        try checkRange(count, at: offset)
        var done = 0
        while done < count {
            try Cancellation.check(context.op)
            let got = pread(fd, destination + done, Swift.min(count - done, 1 << 24), off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                let reason = got < 0 ? PathRules.systemReason() : "the file ended early (did it shrink while being read?)"
                throw context.error("read failed: \(reason)", at: offset + done)
            }
            done += got
        }
    }
}

/// A file's bytes already in memory.
public final class MemorySource: ByteSource {
    public let context: FileContext
    public let storage: [UInt8]
    public var size: Int { storage.count }

    public init(_ bytes: [UInt8], context: FileContext) {
        self.storage = bytes
        self.context = context
    }

    public func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        try checkRange(count, at: offset)
        storage.withUnsafeBytes { raw in
            if let base = raw.baseAddress, count > 0 { destination.copyMemory(from: base + offset, byteCount: count) }
        }
    }
}

/// Words for what a path is when it is not a regular file.
enum FileKind {
    static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "it is a directory"
        case S_IFCHR: return "it is a character device"
        case S_IFBLK: return "it is a block device"
        case S_IFIFO: return "it is a FIFO (named pipe)"
        case S_IFSOCK: return "it is a socket"
        default: return "it is a special file"
        }
    }
}
