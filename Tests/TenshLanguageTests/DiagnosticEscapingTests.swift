@testable import TenshLanguage
import XCTest

/// Diagnostics reach a terminal: the file name, the message and the echoed
/// source line escape every character the terminal would act on, the caret
/// stays under the escaped text, and lines are found whatever ends them.
final class DiagnosticEscapingTests: XCTestCase {
    func render(_ source: String, file: String = "f.tsh") -> String {
        Session(output: CapturedOutput()).run(source: source, file: file).rendered
    }

    func testSourceLinesOfCRLFAndCROnlyFilesAreShownWithTheirCaret() {
        let expected = "f.tsh:2:12: error: sum has no keyword argument 'dimm'; did you mean 'dim'?\n"
            + "  y = sum(x, dimm=1)\n"
            + "             ^~~~\n"
        XCTAssertEqual(render("x = ones(2)\r\ny = sum(x, dimm=1)\r\n"), expected)
        XCTAssertEqual(render("x = ones(2)\ry = sum(x, dimm=1)\r"), expected)
        XCTAssertEqual(render("x = ones(2)\ny = sum(x, dimm=1)\n"), expected)
    }

    func testAContinuedLineCountsAsTwoLines() {
        XCTAssertEqual(render("x = 1 + \\\r\n  nothing_here"), "f.tsh:2:3: error: undefined name 'nothing_here'\n    nothing_here\n    ^~~~~~~~~~~~\n")
    }

    func testANulInTheLineIsEscapedAndDoesNotCutTheLineShort() {
        let text = render("x = 1 \u{0} 2 + nothing_here")
        XCTAssertEqual(text, "f.tsh:1:7: error: unexpected character U+0000\n  x = 1 \\x00 2 + nothing_here\n        ^~~~\n")
        XCTAssertFalse(text.unicodeScalars.contains("\u{0}"))
    }

    func testControlAndBidiCharactersInTheLineAreEscapedAndTheCaretFollows() {
        let text = render("s = \"\u{1b}[2J\u{202e}\" + nothing_here")
        XCTAssertEqual(text, """
        f.tsh:1:15: error: undefined name 'nothing_here'
          s = "\\x1b[2J\\u202e" + nothing_here
                                ^~~~~~~~~~~~

        """)
    }

    func testTabsStayTabsInTheLineAndThePadding() {
        XCTAssertEqual(render("\tx = \u{7}nope"), "f.tsh:1:6: error: unexpected character U+0007\n  \tx = \\x07nope\n  \t    ^~~~\n")
    }

    func testAByteOrderMarkIsNotPartOfTheFirstLine() {
        XCTAssertEqual(render("\u{FEFF}x = nothing_here"), "f.tsh:1:5: error: undefined name 'nothing_here'\n  x = nothing_here\n      ^~~~~~~~~~~~\n")
    }

    func testTheFileNameAndTheMessageAreEscaped() {
        let file = "\u{1b}]0;pwned\u{07}\u{1b}[2J.tsh"
        let text = render("help(\"\u{1b}[31m\u{9b}\")", file: file)
        XCTAssertTrue(text.hasPrefix("\\x1b]0;pwned\\x07\\x1b[2J.tsh:1:6: error: help: no builtin named '\\x1b[31m\\x9b'\n"), text)
        let d = Diagnostic("bad \u{1b}[2J \u{2066}text\nnext", SourceSpan(line: 1, column: 1, length: 1, offset: 0))
        XCTAssertEqual(DiagnosticRenderer().render(d, source: "x", file: "f"), "f:1:1: error: bad \\x1b[2J \\u2066text\\nnext\n  x\n  ^\n")
    }

    func testPathsInFileErrorsAreEscaped() {
        let text = render("x = load(\"/nonexistent/\u{1b}]0;pwned\u{07}.npy\")")
        XCTAssertTrue(text.contains("/nonexistent/\\x1b]0;pwned\\x07.npy"), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, text)
    }

    func testEverythingWrittenIsFreeOfTerminalControls() {
        let hostile = "\u{1b}]0;t\u{07}\u{1b}[2J\u{202e}\u{85}\u{0}"
        let text = render("x = \"\(hostile)\"\ny = \(hostile)", file: hostile)
        for scalar in text.unicodeScalars where scalar != "\n" {
            XCTAssertTrue(scalar.value >= 0x20 && scalar.value != 0x7f && !(0x80...0x9f).contains(scalar.value)
                          && !(0x2066...0x2069).contains(scalar.value) && !(0x202a...0x202e).contains(scalar.value),
                          "U+\(String(scalar.value, radix: 16)) reached the terminal in \(text.debugDescription)")
        }
    }
}
