/// Variables: globals, plus one frame of locals per active function call.
/// Blocks do not open scopes; a function assigns to its own locals and reads
/// globals (as in Python without `global`).
struct Environment {
    private(set) var globals: [String: Value] = [:]
    private var frames: [[String: Value]] = []

    var depth: Int { frames.count }

    func lookup(_ name: String) -> Value? {
        if let frame = frames.last, let v = frame[name] { return v }
        return globals[name]
    }

    mutating func assign(_ name: String, _ value: Value) {
        if frames.isEmpty { globals[name] = value } else { frames[frames.count - 1][name] = value }
    }

    /// The value bound to `name` in the innermost scope (a function's locals, else the globals).
    func lookupLocal(_ name: String) -> Value? {
        frames.isEmpty ? globals[name] : frames[frames.count - 1][name]
    }

    /// Binds `name` in the innermost scope to `value`, or unbinds it when nil.
    mutating func restore(_ name: String, _ value: Value?) {
        if frames.isEmpty { globals[name] = value } else { frames[frames.count - 1][name] = value }
    }

    mutating func push(_ locals: [String: Value]) { frames.append(locals) }
    mutating func pop() { _ = frames.popLast() }

    /// Every name visible here (for "did you mean" and completion).
    var visibleNames: [String] {
        Array(Set(globals.keys).union(frames.last?.keys ?? [:].keys))
    }

    mutating func reset() {
        globals = [:]
        frames = []
    }
}
