import TenshText
#if canImport(Glibc)
import Glibc
#endif

/// Reads tensh source from a file: the one reader behind `tensh FILE`,
/// `tensh check FILE` and `:load FILE`. Only a regular file of at most
/// `maxBytes` is read. A directory, a device or a FIFO is refused before a
/// byte is read (opening is non-blocking, so a FIFO without a writer never
/// hangs), and a file that is, or grows, larger than the limit is refused after
/// reading at most one byte past it.
enum SourceFile {
    /// 16 MiB: far above any script, far below what would strain memory.
    static let maxBytes = 16 << 20

    /// Why a file could not be read; the text names the file (escaped) and the reason.
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) throws -> String {
        let name = Escaping.pythonRepr(path)
        guard !path.utf8.contains(0) else { throw ReadError(description: "cannot open \(name): the name contains a NUL character") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: "cannot open \(name): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: "cannot read \(name): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ReadError(description: "cannot read \(name): it is \(kind(info.st_mode)), not a regular file")
        }
        guard info.st_size <= maxBytes else { throw tooLarge(name) }
        return String(decoding: try readAll(fd, name: name), as: UTF8.self)
    }

    /// Up to `maxBytes` + 1 bytes (a file may grow after `fstat`).
    private static func readAll(_ fd: Int32, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ReadError(description: "cannot read \(name): \(String(cString: strerror(errno)))") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            guard bytes.count <= maxBytes else { throw tooLarge(name) }
        }
    }

    private static func tooLarge(_ name: String) -> ReadError {
        ReadError(description: "cannot read \(name): it is larger than \(maxBytes >> 20) MiB, the limit for source files")
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
