@testable import TenshLanguage
import XCTest

/// Table-driven: each source's first diagnostic — message, line and column.
final class DiagnosticTests: XCTestCase {
    static let cases: [(source: String, line: Int, column: Int, message: String)] = [
        ("x = strid", 1, 5, "undefined name 'strid'"),
        ("stride = 1\nx = strid", 2, 5, "did you mean 'stride'?"),
        ("sum(ones(2), dimm=0)", 1, 14, "sum has no keyword argument 'dimm'; did you mean 'dim'?"),
        ("relu()", 1, 1, "relu is missing the argument 'x'"),
        ("relu(1, 2)", 1, 9, "relu takes 1 positional argument but 2 were given"),
        ("clamp(ones(2), min=\"a\")", 1, 16, "clamp: argument 'min' must be a number, got string"),
        ("zeros(2, dtype=\"f16\")", 1, 10, "unknown dtype \"f16\""),
        ("sum(zeros(2, 3), dim=2)", 1, 18, "sum: dimension 2 is out of range"),
        ("reshape(zeros(6), 4, 2)", 1, 19, "reshape: shape [4, 2] is invalid for input of size 6"),
        ("x = zeros(2)\ny = x[3]", 2, 5, "index 3 is out of bounds for dimension 0 with size 2"),
        ("ones(2) + ones(3)", 1, 1, "cannot be broadcast"),
        ("f(1", 1, 2, "'(' was never closed"),
        ("x = [1, 2", 1, 5, "'[' was never closed"),
        ("x = )", 1, 5, "expected an expression, found ')'"),
        ("x = 'abc", 1, 5, "unterminated string"),
        ("x = 1 ? 2", 1, 7, "unexpected character '?'"),
        ("x = ones(2)\nx.shap", 2, 3, "no attribute 'shap'; did you mean 'shape'?"),
        ("1 + \"a\"", 1, 1, "unsupported operand types for +: int and string"),
        ("def f(x) = x\nf(1, 2)", 2, 6, "f takes 1 argument but 2 were given"),
        ("help(\"zerso\")", 1, 6, "did you mean 'zeros'?"),
        ("if [1, 2] { }", 1, 4, "ambiguous"),
        ("for x in 3 { }", 1, 10, "cannot iterate over an int"),
        ("x += 1", 1, 1, "undefined name 'x'"),
        ("len(1)", 1, 5, "len() of an int"),
    ]

    func testTable() {
        for c in Self.cases {
            let session = Session(output: CapturedOutput())
            let outcome = session.run(source: c.source, file: "t.tsh")
            guard let d = outcome.diagnostics.first else {
                XCTFail("no diagnostic for \(c.source)")
                continue
            }
            XCTAssertEqual("\(d.span.line):\(d.span.column)", "\(c.line):\(c.column)", "\(c.source): \(d.message)")
            XCTAssertTrue(d.message.contains(c.message), "\(c.source): '\(d.message)' lacks '\(c.message)'")
        }
    }

    func testRendering() {
        let source = "x = ones(2)\ny = sum(x, dimm=1)\n"
        let outcome = Session(output: CapturedOutput()).run(source: source, file: "train.tsh")
        XCTAssertEqual(outcome.rendered, """
        train.tsh:2:12: error: sum has no keyword argument 'dimm'; did you mean 'dim'?
          y = sum(x, dimm=1)
                     ^~~~

        """)
    }

    func testRenderingUnderlinesTheWholeArgumentAndKeepsTabs() {
        let d = Diagnostic("bad", SourceSpan(line: 1, column: 3, length: 4, offset: 2))
        let text = DiagnosticRenderer().render(d, source: "\tx(abcd)", file: "f")
        XCTAssertEqual(text, "f:1:3: error: bad\n  \tx(abcd)\n  \t ^~~~\n")
        let colored = DiagnosticRenderer(color: true).render(d, source: "\tx(abcd)", file: "f")
        XCTAssertTrue(colored.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    func testSpanClippedAtLineEnd() {
        let d = Diagnostic("bad", SourceSpan(line: 1, column: 2, length: 50, offset: 1))
        XCTAssertEqual(DiagnosticRenderer().render(d, source: "abc\ndef", file: "f"), "f:1:2: error: bad\n  abc\n   ^~\n")
    }

    func testSuggestions() {
        XCTAssertEqual(Suggestions.nearest(to: "strid", in: ["stride", "padding"]), "stride")
        XCTAssertEqual(Suggestions.nearest(to: "xyz", in: ["stride", "padding"]), nil)
        XCTAssertEqual(Suggestions.distance("kitten", "sitting"), 3)
    }
}
