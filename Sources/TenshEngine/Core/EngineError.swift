/// Every failure of the engine is one of these thrown values; nothing traps.
/// `message` names the op, the argument and the shapes involved, e.g.
/// `conv2d: input has 3 channels but weight expects 4 (weight [8, 4, 3, 3], groups=1)`.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// A shape, dtype or value that the op cannot accept.
        case invalidArgument
        /// A tensor larger than the allocation limit, a size that overflows, or more than 64 dimensions.
        case resourceLimit
        /// Reading or writing a file failed.
        case io
        /// The computation was cancelled (Ctrl-C).
        case cancelled
        /// Autograd was asked for something the graph cannot give.
        case autograd
    }

    public let kind: Kind
    /// The op or function that failed, e.g. `conv2d`.
    public let op: String
    /// The argument that is wrong, when one is, by the name the language's builtin
    /// gives it (e.g. `w`, `stride`), so a diagnostic can point at it.
    public let argument: String?
    public let detail: String

    public init(_ kind: Kind = .invalidArgument, op: String, argument: String? = nil, _ detail: String) {
        self.kind = kind
        self.op = op
        self.argument = argument
        self.detail = detail
    }

    /// `op: detail`, the form shown to users.
    public var message: String { op.isEmpty ? detail : "\(op): \(detail)" }
    public var description: String { message }

    static func invalid(_ op: String, _ argument: String? = nil, _ detail: String) -> EngineError {
        EngineError(.invalidArgument, op: op, argument: argument, detail)
    }
}

