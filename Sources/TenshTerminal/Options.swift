import TenshEngine
import TenshText

/// The process exit status: the sysexits codes (64 usage, 65 syntax, 66 unreadable file,
/// 70 runtime error, 130 interrupted), or the code a script passed to `exit`.
public struct ExitCode: RawRepresentable, Equatable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ExitCode(rawValue: 0)
    public static let usage = ExitCode(rawValue: 64)
    public static let syntax = ExitCode(rawValue: 65)
    public static let missingFile = ExitCode(rawValue: 66)
    public static let runtime = ExitCode(rawValue: 70)
    public static let interrupted = ExitCode(rawValue: 130)
}

/// What the command line asked for.
struct Options: Equatable {
    enum Command: Equatable {
        case repl
        case script(path: String)
        case evaluate([String])
        case check(path: String)
        case version
        case help
        /// Hidden: prints the generated builtin reference (Docs/Language.md's generated part).
        case dumpBuiltins
    }

    enum ColorMode: String { case auto, always, never }

    var command: Command = .repl
    var arguments: [String] = []
    var plain = false
    var color: ColorMode = .auto
    var threads: Int?
    /// The largest single tensor allocation (`--max-tensor-bytes`, default 8 GiB).
    var maxTensorBytes: Int?

    struct UsageError: Error { let message: String }

    static func parse(_ argv: [String]) throws -> Options {
        var o = Options()
        var sources: [String] = []
        var rest = argv[...]
        var positional: [String] = []
        while let arg = rest.popFirst() {
            // After the script name everything belongs to the script (its args()).
            if !positional.isEmpty && positional.first != "check" {
                positional.append(arg)
                continue
            }
            switch arg {
            case "-e":
                guard let src = rest.popFirst() else { throw UsageError(message: "-e needs SOURCE") }
                sources.append(src)
            case "--plain": o.plain = true
            case "--version": o.command = .version
            case "-h", "--help": o.command = .help
            case "--dump-builtins": o.command = .dumpBuiltins
            case "--threads":
                guard let n = rest.popFirst() else { throw UsageError(message: "--threads needs a number") }
                o.threads = try threadCount(n)
            case "--max-tensor-bytes":
                guard let n = rest.popFirst() else { throw UsageError(message: "--max-tensor-bytes needs a size") }
                o.maxTensorBytes = try byteCount(n)
            case "--color":
                guard let mode = rest.popFirst() else { throw UsageError(message: "--color needs auto, always or never") }
                o.color = try colorMode(mode)
            case "--":
                positional += rest
                rest = []
            default:
                if arg.hasPrefix("--threads=") {
                    o.threads = try threadCount(String(arg.dropFirst("--threads=".count)))
                } else if arg.hasPrefix("--max-tensor-bytes=") {
                    o.maxTensorBytes = try byteCount(String(arg.dropFirst("--max-tensor-bytes=".count)))
                } else if arg.hasPrefix("--color=") {
                    o.color = try colorMode(String(arg.dropFirst("--color=".count)))
                } else if arg.hasPrefix("-") && arg != "-" {
                    throw UsageError(message: "unknown option \(Escaping.pythonRepr(arg))")
                } else {
                    positional.append(arg)
                }
            }
        }
        if o.command == .version || o.command == .help || o.command == .dumpBuiltins { return o }
        if !sources.isEmpty {
            o.command = .evaluate(sources)
            o.arguments = positional
        } else if positional.first == "check" {
            guard positional.count == 2 else { throw UsageError(message: "usage: tensh check FILE.tsh") }
            o.command = .check(path: positional[1])
        } else if let file = positional.first {
            o.command = .script(path: file)
            o.arguments = Array(positional.dropFirst())
        }
        return o
    }

    private static func threadCount(_ s: String) throws -> Int {
        guard let n = Int(s), n > 0, n <= 256 else { throw UsageError(message: "--threads needs a number in 1...256, got \(Escaping.pythonRepr(s))") }
        return n
    }

    /// A byte count, optionally with a binary suffix: `1048576`, `512M`, `8G`.
    static func byteCount(_ s: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(s), scale = 1
        if let last = s.last, let unit = units[Character(last.uppercased())] {
            digits = s.dropLast()
            scale = unit
        }
        guard let n = Int(digits), n > 0 else {
            throw UsageError(message: "--max-tensor-bytes needs a positive size like 1048576, 512M or 8G, got \(Escaping.pythonRepr(s))")
        }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw UsageError(message: "--max-tensor-bytes: \(Escaping.pythonRepr(s)) is too large") }
        return bytes
    }

    private static func colorMode(_ s: String) throws -> ColorMode {
        guard let mode = ColorMode(rawValue: s) else {
            throw UsageError(message: "--color must be auto, always or never, got \(Escaping.pythonRepr(s))")
        }
        return mode
    }

    static let usage = """
    usage: tensh [options]                 interactive REPL
           tensh [options] FILE.tsh [ARGS] run a script (args() returns ARGS)
           tensh [options] -e SOURCE ...   run SOURCE (several -e run in order)
           tensh check FILE.tsh            syntax check only
    options:
      --plain                 plain REPL (no workbench pane)
      --color=auto|always|never
      --threads N             kernel threads (also TENSH_THREADS)
      --max-tensor-bytes N    refuse any single tensor above N bytes (default 8G; K/M/G/T suffixes)
      --version, --help
    exit codes: 0 ok, 64 usage, 65 syntax error, 66 missing file, 70 runtime error, 130 interrupted
    """
}
