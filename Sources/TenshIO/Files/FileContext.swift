#if canImport(Glibc)
import Glibc
#endif
import TenshEngine
import TenshText

/// Which file (and which part of it) a reader or writer is working on, so that
/// every error names them: `load: 'w.npz' (member 'x.npy') at byte 64: ...`.
/// Paths and member names come from users and files: they are escaped as
/// Python's `repr` escapes them before they reach a message.
public struct FileContext: Sendable {
    /// The builtin that is running (`load`, `save`, `load_image`, ...).
    public let op: String
    public let path: String
    /// The member of an archive being read (`data.pkl`, `x.npy`), if any.
    public private(set) var member: String?

    public init(op: String, path: String) {
        self.op = op
        self.path = path
    }

    /// The same file, naming one of its members.
    func member(_ name: String) -> FileContext {
        var copy = self
        copy.member = name
        return copy
    }

    /// `'path'` (or `'path' (member 'name')`), escaped.
    var name: String {
        let file = Escaping.pythonRepr(path)
        return member.map { "\(file) (member \(Escaping.pythonRepr($0)))" } ?? file
    }

    /// An error naming the file, and the byte offset when one is known.
    func error(_ detail: String, at offset: Int? = nil, kind: EngineError.Kind = .io) -> EngineError {
        let place = offset.map { "\(name) at byte \($0)" } ?? name
        return EngineError(kind, op: op, argument: "path", "\(place): \(detail)")
    }

    /// `cannot open 'path': No such file or directory`: a system call failed; the reason is `errno`'s.
    func systemFailure(_ verb: String) -> EngineError {
        EngineError(.io, op: op, argument: "path", "cannot \(verb) \(name): \(PathRules.systemReason())")
    }

    /// An allocation the file asks for that is above `--max-tensor-bytes`, refused before it is made.
    func checkAllocation(_ bytes: Int, what: String, at offset: Int? = nil) throws {
        let limit = EngineConfig.maxTensorBytes
        guard bytes >= 0, bytes <= limit else {
            throw error("\(what) needs \(bytes) bytes, which exceeds the allocation limit of \(limit) bytes", at: offset, kind: .resourceLimit)
        }
    }
}

/// The rules every path obeys before the system sees it.
enum PathRules {
    /// A path that is not empty and holds no NUL (the system would silently cut it there).
    static func check(_ path: String, op: String) throws {
        guard !path.isEmpty else { throw EngineError(.io, op: op, argument: "path", "the path is empty") }
        guard !path.utf8.contains(0) else {
            throw EngineError(.io, op: op, argument: "path", "the path \(Escaping.pythonRepr(path)) contains a NUL character")
        }
    }

    /// The system's text for the current `errno`.
    static func systemReason() -> String { String(cString: strerror(errno)) }
}
