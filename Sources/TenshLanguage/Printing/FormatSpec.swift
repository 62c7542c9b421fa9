import TenshEngine
import TenshText

/// Python's format-spec mini-language (`{x:>8.3f}`, `{n:,}`, `{acc:.1%}`):
/// `[[fill]align][sign][#][0][width][,|_][.precision][type]` on ints, floats,
/// bools, strings and one-element tensors; a bigger tensor formats as its repr.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws {
        var chars = Array(spec)[...]
        let aligns: Set<Character> = ["<", ">", "^", "="]
        if chars.count >= 2, aligns.contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst()
            align = chars.removeFirst()
        } else if let c = chars.first, aligns.contains(c) {
            align = chars.removeFirst()
        }
        if let c = chars.first, "+- ".contains(c) { sign = chars.removeFirst() }
        if chars.first == "#" { alternate = true; chars.removeFirst() }
        if chars.first == "0" {
            chars.removeFirst()
            if align == nil { fill = "0"; align = "=" }
        }
        width = try FormatSpec.number(&chars, spec) ?? 0
        if let c = chars.first, c == "," || c == "_" { grouping = chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            guard let p = try FormatSpec.number(&chars, spec) else { throw RuntimeError("format specifier missing precision in '\(Escaping.printable(spec))'") }
            precision = p
        }
        if let c = chars.first, chars.count == 1, "bcdeEfFgGnosxX%".contains(c) { type = c; chars.removeFirst() }
        if let c = chars.first, chars.count == 1, c.isLetter { throw RuntimeError("unknown format code '\(c)'") }
        guard chars.isEmpty else { throw RuntimeError("invalid format specifier '\(Escaping.printable(spec))'") }
    }

    private static func number(_ chars: inout ArraySlice<Character>, _ spec: String) throws -> Int? {
        var digits = ""
        while let c = chars.first, c.isASCII, c.isNumber { digits.append(chars.removeFirst()) }
        guard !digits.isEmpty else { return nil }
        guard digits.count <= 6, let n = Int(digits), n <= 100_000 else { throw RuntimeError("format width or precision too large in '\(Escaping.printable(spec))'") }
        return n
    }

    /// `format(value, spec)`.
    static func format(_ value: Value, _ spec: String) throws -> String {
        if spec.isEmpty { return value.text }
        let s = try FormatSpec(spec)
        switch value {
        case .bool(let b) where s.type == nil: return s.pad(b ? "true" : "false", numeric: false)
        case .int(let i): return try s.formatInt(i)
        case .bool(let b): return try s.formatInt(b ? 1 : 0)
        case .float(let d): return try s.formatFloat(d)
        case .string(let text):
            guard s.type == nil || s.type == "s" else { throw RuntimeError("unknown format code '\(s.type.map(String.init) ?? "")' for a string") }
            let cut = s.precision.map { String(text.prefix($0)) } ?? text
            return s.pad(cut, numeric: false)
        case .tensor(let t) where t.count == 1 && t.rank == 0:
            let x = try t.item()
            if !t.dtype.isFloatingPoint, t.dtype != .bool { return try format(.int(saturatingInt(x)), spec) }
            if t.dtype == .bool { return try format(.bool(x != 0), spec) }
            return try s.formatFloat(x)
        default:
            return s.pad(value.text, numeric: false)
        }
    }

    private func formatInt(_ i: Int) throws -> String {
        switch type {
        case nil, "d", "n":
            guard precision == nil else { throw RuntimeError("precision not allowed in an integer format specifier") }
            return signed(i < 0, grouped(String(i.magnitude), by: 3))
        case "x", "X", "o", "b":
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            var digits = String(i.magnitude, radix: radix, uppercase: type == "X")
            digits = grouped(digits, by: 4)
            let prefix = alternate ? "0" + String(type ?? "x") : ""
            return signed(i < 0, prefix + digits)
        case "c":
            guard let u = Unicode.Scalar(UInt32(clamping: Swift.max(i, 0))) else { throw RuntimeError("%c arg not in range") }
            return pad(String(Character(u)), numeric: false)
        default: return try formatFloat(Double(i))
        }
    }

    private func formatFloat(_ d: Double) throws -> String {
        let negative = d < 0 || (d == 0 && d.sign == .minus)
        let m = Swift.abs(d)
        var body: String
        if m.isNaN || m.isInfinite {
            body = m.isNaN ? "nan" : "inf"
            if type == "F" || type == "E" || type == "G" { body = body.uppercased() }
            if type == "%" { body += "%" }
            return signed(negative && !m.isNaN, body)
        }
        switch type {
        case "f", "F": body = PythonFormat.fixed(m, precision: precision ?? 6)
        case "e", "E": body = PythonFormat.printf("%.*e", precision ?? 6, m)
        case "g", "G", "n": body = PythonFormat.printf(alternate ? "%#.*g" : "%.*g", precision.map { Swift.max($0, 1) } ?? 6, m)
        case "%": body = PythonFormat.fixed(m * 100, precision: precision ?? 6) + "%"
        case nil:
            if let p = precision {
                body = PythonFormat.printf("%.*g", Swift.max(p, 1), m)
                if !body.contains("e"), !body.contains(".") { body += ".0" }
            } else {
                body = NumberRepr.format(m)
            }
        default: throw RuntimeError("unknown format code '\(type.map(String.init) ?? "")' for a float")
        }
        if type == "E" || type == "G" { body = body.uppercased() }
        if let g = grouping {
            let intEnd = body.firstIndex { !$0.isNumber } ?? body.endIndex
            body = grouped(String(body[..<intEnd]), by: 3, separator: g) + body[intEnd...]
        }
        return signed(negative, body)
    }

    private func grouped(_ digits: String, by size: Int, separator: Character? = nil) -> String {
        guard let sep = separator ?? grouping else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % size == 0 { out.append(sep) }
            out.append(c)
        }
        return out
    }

    private func signed(_ negative: Bool, _ body: String) -> String {
        let mark = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
        if align == "=" {
            let missing = width - mark.count - body.count
            return mark + (missing > 0 ? String(repeating: fill, count: missing) : "") + body
        }
        return pad(mark + body, numeric: true)
    }

    private func pad(_ text: String, numeric: Bool) -> String {
        let missing = width - text.count
        guard missing > 0 else { return text }
        let filler = { (n: Int) in String(repeating: fill, count: n) }
        switch align ?? (numeric ? ">" : "<") {
        case "<": return text + filler(missing)
        case "^": return filler(missing / 2) + text + filler(missing - missing / 2)
        default: return filler(missing) + text
        }
    }

    /// `"{} and {:.2f}".format(a, b)`: `{}` fields take the values in order, `{0}` by position.
    static func formatTemplate(_ template: String, _ values: [Value]) throws -> String {
        var out = "", next = 0
        var chars = Array(template)[...]
        while let c = chars.popFirst() {
            if c == "{", chars.first == "{" { chars.removeFirst(); out.append("{"); continue }
            if c == "}", chars.first == "}" { chars.removeFirst(); out.append("}"); continue }
            guard c == "{" else {
                guard c != "}" else { throw RuntimeError("single '}' encountered in format string") }
                out.append(c)
                continue
            }
            guard let close = chars.firstIndex(of: "}") else { throw RuntimeError("single '{' encountered in format string") }
            let field = String(chars[..<close])
            chars = chars[(close + 1)...]
            let colon = field.firstIndex(of: ":")
            let name = String(field[..<(colon ?? field.endIndex)])
            let spec = colon.map { String(field[field.index(after: $0)...]) } ?? ""
            let position: Int
            if name.isEmpty { position = next; next += 1 } else if let p = Int(name) { position = p } else {
                throw RuntimeError("format field '\(Escaping.printable(name))' is not supported (use {} or {0})")
            }
            guard position < values.count else { throw RuntimeError("format: replacement index \(position) out of range for \(values.count) values") }
            out += try format(values[position], spec)
            try ValueLimits.checkString(out.utf8.count)
        }
        return out
    }
}
