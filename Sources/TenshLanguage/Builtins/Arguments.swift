import TenshEngine
import TenshText

/// What the interpreter offers a builtin besides its arguments.
protocol CallContext: AnyObject {
    func write(_ text: String)
    /// Calls a tensh function value (user function or builtin) with positional arguments.
    func call(_ function: Value, _ arguments: [Value], at span: SourceSpan) throws -> Value
    var scriptArguments: [String] { get }
    var registry: BuiltinRegistry { get }
    /// The items a `for` loop would walk in `value`.
    func iterate(_ value: Value, at span: SourceSpan) throws -> [Value]
    func variableNames() -> [String]
    /// Where show/graph/plot draw (nil when the session has no display).
    var display: DisplaySink? { get }
    /// The source text of `span` in the code being run (for titles like `w.grad`).
    func sourceText(_ span: SourceSpan) -> String?
    /// Receives the op outputs' gradients of each backward/grad (`stats`, the graph view).
    var retainedGradients: RetainedGradients? { get }
    /// A global variable holding this very tensor (graph labels), if any.
    func variableName(of tensor: Tensor) -> String?
    /// Runs the script at `path` (relative to the running file) in this session.
    func include(_ path: String, at span: SourceSpan) throws
    /// `a + b` as the language computes it.
    func add(_ a: Value, _ b: Value, at span: SourceSpan) throws -> Value
    /// Runs `body`, placing its errors without a position at `span`.
    func located<R>(_ span: SourceSpan, _ body: () throws -> R) throws -> R
}

/// The bound arguments of one builtin call, with typed accessors. Every
/// accessor error points at the argument's span (or the call's, when absent).
struct Arguments {
    let builtin: Builtin
    var values: ArgumentSlots<Value>
    var spans: ArgumentSlots<SourceSpan>
    /// The parameters given as `name=value` (not positionally).
    var keywords: Set<String> = []
    /// Keyword arguments collected by a `**name` parameter, in call order.
    var extraKeywords: [CallArgument] = []
    let callSpan: SourceSpan
    unowned let context: CallContext

    func span(_ name: String) -> SourceSpan { spans[name] ?? callSpan }

    func error(_ name: String, _ message: String) -> RuntimeError {
        RuntimeError("\(builtin.name): \(message)", at: span(name))
    }

    /// The value given (or the default's value); `.none` when absent.
    func value(_ name: String) -> Value { values[name] ?? .none }

    func isGiven(_ name: String) -> Bool {
        if case .none = value(name) { return false }
        return true
    }

    func tensor(_ name: String) throws -> Tensor {
        let v = value(name)
        switch v {
        case .tensor(let t): return t
        case .int(let i): return Tensor.wrapped(Double(i), dtype: .int64)
        case .float(let d): return Tensor.wrapped(d, dtype: .float64)
        case .bool(let b): return Tensor.wrapped(b ? 1 : 0, dtype: .bool)
        default: throw error(name, "argument '\(name)' must be a tensor, got \(v.typeName)")
        }
    }

    /// A tensor argument whose numbers become float32 tensors (for elementwise math: `exp(1)`).
    func floatTensor(_ name: String) throws -> Tensor {
        switch value(name) {
        case .int, .float, .bool: return Tensor(scalar: try double(name), dtype: .float32)
        default: return try tensor(name)
        }
    }

    func optionalTensor(_ name: String) throws -> Tensor? {
        isGiven(name) ? try tensor(name) : nil
    }

    func double(_ name: String) throws -> Double {
        let v = value(name)
        if let d = v.number { return d }
        if case .tensor(let t) = v, t.count == 1 { return try t.item() }
        throw error(name, "argument '\(name)' must be a number, got \(v.typeName)")
    }

    func optionalDouble(_ name: String) throws -> Double? {
        isGiven(name) ? try double(name) : nil
    }

    func int(_ name: String) throws -> Int {
        let v = value(name)
        if case .int(let i) = v { return i }
        if case .tensor(let t) = v, t.count == 1, !t.dtype.isFloatingPoint, let d = try? t.item() { return saturatingInt(d) }
        throw error(name, "argument '\(name)' must be an int, got \(v.typeName)")
    }

    func optionalInt(_ name: String) throws -> Int? {
        isGiven(name) ? try int(name) : nil
    }

    func bool(_ name: String) throws -> Bool {
        if case .bool(let b) = value(name) { return b }
        throw error(name, "argument '\(name)' must be true or false, got \(value(name).typeName)")
    }

    func string(_ name: String) throws -> String {
        if case .string(let s) = value(name) { return s }
        throw error(name, "argument '\(name)' must be a string, got \(value(name).typeName)")
    }

    /// `dtype="f64"`; `fallback` when not given.
    func dtype(_ name: String = "dtype", default fallback: DType = .float32) throws -> DType {
        guard isGiven(name) else { return fallback }
        let s = try string(name)
        guard let d = DType(name: s) else {
            let hint = Suggestions.hint(for: s, in: DType.allCases.map(\.rawValue))
            throw error(name, "unknown dtype \"\(Escaping.printable(s))\" (expected \"f32\", \"f64\", \"i64\" or \"bool\")\(hint)")
        }
        return d
    }

    /// Ints given as one int or a list of ints.
    func ints(_ name: String) throws -> [Int] {
        switch value(name) {
        case .int(let i): return [i]
        case .tensor(let t):
            guard let values = integralValues(t) else {
                throw error(name, "argument '\(name)' must be ints, got a tensor of shape \(shapeText(t.shape)) with non-integer values")
            }
            return values
        case .list, .tuple:
            return try (value(name).sequenceItems ?? []).map { item in
                guard case .int(let i) = item else {
                    throw error(name, "argument '\(name)' must contain ints, got \(item.typeName)")
                }
                return i
            }
        case let v: throw error(name, "argument '\(name)' must be an int or a list of ints, got \(v.typeName)")
        }
    }

    /// A variadic size list: `zeros(2, 3)` or `zeros([2, 3])`.
    func shape(_ name: String) throws -> [Int] {
        guard let items = value(name).sequenceItems else { return try ints(name) }
        if items.count == 1, items[0].isSequence {
            var inner = self
            inner.values[name] = items[0]
            return try inner.ints(name)
        }
        return try ints(name)
    }

    /// `dim=` as a list of dims; empty when not given (all dims).
    func dims(_ name: String = "dim") throws -> [Int] {
        isGiven(name) ? try ints(name) : []
    }

    /// A tensor or a list of tensors, and whether it was a single tensor.
    func tensors(_ name: String) throws -> (tensors: [Tensor], single: Bool) {
        switch value(name) {
        case .tensor(let t): return ([t], true)
        case .list, .tuple:
            return (try (value(name).sequenceItems ?? []).map { item in
                guard case .tensor(let t) = item else {
                    throw error(name, "argument '\(name)' must be a list of tensors, found \(item.typeName)")
                }
                return t
            }, false)
        case let v: throw error(name, "argument '\(name)' must be a tensor or a list of tensors, got \(v.typeName)")
        }
    }

    /// Variadic values (`print(a, b)`).
    func list(_ name: String) -> [Value] {
        value(name).sequenceItems ?? []
    }
}

extension Value {
    /// A list, or a tensor of rank 1 (sizes written as `[2, 3]`).
    var isSequence: Bool {
        switch self {
        case .list, .tuple: return true
        case .tensor(let t): return t.rank == 1
        default: return false
        }
    }
}
