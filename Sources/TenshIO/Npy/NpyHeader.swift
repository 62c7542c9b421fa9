/// The .npy header: `\x93NUMPY`, version (1.0: u16 header length; 2.0/3.0: u32;
/// 3.0 is UTF-8), then a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces
/// and a newline so the data starts on a 64-byte boundary.

import TenshEngine
import TenshText

/// What the header says about the array.
struct NpyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
}

/// A header that cannot be used; the reader adds the file's name and the offset.
struct NpyHeaderProblem: Error {
    let detail: String
}

extension StoredElement {
    /// The element type of a descr: `<f2 <f4 <f8 <i8 <i4 <i2 |i1 <u4 <u2 |u1 |b1`,
    /// either byte order (`=` and `|` mean little-endian on the machines tensh runs on).
    init(npyDescr descr: String) throws {
        let chars = Array(descr)
        let unsupported = NpyHeaderProblem(detail:
            "unsupported dtype descr \(Escaping.pythonRepr(descr)) (supported: <f2 <f4 <f8 <i8 <i4 <i2 |i1 <u4 <u2 |u1 |b1, either byte order)")
        guard chars.count >= 3, let size = Int(String(chars[2...])) else { throw unsupported }
        let bigEndian: Bool
        switch chars[0] {
        case "<", "|", "=": bigEndian = false
        case ">": bigEndian = true
        default: throw unsupported
        }
        switch (chars[1], size) {
        case ("f", 2), ("f", 4), ("f", 8): self.init(.float, size: size, bigEndian: bigEndian)
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): self.init(.signed, size: size, bigEndian: bigEndian)
        case ("u", 1), ("u", 2), ("u", 4): self.init(.unsigned, size: size, bigEndian: bigEndian)
        case ("b", 1): self.init(.bool, size: 1)
        default: throw unsupported
        }
    }
}

enum NpyFormat {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // \x93NUMPY

    /// `descr` for a tensor dtype when saving (little-endian, as numpy writes on x86).
    static func descr(for dtype: DType) -> String {
        switch dtype {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int64: return "<i8"
        case .bool: return "|b1"
        }
    }

    /// The full preamble (magic, version, length, padded dict) for a C-order array:
    /// version 1.0 unless the header needs more than 65535 bytes, then 2.0.
    static func preamble(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        for (major, lengthBytes) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let fixed = magic.count + 2 + lengthBytes
            let unpadded = fixed + dict.utf8.count + 1
            let total = (unpadded + 63) / 64 * 64
            let headerLength = total - fixed
            guard major == 2 || headerLength <= Int(UInt16.max) else { continue }
            var bytes = magic + [major, 0]
            for i in 0..<lengthBytes { bytes.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
            bytes += Array(dict.utf8) + [UInt8](repeating: 0x20, count: total - unpadded) + [0x0A]
            return bytes
        }
        return [] // unreachable: version 2.0 always fits
    }

    /// Parses the header dict text.
    static func parseDict(_ text: String) throws -> NpyHeader {
        var parser = PyLiteralParser(Array(text.unicodeScalars))
        guard case .dict(let entries) = try parser.parseValue() else {
            throw NpyHeaderProblem(detail: "header is not a dict: \(Escaping.printable(String(text.prefix(80))))")
        }
        var descr: String?, fortran: Bool?, shape: [Int]?
        for (key, value) in entries {
            switch (key, value) {
            case ("descr", .string(let s)): descr = s
            case ("descr", _): throw NpyHeaderProblem(detail: "structured dtypes are not supported (descr is not a string)")
            case ("fortran_order", .bool(let b)): fortran = b
            case ("shape", .tuple(let items)):
                shape = try items.map { item in
                    guard case .int(let n) = item, n >= 0 else {
                        throw NpyHeaderProblem(detail: "shape entries must be non-negative integers: \(Escaping.printable(String(text.prefix(120))))")
                    }
                    return n
                }
            default: break
            }
        }
        guard let descr, let fortran, let shape else {
            throw NpyHeaderProblem(detail:
                "header dict must have 'descr' (string), 'fortran_order' (bool) and 'shape' (tuple): \(Escaping.printable(String(text.prefix(120))))")
        }
        return NpyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }
}

/// Just enough of Python's literal syntax for .npy headers: dicts, tuples,
/// lists, strings, ints, True/False/None.
struct PyLiteralParser {
    indirect enum Value { case dict([(String, Value)]), tuple([Value]), string(String), int(Int), bool(Bool), none }

    private let s: [Unicode.Scalar]
    private var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    private func fail(_ what: String) -> NpyHeaderProblem {
        let text = String(String.UnicodeScalarView(s.prefix(120)))
        return NpyHeaderProblem(detail: "cannot parse the header dict: \(what) at character \(i) of \(Escaping.pythonRepr(text))")
    }

    private mutating func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" { i += 1 } }

    mutating func parseValue(depth: Int = 0) throws -> Value {
        guard depth < 16 else { throw fail("nesting too deep") }
        skipSpace()
        guard i < s.count else { throw fail("unexpected end") }
        switch s[i] {
        case "{": return .dict(try parseSequence(close: "}", depth: depth) { p in
            guard case .string(let key) = try p.parseValue(depth: depth + 1) else { throw p.fail("dict key is not a string") }
            p.skipSpace()
            guard p.i < p.s.count, p.s[p.i] == ":" else { throw p.fail("expected ':'") }
            p.i += 1
            return (key, try p.parseValue(depth: depth + 1))
        })
        case "(": return .tuple(try parseSequence(close: ")", depth: depth) { try $0.parseValue(depth: depth + 1) })
        case "[": return .tuple(try parseSequence(close: "]", depth: depth) { try $0.parseValue(depth: depth + 1) })
        case "'", "\"": return .string(try parseString())
        default: return try parseAtom()
        }
    }

    private mutating func parseSequence<T>(close: Unicode.Scalar, depth: Int, _ item: (inout PyLiteralParser) throws -> T) throws -> [T] {
        i += 1
        var items: [T] = []
        while true {
            skipSpace()
            guard i < s.count else { throw fail("missing '\(close)'") }
            if s[i] == close { i += 1; return items }
            items.append(try item(&self))
            skipSpace()
            guard i < s.count else { throw fail("missing '\(close)'") }
            if s[i] == "," { i += 1 } else if s[i] != close { throw fail("expected ',' or '\(close)'") }
        }
    }

    private mutating func parseString() throws -> String {
        let quote = s[i]
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count, s[i] != quote { out.append(s[i]); i += 1 }
        guard i < s.count else { throw fail("unterminated string") }
        i += 1
        return String(out)
    }

    private mutating func parseAtom() throws -> Value {
        var word = ""
        while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "-" || s[i] == "L" {
            word.unicodeScalars.append(s[i]); i += 1
        }
        switch word {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .none
        default:
            // Python 2 headers may write long integers as `3L`.
            let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
            guard let n = Int(digits) else {
                throw fail(word.isEmpty ? "unexpected character \(Escaping.pythonRepr(i < s.count ? String(s[i]) : ""))" : "bad value \(Escaping.pythonRepr(word))")
            }
            return .int(n)
        }
    }
}
