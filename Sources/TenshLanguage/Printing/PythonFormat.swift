#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Python's `format()` of a float for the three specs tensor printing uses:
/// `{:.Nf}`, `{:W.Ne}` and `{:.0f}`. C's printf rounds the exact binary value
/// half-to-even, as Python does, so finite values go through `vsnprintf`; the
/// non-finite ones are spelled as Python spells them (`nan` never has a sign,
/// where C would print `-nan`).
enum PythonFormat {
    /// `'{:.{precision}f}'.format(v)`.
    static func fixed(_ v: Double, precision: Int) -> String {
        if let special = nonFinite(v) { return special }
        return printf("%.*f", precision, v)
    }

    /// `'{:{width}.{precision}e}'.format(v)`: right-aligned in `width` columns.
    static func scientific(_ v: Double, precision: Int, width: Int = 0) -> String {
        let text = nonFinite(v) ?? printf("%.*e", precision, v)
        return padLeft(text, to: width)
    }

    /// `text` preceded by spaces up to `width` characters (never truncated).
    static func padLeft(_ text: String, to width: Int) -> String {
        let missing = width - text.count
        return missing > 0 ? String(repeating: " ", count: missing) + text : text
    }

    private static func nonFinite(_ v: Double) -> String? {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        return nil
    }

    /// One double through a C format with a precision argument. Grows the
    /// buffer when needed (`%.4f` of 1e300 is over 300 characters).
    static func printf(_ format: String, _ precision: Int, _ v: Double) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList([Int32(clamping: precision), v]) { args in
                vsnprintf(&buffer, capacity, format, args)
            }
            if written < 0 { return String(v) } // C formatting failed: never expected
            if Int(written) < capacity {
                let bytes = buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }
                return String(decoding: bytes, as: UTF8.self)
            }
            capacity = Int(written) + 1
        }
    }
}
