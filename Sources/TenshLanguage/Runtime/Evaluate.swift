import TenshEngine

/// Expression evaluation.
extension Interpreter {
    func evaluate(_ e: Expr) throws -> Value {
        try deepening(e) { try evaluateChain(e) }
    }

    /// `e` when its `leftOperand` has been evaluated already (to `operand`).
    func evaluate(_ e: Expr, operand: Value) throws -> Value {
        try deepening(e) { try spanned(e) { try evaluateNode(e, operand: operand) } }
    }

    /// Nested expressions times nested calls: bounded so the stack cannot overflow.
    private func deepening(_ e: Expr, _ body: () throws -> Value) throws -> Value {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        guard evaluationDepth <= Interpreter.maxEvaluationDepth else {
            throw RuntimeError("expression too deeply nested at run time (more than \(Interpreter.maxEvaluationDepth) levels, counting calls)", at: e.span)
        }
        return try body()
    }

    private func evaluateChain(_ e: Expr) throws -> Value {
        // A leaf, or one node over a leaf (`x * 0.5`, `c.sum()`, `b[i]`): the
        // commonest expressions, evaluated without building the chain's list.
        guard e.hasLeftOperand, let operand = e.kind.leftOperand else {
            return try spanned(e) { try evaluateNode(e, operand: nil) }
        }
        guard operand.hasLeftOperand else {
            return try applyChainNode(e, to: try spanned(operand) { try evaluateNode(operand, operand: nil) })
        }
        // A chain (`1 + 1 + ...`, `x.T.T...`, `f(a)(b)`) is as deep as it is long:
        // walk down its first operands with a loop, then apply the nodes from the
        // innermost out, each with the value computed so far.
        var chain: [Expr] = []
        var innermost = e
        while innermost.hasLeftOperand, let operand = innermost.kind.leftOperand {
            chain.append(innermost)
            innermost = operand
        }
        var value = try spanned(innermost) { try evaluateNode(innermost, operand: nil) }
        while let node = chain.popLast() {
            value = try applyChainNode(node, to: value)
        }
        return value
    }

    /// `node` applied to the value of its left operand.
    private func applyChainNode(_ node: Expr, to value: Value) throws -> Value {
        try spanned(node) {
            // 100,000 cheap steps still take a while: Ctrl-C is noticed between them.
            try Cancellation.check("evaluate")
            return try evaluateNode(node, operand: value)
        }
    }

    /// Errors raised without a position belong to the expression being
    /// evaluated, and so does a Ctrl-C noticed while it was evaluated.
    private func spanned(_ e: Expr, _ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch var error as RuntimeError {
            if error.span == nil { error.span = e.span }
            throw error
        } catch let error as EngineError where error.kind == .cancelled {
            throw Interrupted(span: e.span)
        }
    }

