/// Text from users and files reaches the terminal only through these, so a
/// script, a file name or a data file cannot retitle, clear or reorder the
/// terminal (control characters, C1 codes, bidi overrides). The rules are
/// Python's `repr`: a scalar that `str.isprintable()` rejects is written as
/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
public enum Escaping {
    /// Python's `repr` of a string: quoted (single quotes unless the text has a
    /// single quote and no double quote), with `\\`, the quote, `\n`, `\r`, `\t`
    /// and every non-printable scalar escaped.
    public static func pythonRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            default:
                if Character(scalar) == quote { out += "\\" + String(quote) } else { appendEscaped(scalar, to: &out) }
            }
        }
        out.append(quote)
        return out
    }

    /// The text with only its non-printable scalars escaped (as `pythonRepr`
    /// escapes them); printable text, backslashes and quotes are unchanged.
    /// For text shown as it was written: a source line, a name inside a message.
    public static func printable(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(isPrintable) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { appendEscaped(scalar, to: &out) }
        return out
    }

    /// Python's `str.isprintable()` for one scalar: false for control, format,
    /// surrogate, private-use and unassigned scalars, and for separators other
    /// than the ASCII space.
    public static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7f { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout String) {
        if isPrintable(scalar) { out.unicodeScalars.append(scalar); return }
        switch scalar {
        case "\n": out += "\\n"; return
        case "\r": out += "\\r"; return
        case "\t": out += "\\t"; return
        default: break
        }
        let v = scalar.value
        let (prefix, width) = v < 0x100 ? ("\\x", 2) : v < 0x10000 ? ("\\u", 4) : ("\\U", 8)
        let hex = String(v, radix: 16)
        out += prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
    }
}
