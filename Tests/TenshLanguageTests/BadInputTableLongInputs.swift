@testable import TenshLanguage

/// Rows of hostile input that are too long to write out: operator chains as
/// long as a line can be, huge names, every kind of line ending, and text that
/// would drive the terminal. Each chain is far deeper than the stack allows
/// for a recursive walk (parsing, evaluating, printing or freeing the tree).
extension BadInputTable {
    static let longName = String(repeating: "a", count: 100_000)

    /// `if x == 0 { } else if x == 1 { } ... else if x == count - 1 { }`.
    static func elseIfChain(_ count: Int, last: String) -> String {
        "if x == 0 { }" + (1..<count).map { " else if x == \($0) { \($0 == count - 1 ? last : "") }" }.joined()
    }

    static var longInputs: [Row] {
        [
            Row("x = 1" + String(repeating: " @ eye(2)", count: 100_000),
                "matmul: both arguments need at least 1 dimension, got shapes [] and [2, 2]", "1:5"),
            Row("x = 1" + String(repeating: ".T", count: 100_000), "an int has no attribute 'T'", "1:7"),
            Row("x = eye(2)" + String(repeating: ".T", count: 100_000) + " + ones(3)",
                "add: shapes [2, 2] and [3] cannot be broadcast", "1:5"),
            Row("x = zeros(2)" + String(repeating: "[0]", count: 10_000), "index: too many indices for a tensor of rank 0", "1:5"),
            Row("x = 1" + String(repeating: " + 1", count: 100_000) + " + none", "unsupported operand types for +: int and none", "1:5"),
            Row("x = 99999\n" + elseIfChain(100_000, last: "y = missing_name"), "undefined name 'missing_name'", "2:2388886"),
            Row("y = " + longName, "undefined name '\(longName)'", "1:5"),
            Row(longName + " = 1\ny = " + longName + "b", "did you mean '\(longName)'?", "2:5"),
            // Line endings: `\r\n` and a lone `\r` end lines as `\n` does.
            Row("x = 1\ry = 2\rz = undefined_after_cr", "undefined name 'undefined_after_cr'", "3:5"),
            Row("x = 1 + \\\r\n  2\r\nz = undefined_after_crlf", "undefined name 'undefined_after_crlf'", "3:5"),
            Row("x = 1 + \\\r  2\rz = undefined_after_cr", "undefined name 'undefined_after_cr'", "3:5"),
            Row("# a comment ends at a lone CR\rz = undefined_after_comment", "undefined name 'undefined_after_comment'", "2:5"),
            Row("s = \"unterminated\rx = 1", "unterminated string", "1:5"),
            // User text inside messages is escaped as Python's repr escapes it.
            Row("help(\"\u{1b}]0;pwned\u{07}\")", "help: no builtin named '\\x1b]0;pwned\\x07'", "1:6"),
            Row("help(\"it's\")", "help: no builtin named \"it's\"", "1:6"),
            Row("zeros(2, dtype=\"\u{1b}[2J\")", "zeros: unknown dtype \"\\x1b[2J\"", "1:10"),
            Row("conv2d(zeros(1, 1, 4, 4), zeros(1, 1, 3, 3), padding_mode=\"\u{202e}zeros\")",
                "conv2d: unknown padding_mode \"\\u202ezeros\"", "1:46"),
            Row("max_pool2d(zeros(1, 1, 4, 4), 2) + upsample(zeros(1, 1, 2, 2), 2, mode=\"\u{85}\")",
                "upsample: unknown mode \"\\x85\"", "1:67"),
        ]
    }

