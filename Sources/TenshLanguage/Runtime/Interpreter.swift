import TenshEngine

/// How a statement finished: normally, or by `break`, `continue`, `return`.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

/// `exit(code)` unwinds to the session with this.
struct ExitRequest: Error { let code: Int32 }

/// A tree-walking evaluator. Owned by a `Session`; holds the variables.
final class Interpreter: CallContext {
    let registry: BuiltinRegistry
    let output: OutputWriter
    /// Read or written by nearly every node: its accesses never overlap (no
    /// mutation of it calls back into the interpreter), so they skip the run-time check.
    @exclusivity(unchecked) var environment = Environment()
    var scriptArguments: [String]
    /// Whether top-level expression statements print their value (the REPL).
    var echo = false
    @exclusivity(unchecked) var callDepth = 0
    /// The source being run (set by the session), recorded by each `def`.
    var currentOrigin: SourceOrigin?
    /// Where `progress(...)` loops report (a status line); nil draws nothing.
    var progressSink: ProgressSink?
    /// Where show/graph/plot/save_image draw; nil in sessions without one.
    var display: DisplaySink?
    /// The gradients of op outputs from the last backward/grad, within a byte limit.
    var retainedGradients: RetainedGradients? = RetainedGradients()
    static let maxCallDepth = 200
    @exclusivity(unchecked) var evaluationDepth = 0
    /// The files being included, outermost first (to refuse include cycles).
    var includeStack: [String] = []
    static let maxEvaluationDepth = 1500

    init(registry: BuiltinRegistry, output: OutputWriter, arguments: [String]) {
        self.registry = registry
        self.output = output
        self.scriptArguments = arguments
    }

    func write(_ text: String) { output.write(text) }

    func variableNames() -> [String] { environment.visibleNames }

    /// The first global (by name) whose value is this very tensor.
    func variableName(of tensor: Tensor) -> String? {
        environment.globals.filter { if case .tensor(let t) = $0.value { return t === tensor }; return false }
            .map(\.key).min()
    }

    func sourceText(_ span: SourceSpan) -> String? {
        guard let source = currentOrigin?.source.unicodeScalars, span.offset >= 0, span.length > 0,
              span.offset + span.length <= source.count else { return nil }
        let start = source.index(source.startIndex, offsetBy: span.offset)
        return String(source[start..<source.index(start, offsetBy: span.length)])
    }

    func iterate(_ value: Value, at span: SourceSpan) throws -> [Value] { try iterationItems(value, at: span) }

    func add(_ a: Value, _ b: Value, at span: SourceSpan) throws -> Value { try binary(.add, a, b, at: span) }

    func located<R>(_ span: SourceSpan, _ body: () throws -> R) throws -> R { try atSpan(span, body) }

    // MARK: statements

