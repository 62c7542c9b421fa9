import TenshEngine

/// Tuples, dicts, comprehensions, chained comparisons, `a if c else b` and lambdas.
extension Interpreter {
    /// The nodes the core evaluator hands over; nil for the ones it handles itself.
    func evaluateCompound(_ e: Expr, operand: Value?) throws -> Value? {
        switch e.kind {
        case .list(let elements): return .list(try evaluateItems(elements))
        case .tuple(let elements): return .tuple(try evaluateItems(elements))
        case .dict(let entries):
            let box = DictBox()
            for entry in entries {
                let key = try evaluate(entry.key)
                let value = try evaluate(entry.value)
                try atSpan(entry.key.span) { try box.set(key, value) }
            }
            return .dict(box)
        case .listComprehension(let element, let clauses):
            var out: [Value] = []
            try comprehension(clauses) {
                try ValueLimits.checkList(out.count + 1)
                out.append(try evaluate(element))
            }
            return .list(out)
        case .dictComprehension(let key, let value, let clauses):
            let box = DictBox()
            try comprehension(clauses) {
                let k = try evaluate(key)
                let v = try evaluate(value)
                try atSpan(key.span) { try box.set(k, v) }
            }
            return .dict(box)
        case .fstring(let parts): return .string(try formatFString(parts))
        case .comparisonChain(let first, let rest):
            var left = try operand ?? evaluate(first)
            for (op, rightExpr) in rest {
                let right = try evaluate(rightExpr)
                let result = try binary(op, left, right, at: e.span)
                // `a < b < c` is `a < b and b < c`: the first false one is the value.
                guard try result.truthy() else { return result }
                if rightExpr === rest.last?.1 { return result }
                left = right
            }
            return .bool(true)
        case .conditional(let then, let condition, let otherwise):
            return try truth(condition) ? evaluate(then) : evaluate(otherwise)
        case .lambda(let definition):
            let defaults = try definition.defaults.map { try $0.map(evaluate) }
            return .function(UserFunction(definition: definition, defaults: defaults, origin: currentOrigin))
        default: return nil
        }
    }

    private func evaluateItems(_ elements: [Expr]) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(elements.count)
        for e in elements { out.append(try evaluate(e)) }
        return out
    }

    /// Runs `body` for every binding the clauses make. The loop variables are
    /// the comprehension's own, as in Python 3: names they shadow are restored.
    private func comprehension(_ clauses: [ComprehensionClause], _ body: () throws -> Void) throws {
        var names: [String] = []
        for case .for(let target, _) in clauses { names += Interpreter.targetNames(target) }
        let saved = names.map { environment.lookupLocal($0) }
        defer { for (name, old) in zip(names, saved) { environment.restore(name, old) } }
        try runClauses(clauses[...], body)
    }

    /// Clauses nest as loops do; comprehensions nest only as deep as their source.
    private func runClauses(_ clauses: ArraySlice<ComprehensionClause>, _ body: () throws -> Void) throws {
        guard let clause = clauses.first else { return try body() }
        let rest = clauses.dropFirst()
        switch clause {
        case .if(let condition):
            if try truth(condition) { try runClauses(rest, body) }
        case .for(let target, let iterable):
            var items = try LoopItems(try evaluate(iterable), at: iterable.span)
            var count = 0
            while let item = try items.next() {
                count += 1
                if count % ValueLimits.cancellationChunk == 0 { try Cancellation.check("comprehension") }
                try assign(item, to: target, span: iterable.span)
                try runClauses(rest, body)
            }
        }
    }

    /// The plain names a target binds: `x`, `k, v`, `(i, (a, b))`.
    static func targetNames(_ target: Expr) -> [String] {
        var out: [String] = []
        var pending = [target]
        while let t = pending.popLast() {
            switch t.kind {
            case .name(let n): out.append(n)
            case .tuple(let items), .list(let items): pending += items
            default: break
            }
        }
        return out
    }

    /// Errors thrown without a position inside `body` are placed at `span`.
    func atSpan<R>(_ span: SourceSpan, _ body: () throws -> R) throws -> R {
        do { return try body() } catch var error as RuntimeError {
            if error.span == nil { error.span = span }
            throw error
        }
    }
}