    /// Non-error results of the same kind of input, with what they print.
    static var longPrinting: [(source: String, output: String)] {
        let rank64 = "ones(" + Array(repeating: "1", count: 64).joined(separator: ", ") + ")"
        let brackets = (open: String(repeating: "[", count: 64), close: String(repeating: "]", count: 64))
        return [
            ("x = 1" + String(repeating: " + 1", count: 100_000) + "\nprint(x)", "100001\n"),
            ("x = 1" + String(repeating: " - 1", count: 200_000) + "\nprint(x)", "-199999\n"),
            ("x = 1" + String(repeating: " and true", count: 500_000) + "\nprint(x)", "true\n"),
            ("x = 1" + String(repeating: " <= 2", count: 500_000) + "\nprint(x)", "true\n"),
            ("x = eye(2)" + String(repeating: ".T", count: 100_000) + "\nprint(x)", "tensor([[1., 0.],\n        [0., 1.]])\n"),
            ("x = tensor([[1, 2], [3, 4]])" + String(repeating: "[0]", count: 1) + String(repeating: ".sum()", count: 50_000)
                + "\nprint(x)", "tensor(3.)\n"),
            ("x = 100001\n" + elseIfChain(100_000, last: "print(\"last\")") + " else { print(\"none\") }", "none\n"),
            ("x = 99999\n" + elseIfChain(100_000, last: "print(\"last\")"), "last\n"),
            // Calls and definitions with 100,000 arguments (argument checks use sets, not scans).
            ("print(" + Array(repeating: "1", count: 100_000).joined(separator: ", ") + ")",
             Array(repeating: "1", count: 100_000).joined(separator: " ") + "\n"),
            ("def f(" + (0..<50_000).map { "a\($0)" }.joined(separator: ", ") + ") = a0 + a49999\nprint(f("
                + (0..<50_000).map(String.init).joined(separator: ", ") + "))", "49999\n"),
            ("def g(" + (0..<50_000).map { "a\($0)=\($0)" }.joined(separator: ", ") + ") = a1 + a49998\nprint(g("
                + (0..<50_000).map { "a\($0)=1" }.joined(separator: ", ") + "))", "2\n"),
            // Ranges are counted exactly, whatever the bounds.
            ("print(range(4611686018427387904, 4611686018427387907), range(9223372036854775806, 9223372036854775807))",
             "[4611686018427387904, 4611686018427387905, 4611686018427387906] [9223372036854775806]\n"),
            ("for i in range(-9223372036854775807, -9223372036854775805) { print(i) }",
             "-9223372036854775807\n-9223372036854775806\n"),
            // Line endings.
            ("x = 1\rprint(x + 1)\r", "2\n"),
            ("x = 1 + \\\r\n  2\r\nprint(x)\r\n", "3\n"),
            ("x = 1 + \\\n  2\nprint(x)", "3\n"),
            ("x = 1 + \\\r  2\rprint(x)", "3\n"),
            ("# a comment\rprint(1)\r\n# another\r\nprint(2)", "1\n2\n"),
            // Strings inside containers print as Python's repr; print(s) writes s as it is.
            ("print([\"a\", \"it's\", \"\u{1b}[2J\", \"x\u{202e}y\", \"\\n\", \"\\\\\"])",
             "['a', \"it's\", '\\x1b[2J', 'x\\u202ey', '\\n', '\\\\']\n"),
            ("print(\"\u{1b}[0m\")", "\u{1b}[0m\n"),
            ("print(clock() >= 0, clock() <= clock())", "true true\n"),
            // Rank 64, the most any shape may have: every walk over the shape handles it.
            ("x = \(rank64)\nprint(x)", "tensor(\(brackets.open)1.\(brackets.close))\n"),
            ("x = \(rank64)\nprint(tolist(x))", "\(brackets.open)1.0\(brackets.close)\n"),
            ("w = param(\(rank64))\nbackward(sum(w * w))\nprint(len(w.grad.shape), item(sum(w.grad)))", "64 2.0\n"),
        ]
    }
}

/// Rows run with the allocation limit at 1 MiB: every list, string and
/// number buffer a script can grow is refused before it passes the limit.
extension BadInputTable {
    static let smallLimit = 1 << 20

    static var limited: [Row] {
        let limit = "exceeds the allocation limit of \(smallLimit) bytes"
        func list(_ count: Int, itemBytes: Int = MemoryLayout<Value>.stride) -> String {
            "a list of \(count) items (\(count * itemBytes) bytes) \(limit)"
        }
        return [
            Row("l = [none]\nfor i in range(40) { l = l + l }", list(65536), "2:26"),
            Row("s = \"ab\"\nfor i in range(40) { s = s + s }", "a string of 2097152 bytes \(limit)", "2:26"),
            Row("s = \"ab\" * 10000000", "a string of 20000000 bytes \(limit)", "1:5"),
            Row("s = 9223372036854775807 * \"ab\"", "a string of more than 9223372036854775807 bytes \(limit)", "1:5"),
            Row("r = range(10000000)", list(10_000_000), "1:5"),
            Row("x = tolist(zeros(100000, dtype=\"bool\"))", list(100_000), "1:5"),
            Row("for r in progress(zeros(100000, 0)) { }", list(100_000, itemBytes: ValueLimits.tensorRowBytes), "1:19"),
            Row("a, b = zeros(100000, 0)", list(100_000, itemBytes: ValueLimits.tensorRowBytes), "1:8"),
            Row("s = \"ab\" * 300000\na, b = s", list(600_000), "2:8"),
            Row("big = range(40000)\nt = tensor([big, big, big, big])", "tensor: 131073 numbers (1048584 bytes) exceed the allocation limit", "2:5"),
            Row("big = range(40000)\nplot([[big, big, big, big]])",
                "plot: 131073 values to plot exceed the allocation limit of \(smallLimit) bytes as float64", "2:6"),
        ]
    }
}