    func execute(_ statements: [Stmt]) throws -> Flow {
        for s in statements {
            let flow = try execute(s)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ s: Stmt) throws -> Flow {
        // Statements nest too (blocks in blocks in calls): they count towards the same bound.
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        guard evaluationDepth <= Interpreter.maxEvaluationDepth else {
            throw RuntimeError("code too deeply nested at run time (more than \(Interpreter.maxEvaluationDepth) levels, counting calls)", at: s.span)
        }
        switch s.kind {
        case .expression(let e, let silent):
            let v = try evaluate(e)
            if echo && !silent && environment.depth == 0, !isNone(v) {
                let text = v.repr
                try Cancellation.check("echo")
                write(text + "\n")
            }
        case .assign(let targets, let value):
            let v = try evaluate(value)
            // `x = e`, by far the commonest, binds without the general target walk.
            if targets.count == 1, case .name(let name) = targets[0].kind {
                environment.assign(name, v, at: targets[0])
            } else {
                for target in targets { try assign(v, to: target, span: value.span) }
            }
        case .compound(let target, let op, let value):
            try compoundAssign(target, op, value)
        case .delete(let targets):
            for target in targets { try delete(target) }
        case .import(let bindings):
            for (path, name) in bindings { environment.assign(name, try importedValue(path, at: s.span)) }
        case .function(let definition):
            let defaults = try definition.defaults.map { try $0.map(evaluate) }
            let function = UserFunction(definition: definition, defaults: defaults, origin: currentOrigin)
            environment.assign(definition.name, .function(function))
        case .return(let value):
            guard environment.depth > 0 else { throw RuntimeError("'return' outside a function", at: s.span) }
            return .returned(try value.map(evaluate) ?? .none)
        case .if:
            return try ifChain(s)
        case .while(let condition, let body):
            while try truth(condition) {
                try Cancellation.check("while")
                let flow = try execute(body)
                if case .breakLoop = flow { break }
                if case .returned = flow { return flow }
            }
        case .for(let target, let sequence, let body):
            return try forLoop(target, sequence, body)
        case .noGrad(let body):
            return try GradMode.noGrad { try execute(body) }
        case .time(let body):
            let start = ContinuousClock.now
            let flow = try execute(body)
            write("time: \(formatDuration(ContinuousClock.now - start))\n")
            return flow
        case .break: return .breakLoop
        case .continue: return .continueLoop
        }
        return .normal
    }

    private func isNone(_ v: Value) -> Bool {
        if case .none = v { return true }
        return false
    }

    func truth(_ e: Expr) throws -> Bool {
        do { return try evaluate(e).truthy() } catch var error as RuntimeError {
            if error.span == nil { error.span = e.span }
            throw error
        }
    }

    /// `if a { } else if b { } else { }`: the branches of a chain are tried in
    /// a loop, so a chain of any length runs without recursion.
    private func ifChain(_ statement: Stmt) throws -> Flow {
        var branch = statement
        while case .if(let condition, let then, let otherwise) = branch.kind {
            if try truth(condition) { return try execute(then) }
            guard let otherwise else { break }
            guard otherwise.count == 1, case .if = otherwise[0].kind else { return try execute(otherwise) }
            branch = otherwise[0]
        }
        return .normal
    }

    private func forLoop(_ target: Expr, _ sequence: Expr, _ body: [Stmt]) throws -> Flow {
        let (walked, value) = try loopItems(sequence)
        var items = walked
        // `for x in progress(xs)` reports each finished step to the progress sink.
        var tracker: ProgressTracker?
        if case .progress(let p)? = value, let sink = progressSink { tracker = ProgressTracker(p, sink) }
        defer { tracker?.finish() }
        while true {
            try Cancellation.check("for")
            guard let item = try items.next() else { break }
            if case .name(let name) = target.kind { environment.assign(name, item, at: target) } else { try assign(item, to: target, span: sequence.span) }
            let flow = try execute(body)
            tracker?.step()
            if case .breakLoop = flow { break }
            if case .returned = flow { return flow }
        }
        return .normal
    }

    /// The items of `for x in sequence`, and the sequence's value when it was
    /// made. A direct call of the `range` builtin is walked without its list.
    private func loopItems(_ sequence: Expr) throws -> (LoopItems, Value?) {
        guard case .call(let callee, let args) = sequence.kind else {
            let value = try evaluate(sequence)
            return (try LoopItems(value, at: sequence.span), value)
        }
        let function = try evaluate(callee)
        guard case .builtin(let b) = function, b === CoreBuiltins.range else {
            let value = try evaluate(sequence, operand: function)
            return (try LoopItems(value, at: sequence.span), value)
        }
        let bound = try Binder.bind(b, try callArguments(args), callSpan: sequence.span, context: self)
        return (LoopItems(try IntRange(bound)), nil)
    }

    /// Every item `for` would walk in `value`, made at once.
    func iterationItems(_ value: Value, at span: SourceSpan) throws -> [Value] {
        try LoopItems.all(value, at: span)
    }

    func undefined(_ name: String, at span: SourceSpan) -> RuntimeError {
        if ["math", "numpy", "np", "os", "sys"].contains(name) {
            return RuntimeError("undefined name '\(name)': tensh has no Python modules; its builtins work on numbers and tensors (help() lists them)", at: span)
        }
        // Python spellings of the literals (True, None) are a common slip.
        if let literal = ["True": "true", "False": "false", "None": "none"][name] {
            return RuntimeError("undefined name '\(name)'; did you mean '\(literal)'?", at: span)
        }
        let candidates = environment.visibleNames + registry.names + ["no_grad", "time"]
        return RuntimeError("undefined name '\(name)'\(Suggestions.hint(for: name, in: candidates))", at: span)
    }
}

/// `12.345 ms`, `1.234 s`.
func formatDuration(_ d: Duration) -> String {
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    if seconds >= 1 { return String(format3(seconds)) + " s" }
    return format3(seconds * 1000) + " ms"
}

/// A number with three decimals, without Foundation.
func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded()
    guard scaled.isFinite, Swift.abs(scaled) < 1e15 else { return "\(x)" }
    let n = Int(scaled)
    let sign = n < 0 ? "-" : ""
    let whole = Swift.abs(n) / 1000, frac = Swift.abs(n) % 1000
    let f = String(frac)
    return "\(sign)\(whole)." + String(repeating: "0", count: 3 - f.count) + f
}
