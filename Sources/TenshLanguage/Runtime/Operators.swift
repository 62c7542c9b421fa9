import TenshEngine

/// Operators on values: Python arithmetic on numbers, engine ops (with
/// broadcasting) as soon as a tensor is involved.
extension Interpreter {
    func unary(_ op: UnaryOperator, _ v: Value, at span: SourceSpan) throws -> Value {
        switch (op, v) {
        case (.not, _): return .bool(!(try v.truthy()))
        case (.negate, .int(let i)):
            guard i != Int.min else { throw RuntimeError("integer overflow in -", at: span) }
            return .int(-i)
        case (.negate, .float(let d)): return .float(-d)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .tensor(let t)): return .tensor(try mapEngineError(at: span, [:]) { try neg(t) })
        default: throw RuntimeError("bad operand type for unary -: \(v.typeName)", at: span)
        }
    }

    func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        if case .tensor = l { return try tensorBinary(op, l, r, at: span) }
        if case .tensor = r { return try tensorBinary(op, l, r, at: span) }
        if let value = try numberBinary(op, l, r, at: span) { return value }
        switch (op, l, r) {
        case (.equal, _, _): return .bool(l.equals(r))
        case (.notEqual, _, _): return .bool(!l.equals(r))
        case (.add, .string(let a), .string(let b)): return .string(try ValueLimits.concatenated(a, b))
        // Concatenation nests no deeper than its operands: no nesting check needed.
        case (.add, .list(let a), .list(let b)): return .list(try ValueLimits.concatenated(a, b))
        case (.multiply, .string(let s), .int(let n)), (.multiply, .int(let n), .string(let s)):
            return .string(try ValueLimits.repeated(s, n))
        case (.less, .string(let a), .string(let b)): return .bool(a < b)
        case (.greater, .string(let a), .string(let b)): return .bool(a > b)
        default:
            throw RuntimeError("unsupported operand types for \(op.rawValue): \(l.typeName) and \(r.typeName)", at: span)
        }
    }

    private func tensorBinary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        guard let a = l.asOperand(), let b = r.asOperand() else {
            // A tensor never equals a string, none, a list or a function (as in Python).
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            throw RuntimeError("unsupported operand types for \(op.rawValue): \(l.typeName) and \(r.typeName)", at: span)
        }
        if op == .matmul {
            guard let matmul = registry["matmul"] else {
                throw RuntimeError("the @ operator needs matmul, which is not available in this build", at: span)
            }
            return try call(.builtin(matmul), [l, r], at: span)
        }
        let f: (Tensor, Tensor) throws -> Tensor
        switch op {
        case .add: f = add
        case .subtract: f = sub
        case .multiply: f = mul
        case .divide: f = div
        case .power: f = pow
        case .equal: f = eq
        case .notEqual: f = ne
        case .less: f = lt
        case .lessEqual: f = le
        case .greater: f = gt
        case .greaterEqual: f = ge
        case .and, .or, .matmul:
            throw RuntimeError("unsupported operator \(op.rawValue) for tensors", at: span)
        }
        return .tensor(try mapEngineError(at: span, [:]) { try f(a, b) })
    }

    /// Python arithmetic when both sides are numbers (bools count as ints); nil otherwise.
    private func numberBinary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value? {
        guard let x = l.number, let y = r.number else { return nil }
        let ints: (Int, Int)? = {
            switch (l, r) {
            case (.int(let a), .int(let b)): return (a, b)
            case (.int(let a), .bool(let b)): return (a, b ? 1 : 0)
            case (.bool(let a), .int(let b)): return (a ? 1 : 0, b)
            case (.bool(let a), .bool(let b)): return (a ? 1 : 0, b ? 1 : 0)
            default: return nil
            }
        }()
        switch op {
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        case .divide:
            // IEEE results (inf, -inf, nan) as for tensors: dividing by zero is never a trap or an error.
            return .float(x / y)
        case .matmul: throw RuntimeError("@ needs tensors, got \(l.typeName) and \(r.typeName)", at: span)
        case .and, .or: return nil
        default: break
        }
        guard let (a, b) = ints else {
            switch op {
            case .add: return .float(x + y)
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .power:
                guard !(x == 0 && y < 0) else { throw RuntimeError("0.0 cannot be raised to a negative power", at: span) }
                return .float(Glibc.pow(x, y))
            default: return nil
            }
        }
        let result: (Int, Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .power:
            guard b >= 0 else {
                guard a != 0 else { throw RuntimeError("0 cannot be raised to a negative power", at: span) }
                return .float(Glibc.pow(x, y))
            }
            result = integerPower(a, b)
        default: return nil
        }
        guard !result.1 else { throw RuntimeError("integer overflow in \(op.rawValue)", at: span) }
        return .int(result.0)
    }

    private func integerPower(_ base: Int, _ exponent: Int) -> (Int, Bool) {
        var result = 1, b = base, e = exponent
        while e > 0 {
            if e & 1 == 1 {
                let (p, o) = result.multipliedReportingOverflow(by: b)
                if o { return (0, true) }
                result = p
            }
            e >>= 1
            if e > 0 {
                let (sq, o) = b.multipliedReportingOverflow(by: b)
                if o { return (0, true) }
                b = sq
            }
        }
        return (result, false)
    }
}

#if canImport(Glibc)
import Glibc
#endif
