#if canImport(Glibc)
import Glibc
#endif

/// Where a session's printed output goes. The command line writes to stdout;
/// tests capture it.
public protocol OutputWriter: AnyObject {
    func write(_ text: String)
}

/// Standard output, unbuffered past each write so output interleaves with stderr correctly.
public final class StandardOutput: OutputWriter {
    public init() {}
    public func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}

/// Collects everything written (tests, the workbench).
public final class CapturedOutput: OutputWriter {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    public func clear() { text = "" }
}
