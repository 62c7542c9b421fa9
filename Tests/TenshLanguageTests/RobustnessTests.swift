import Foundation
@testable import TenshLanguage
import XCTest

/// Nothing traps on user input: random token soup and random small programs
/// must end in a value or a diagnostic, never a crash.
final class RobustnessTests: XCTestCase {
    static let fragments = [
        "x", "y", "w", "1", "-2", "0", "2.5", "1e-3", "\"s\"", "'t'", "true", "none", "(", ")", "[", "]", "{", "}",
        ",", ":", ";", ".", "...", "=", "+=", "-=", "*=", "/=", "+", "-", "*", "/", "**", "@", "==", "!=", "<", ">=",
        "and", "or", "not", "def", "f", "return", "if", "else", "for", "in", "while", "break", "continue",
        "no_grad", "time", "\n", " ", "zeros", "ones", "sum", "mean", "grad", "param", "reshape", "range", "len",
        "shape", "T", "grad_fn", "relu", "tensor", "item", "tolist", "exit", "help", "clamp", "where", "print", "#",
        "9223372036854775807", "[[1, 2], [3, 4]]", "[1, [2]]", "x[0]", "x[::0]", "x[-9]", "$", "\\",
        "dim=", "keepdim=", "dtype=", "\"f64\"", "\"i64\"", "\"bool\"", "requires_grad=", "create_graph=", "1e308",
        "-9223372036854775807", "arange(", "linspace(", "eye(", "full(", "expand(", "x.T", "gradcheck(f, [w])",
        "gradgradcheck(", "backward(", "zero_grad(", "summary(", "args()", "clock()", "min=", "max=", "sep=", "end=",
        "where(", "leaky_relu(", "detach(", "contiguous(", "clone(", "zeros_like(", "[]", "[[]]", "1e-320", "nan",
        "exp(", "log(", "sqrt(", "pow(", "maximum(", "x.sum(", "w.grad", "grad(", "allow_unused=", "grad_output=",
        "0.0", "-1", "2 ** 62", "10 ** 30", "\"\"", "x[..., 0]", "x[1:, :1]", "f(", "f(1, b=2)",
    ]

    func testRandomTokenSoupNeverTraps() {
        var rng = SplitMix(seed: 42)
        var outcomes = [Session.Status: Int]()
        // TENSH_FUZZ_ITERATIONS raises the count for a longer local run.
        let iterations = ProcessInfo.processInfo.environment["TENSH_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 3000
        for _ in 0..<iterations {
            let count = Int(rng.next() % 25) + 1
            let source = (0..<count).map { _ in Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))] }.joined(separator: " ")
            let session = Session(output: CapturedOutput(), mode: .repl)
            session.run(source: "x = [[1.0, 2.0], [3.0, 4.0]]\ny = 2\nw = param([1.0, 2.0])\ndef f(a, b=1) = a * b")
            let outcome = session.run(source: source)
            outcomes[outcome.status, default: 0] += 1
            for d in outcome.diagnostics {
                XCTAssertFalse(d.message.isEmpty, source)
                XCTAssertGreaterThanOrEqual(d.span.line, 1, source)
            }
        }
        // The generator must reach both the parser's and the evaluator's error paths.
        XCTAssertGreaterThan(outcomes[.syntaxError, default: 0], 100)
        XCTAssertGreaterThan(outcomes[.ok, default: 0] + outcomes[.runtimeError, default: 0], 50)
    }

    func testDeepStructuresDoNotOverflow() {
        let out = CapturedOutput()
        let s = Session(output: out)
        let outcome = s.run(source: "l = []\nfor i in range(99) { l = [l] }\nprint(len(l), l == l)\nt = tensor(l)")
        XCTAssertEqual(out.text, "1 true\n")
        XCTAssertTrue(outcome.diagnostics.first?.message.contains("nested more than 32 deep") ?? false, outcome.rendered)
        // Lists nest without limit: freeing a chain of 200,000 levels takes no stack.
        let deeper = s.run(source: "for i in range(200000) { l = [l] }\nm = [] + [l]\nprint(len(m), m == m)\nl = none\nm = none")
        XCTAssertEqual(deeper.status, .ok, deeper.rendered)
        XCTAssertEqual(out.text, "1 true\n1 true\n")
        let compared = s.run(source: "a = []\nb = []\nfor i in range(100) { a = [a]; b = [b] }\na == b")
        XCTAssertEqual(compared.diagnostics.first?.message, "comparison nested more than 64 levels deep")
        let printed = CapturedOutput()
        Session(output: printed).run(source: "l = []\nfor i in range(90) { l = [l] }\nprint(l)")
        XCTAssertTrue(printed.text.contains("[...]"))
    }

    func testExtremeNumbers() {
        let cases: [(String, String?, String?)] = [
            ("print(range(-9223372036854775807, 9223372036854775807, 4611686018427387904))", nil, "range values overflow an int"),
            ("print(range(0, 9223372036854775807, 4611686018427387904))", "[0, 4611686018427387904]\n", nil),
            ("print(item(tensor(9223372036854775807, dtype=\"i64\")))", "9223372036854775807\n", nil),
            ("print(-(-9223372036854775807))", "9223372036854775807\n", nil),
            ("x = -9223372036854775807 - 2", nil, "integer overflow in -"),
            ("x = zeros(2)[9223372036854775807]", nil, "out of bounds"),
            ("x = range(9223372036854775807)", nil, "too long"),
        ]
        for (source, output, error) in cases {
            let out = CapturedOutput()
            let outcome = Session(output: out).run(source: source)
            if let output { XCTAssertEqual(out.text, output, source) }
            if let error {
                XCTAssertTrue(outcome.diagnostics.first?.message.contains(error) ?? false, "\(source): \(outcome.rendered)")
            } else {
                XCTAssertEqual(outcome.diagnostics, [], source)
            }
        }
    }
}

/// A small deterministic generator (the same sequence on every machine).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RobustnessTests {
    /// Deep expressions inside deep recursion hit a bound, not the end of the stack.
    func testNestingTimesRecursionIsBounded() {
        let chain = String(repeating: "- ", count: 190) + "f(n - 1)"
        var blocks = "f(n - 1)"
        for _ in 0..<150 { blocks = "if true { \(blocks) }" }
        for body in [chain, blocks] {
            let outcome = Session(output: CapturedOutput()).run(source: "def f(n) {\n if n <= 0 { return 0 }\n \(body)\n}\nf(199)")
            XCTAssertEqual(outcome.status, .runtimeError)
            XCTAssertTrue(outcome.diagnostics.first?.message.contains("too deeply nested at run time") ?? false, outcome.rendered)
        }
        let out = CapturedOutput()
        Session(output: out).run(source: """
        def deep(n) {
            if n <= 0 { return 0 }
            for i in range(1) { if true { r = 1 + deep(n - 1) } }
            r
        }
        print(deep(190))
        """)
        XCTAssertEqual(out.text, "190\n", "ordinary recursion up to the call limit still works")
    }
}
