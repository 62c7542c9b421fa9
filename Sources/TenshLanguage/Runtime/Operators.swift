import TenshEngine
import TenshText

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
        case (.negate, .tensor(let t)): return .tensor(try mapEngineError(at: span) { try neg(t) })
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, .tensor(let t)) where t.dtype == .bool:
            return .tensor(try mapEngineError(at: span) { try eq(t, .wrapped(0, dtype: .bool)) })
        default: throw RuntimeError("bad operand type for unary \(op.rawValue): \(v.typeName)", at: span)
        }
    }

    func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch op {
        case .in: return .bool(try contains(r, l, at: span))
        case .notIn: return .bool(!(try contains(r, l, at: span)))
        case .is: return .bool(l.isIdentical(to: r))
        case .isNot: return .bool(!l.isIdentical(to: r))
        case .equal where l.sequenceItems != nil || r.sequenceItems != nil: return .bool(try l.equals(r))
        case .notEqual where l.sequenceItems != nil || r.sequenceItems != nil: return .bool(!(try l.equals(r)))
        default: break
        }
        if case .tensor = l { return try tensorBinary(op, l, r, at: span) }
        if case .tensor = r { return try tensorBinary(op, l, r, at: span) }
        if let value = try numberBinary(op, l, r, at: span) { return value }
        return try containerBinary(op, l, r, at: span)
    }

    /// Strings, lists, tuples and dicts: `+`, `*`, comparisons, `|` of dicts.
    private func containerBinary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        switch (op, l, r) {
        case (.equal, _, _): return .bool(try l.equals(r))
        case (.notEqual, _, _): return .bool(!(try l.equals(r)))
        case (.add, .string(let a), .string(let b)): return .string(try ValueLimits.concatenated(a, b))
        case (.add, .list(let a), .list(let b)): return .list(try ValueLimits.concatenated(a.items, b.items))
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(try ValueLimits.concatenated(a.items, b.items))
        case (.multiply, .string(let s), .int(let n)), (.multiply, .int(let n), .string(let s)):
            return .string(try ValueLimits.repeated(s, n))
        case (.multiply, .list(let box), .int(let n)), (.multiply, .int(let n), .list(let box)):
            return .list(try ValueLimits.repeated(box.items, n))
        case (.multiply, .tuple(let box), .int(let n)), (.multiply, .int(let n), .tuple(let box)):
            return .tuple(try ValueLimits.repeated(box.items, n))
        case (.remainder, .string(let template), _):
            throw RuntimeError("%-formatting of strings is not supported; use an f-string f\"{x:.3f}\" or \(Escaping.pythonRepr(template)).format(...)", at: span)
        case (.bitOr, .dict(let a), .dict(let b)):
            let merged = a.copy()
            for (k, v) in b.entries { try merged.set(k, v) }
            return .dict(merged)
        case (.less, _, _), (.lessEqual, _, _), (.greater, _, _), (.greaterEqual, _, _):
            guard (l.typeName == r.typeName || (l.number != nil && r.number != nil)), l.sequenceItems != nil || l.typeName == "string" else { break }
            let result: Bool
            switch op {
            case .less: result = try Value.less(l, r)
            case .greater: result = try Value.less(r, l)
            case .lessEqual: result = try !Value.less(r, l)
            default: result = try !Value.less(l, r)
            }
            return .bool(result)
        default: break
        }
        throw RuntimeError(unsupportedMessage(op, l, r), at: span)
    }

    /// What to write instead, for the mix-ups a Python or PyTorch user makes.
    func unsupportedMessage(_ op: BinaryOperator, _ l: Value, _ r: Value) -> String {
        let base = "unsupported operand types for \(op.rawValue): \(l.typeName) and \(r.typeName)"
        switch (op, l, r) {
        case (.add, .string, _), (.add, _, .string):
            return base + "; convert with str(x) or write an f-string: f\"text {x}\""
        case (.add, .list, .tensor):
            return base + " (brackets of numbers make a tensor in tensh); to add an item write l.append(x)"
        case (.add, .list, _):
            return base + "; to add an item write l.append(x)"
        default: return base
        }
    }

    /// `item in container`: list and tuple items, dict keys, substrings, tensor elements.
    func contains(_ container: Value, _ item: Value, at span: SourceSpan) throws -> Bool {
        switch container {
        case .list(let box): return try box.items.contains { try $0.equals(item) }
        case .tuple(let box): return try box.items.contains { try $0.equals(item) }
        case .dict(let box): return try atSpan(span) { try box.contains(item) }
        case .string(let s):
            guard case .string(let part) = item else {
                throw RuntimeError("'in <string>' requires a string as left operand, not \(item.typeName)", at: span)
            }
            return part.isEmpty || StringMethods.split(s, by: part, maxSplits: 1).count > 1
        case .tensor(let t):
            guard let x = item.asOperand() else {
                throw RuntimeError("'in <tensor>' requires a number or a tensor as left operand, not \(item.typeName)", at: span)
            }
            return try mapEngineError(at: span) { try eq(t, x).toDoubles().contains { $0 != 0 } }
        case .progress(let p): return try p.items.contains { try $0.equals(item) }
        default:
            throw RuntimeError("argument of type \(container.typeName) is not a container (in works on lists, tuples, dicts, strings and tensors)", at: span)
        }
    }

    private func tensorBinary(_ op: BinaryOperator, _ l: Value, _ r: Value, at span: SourceSpan) throws -> Value {
        guard let a = l.asOperand(), let b = r.asOperand() else {
            // A tensor never equals a string, none or a function (as in Python).
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            throw RuntimeError(unsupportedMessage(op, l, r), at: span)
        }
        if op == .matmul {
            guard let matmul = registry["matmul"] else {
                throw RuntimeError("the @ operator needs matmul, which is not available in this build", at: span)
            }
            return try call(.builtin(matmul), [l, r], at: span)
        }
        let f: (Tensor, Tensor) throws -> Tensor
        switch op {
        case .add: f = TenshEngine.add
        case .subtract: f = sub
        case .multiply: f = mul
        case .divide: f = div
        case .power: f = pow
        case .floorDivide: f = floorDivide
        case .remainder: f = remainder
        case .bitAnd, .bitOr, .bitXor:
            guard a.dtype == .bool || a.isWrappedNumber, b.dtype == .bool || b.isWrappedNumber else {
                throw RuntimeError("\(op.rawValue) on tensors needs bool tensors (masks), got \(a.dtype) and \(b.dtype)", at: span)
            }
            f = op == .bitAnd ? logicalAnd : op == .bitOr ? logicalOr : ne
        case .equal: f = eq
        case .notEqual: f = ne
        case .less: f = lt
        case .lessEqual: f = le
        case .greater: f = gt
        case .greaterEqual: f = ge
        case .and, .or, .matmul, .in, .notIn, .is, .isNot:
            throw RuntimeError("unsupported operator \(op.rawValue) for tensors", at: span)
        }
        return .tensor(try mapEngineError(at: span) { try f(a, b) })
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
        case .and, .or, .in, .notIn, .is, .isNot: return nil
        case .floorDivide, .remainder:
            guard let (a, b) = ints else { return .float(Interpreter.flooredFloat(op, x, y)) }
            guard b != 0 else { throw RuntimeError("integer \(op == .floorDivide ? "division" : "modulo") by zero", at: span) }
            if a == Int.min && b == -1 {
                guard op == .remainder else { throw RuntimeError("integer overflow in //", at: span) }
                return .int(0)
            }
            let q = a / b, m = a % b
            let adjust = m != 0 && ((m < 0) != (b < 0))
            return .int(op == .floorDivide ? (adjust ? q - 1 : q) : (adjust ? m + b : m))
        default: break
        }
        if op == .bitAnd || op == .bitOr || op == .bitXor {
            guard let (a, b) = ints else { return nil }
            let v = op == .bitAnd ? a & b : op == .bitOr ? a | b : a ^ b
            if case .bool = l, case .bool = r { return .bool(v != 0) }
            return .int(v)
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

    /// Python's `x // y` and `x % y` on floats: floored; by zero IEEE (inf, nan) as on tensors.
    static func flooredFloat(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double {
        if op == .floorDivide { return (x / y).rounded(.down) }
        guard y != 0, x.isFinite else { return .nan }
        if y.isInfinite { return x == 0 || (x < 0) == (y < 0) ? x : y }
        let m = fmod(x, y)
        return m != 0 && (m < 0) != (y < 0) ? m + y : (m == 0 ? Double(sign: y.sign, exponent: 0, significand: 0) : m)
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