    /// One node. `operand` is the value of its `leftOperand` when the caller
    /// has computed it already (the chain walk in `evaluate`).
    private func evaluateNode(_ e: Expr, operand: Value?) throws -> Value {
        switch e.kind {
        case .integer(let v, _): return .int(v)
        case .float(let v, _): return .float(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .name(let name):
            if let v = environment.lookup(name, at: e) { return v }
            if let b = registry[name] { return .builtin(b) }
            if let namespace = PyTorchNames.roots[name] { return .namespace(namespace) }
            throw undefined(name, at: e.span)
        case .tensorLiteral(_, let values, let shape):
            return .tensor(try mapEngineError(at: e.span) { try Tensor(values, shape: shape, dtype: .float32) })
        case .unary(let op, let inner):
            return try unary(op, try evaluate(inner), at: e.span)
        case .binary(.and, let l, let r):
            let left = try operand ?? evaluate(l)
            return try left.truthy() ? try evaluate(r) : left
        case .binary(.or, let l, let r):
            let left = try operand ?? evaluate(l)
            return try left.truthy() ? left : try evaluate(r)
        case .binary(let op, let l, let r):
            let left = try operand ?? evaluate(l)
            return try binary(op, left, try evaluate(r), at: e.span)
        case .call(let callee, let args):
            let function = try operand ?? evaluate(callee)
            return try call(function, try callArguments(args, for: function), at: e.span)
        case .methodCall(let receiver, let name, let nameSpan, let args):
            let target = try operand ?? evaluate(receiver)
            return try methodCall(target, name, nameSpan: nameSpan, receiverSpan: receiver.span, try callArguments(args),
                                  at: e.span, node: e)
        case .attribute(let receiver, let name, let nameSpan):
            return try attribute(try operand ?? evaluate(receiver), name, at: nameSpan, receiverSpan: receiver.span)
        case .index(let base, let items):
            return try index(try operand ?? evaluate(base), items, at: e.span)
        default:
            guard let value = try evaluateCompound(e, operand: operand) else {
                throw RuntimeError("this expression cannot be evaluated", at: e.span)
            }
            return value
        }
    }

    /// `tensor([0.1], dtype="f64")`: the bracket's numbers reach `tensor` as the
    /// Doubles written, not rounded to a float32 tensor first.
    private func callArguments(_ args: [Argument], for function: Value) throws -> [CallArgument] {
        guard case .builtin(let b) = function, b === CreationBuiltins.tensorBuiltin, let first = args.first, first.name == nil,
              case .tensorLiteral(_, let values, let shape) = first.value.kind else { return try callArguments(args) }
        let data = try InspectionBuiltins.nest(values.map(Value.float), shape)
        return [CallArgument(name: nil, nameSpan: nil, value: data, span: first.span)] + (try callArguments(Array(args.dropFirst())))
    }

    func callArguments(_ args: [Argument]) throws -> [CallArgument] {
        try args.map { CallArgument(name: $0.name, nameSpan: $0.nameSpan, value: try evaluate($0.value), span: $0.span) }
    }

    // MARK: calls

    func call(_ function: Value, _ arguments: [Value], at span: SourceSpan) throws -> Value {
        try call(function, arguments.map { CallArgument(name: nil, nameSpan: nil, value: $0, span: span) }, at: span)
    }

    func call(_ function: Value, _ arguments: [CallArgument], at span: SourceSpan) throws -> Value {
        switch function {
        case .builtin(let b) where b === PythonBuiltins.dict:
            // `dict(lr=0.1)`: any keyword is a key.
            let bound = try Binder.bind(b, arguments.filter { $0.name == nil }, callSpan: span, context: self)
            let made = try b.body(bound)
            guard case .dict(let box) = made else { return made }
            for arg in arguments { if let name = arg.name { try atSpan(arg.span) { try box.set(.string(name), arg.value) } } }
            return made
        case .builtin(let b):
            let bound = try Binder.bind(b, arguments, callSpan: span, context: self)
            return try mapEngineError(at: span, bound) { try b.body(bound) }
        case .function(let f):
            return try callUser(f, arguments, at: span)
        case .module(let m):
            return try callModule(m, arguments, at: span)
        default:
            throw RuntimeError("\(function.typeNameWithArticle) is not callable", at: span)
        }
    }

    /// Binds arguments to a `def` function's parameters and runs its body in a new frame.
    private func callUser(_ f: UserFunction, _ arguments: [CallArgument], at span: SourceSpan) throws -> Value {
        let params = f.definition.parameters
        var locals: [String: Value] = [:]
        var positional = arguments.filter { $0.name == nil }[...]
        for (p, d) in zip(params, f.defaults) {
            if let arg = positional.popFirst() { locals[p.name] = arg.value } else if let d { locals[p.name] = d }
        }
        if let extra = positional.first {
            throw RuntimeError("\(f.name) takes \(params.count) argument\(params.count == 1 ? "" : "s") but \(arguments.filter { $0.name == nil }.count) were given", at: extra.span)
        }
        let keywordArguments = arguments.filter { $0.name != nil }
        let names = keywordArguments.isEmpty ? [] : Set(f.parameterNames)
        for arg in keywordArguments {
            guard let name = arg.name else { continue }
            guard names.contains(name) else {
                throw RuntimeError("\(f.name) has no parameter '\(name)'\(Suggestions.hint(for: name, in: f.parameterNames))", at: arg.nameSpan ?? arg.span)
            }
            locals[name] = arg.value
        }
        if let missing = params.first(where: { locals[$0.name] == nil }) {
            throw RuntimeError("\(f.name) is missing the argument '\(missing.name)'", at: span)
        }
        guard callDepth < Interpreter.maxCallDepth else {
            throw RuntimeError("recursion depth exceeded (more than \(Interpreter.maxCallDepth) nested calls)", at: span)
        }
        callDepth += 1
        environment.push(locals)
        defer { environment.pop(); callDepth -= 1 }
        do {
            switch f.definition.body {
            case .expression(let e): return try evaluate(e)
            case .block(let body): return try runBlockBody(body)
            }
        } catch var error as RuntimeError {
            // The body's spans belong to the source the function was defined in.
            if error.origin == nil, error.span != nil { error.origin = f.origin }
            throw error
        }
    }

    /// A block body's value: `return e`, or the value of its last expression statement.
    private func runBlockBody(_ body: [Stmt]) throws -> Value {
        for (i, s) in body.enumerated() {
            if i == body.count - 1, case .expression(let e, _) = s.kind { return try evaluate(e) }
            switch try execute(s) {
            case .returned(let v): return v
            case .breakLoop, .continueLoop: throw RuntimeError("'break' or 'continue' outside a loop", at: s.span)
            case .normal: continue
            }
        }
        return .none
    }

    /// Runs engine code, turning its errors into runtime errors at `span`. For the
    /// operators and indexing: no argument spans to build and free per op.
    func mapEngineError<R>(at span: SourceSpan, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EngineError {
            throw languageError(error, at: span, cancelledAt: span)
        }
    }

    /// Runs engine code, turning its errors into runtime errors at the span of
    /// the argument the engine names (else at `span`).
    func mapEngineError<R>(at span: SourceSpan, _ argumentSpans: ArgumentSlots<SourceSpan>, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EngineError {
            throw languageError(error, at: error.argument.flatMap { argumentSpans[$0] } ?? span, cancelledAt: span)
        }
    }

    /// `mapEngineError(at:_:_:)` for a builtin's body. Takes the whole bound
    /// call, borrowed: passing its span table alone copied the table per call.
    func mapEngineError<R>(at span: SourceSpan, _ bound: borrowing Arguments, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EngineError {
            // The engine names arguments as the builtins declare them (`x`, `w`, `b`, ...).
            var location = span
            if let name = error.argument, let argumentSpan = bound.spans[name] { location = argumentSpan }
            throw languageError(error, at: location, cancelledAt: span)
        }
    }

    /// An engine error as the language reports it: a Ctrl-C interrupts at the
    /// expression (`cancelledAt`); anything else is a runtime error at `location`.
    private func languageError(_ error: EngineError, at location: SourceSpan, cancelledAt span: SourceSpan) -> Error {
        error.kind == .cancelled ? Interrupted(span: span) : RuntimeError(error.message, at: location)
    }
}

/// Ctrl-C stopped the computation.
struct Interrupted: Error { let span: SourceSpan }
