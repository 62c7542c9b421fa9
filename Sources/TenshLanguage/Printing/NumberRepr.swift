/// Python's `repr` of plain numbers, for the interpreter's echo of non-tensor
/// values: `0.1`, `1e-05`, `1e+16`, `inf`, `nan`, `-0.0`, `3.0`, `42`.
public enum NumberRepr {
    /// Python's `repr(float)`: the shortest digits that read back as `v`,
    /// in positional notation when the decimal exponent is in [-4, 16),
    /// otherwise as `d.ddde±XX` (Python's `float_repr_style = 'short'`).
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        let sign = v.sign == .minus ? "-" : ""
        let (digits, point) = shortestDigits(Swift.abs(v))
        // `point` is where the decimal point goes: value = 0.d1d2... × 10^point.
        if point <= -4 || point > 16 {
            return sign + exponential(digits, point)
        }
        return sign + positional(digits, point)
    }

    /// Python's `repr(int)`.
    public static func format(_ v: Int) -> String { String(v) }

    /// Python's `repr(int)` for an int64 element.
    public static func format(_ v: Int64) -> String { String(v) }

    /// Shortest round-trip decimal digits of a finite non-negative `v` (no
    /// leading or trailing zeros; "0" for zero) and the decimal point position.
    /// Swift's `description` already yields the shortest round-trip digits;
    /// only its layout differs from Python's, so it is taken apart here.
    static func shortestDigits(_ v: Double) -> (digits: [UInt8], point: Int) {
        let text = v.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first ?? Substring(text)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { integerDigits += 1 }
        }
        var point = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return ([UInt8(ascii: "0")], 1) }
        return (digits, point)
    }

    /// `d.ddde-05`: at least two exponent digits, always signed, as Python.
    private static func exponential(_ digits: [UInt8], _ point: Int) -> String {
        var text = String(decoding: digits.prefix(1), as: UTF8.self)
        if digits.count > 1 { text += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
        let e = point - 1
        let magnitude = String(Swift.abs(e))
        return text + "e" + (e < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// `123.45`, `0.001`, `3.0`: positional with at least one fractional digit.
    private static func positional(_ digits: [UInt8], _ point: Int) -> String {
        let all = String(decoding: digits, as: UTF8.self)
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + all
        }
        if point >= digits.count {
            return all + String(repeating: "0", count: point - digits.count) + ".0"
        }
        return String(all.prefix(point)) + "." + String(all.dropFirst(point))
    }
}
