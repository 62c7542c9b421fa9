import XCTest
import TenshText

final class TextTests: XCTestCase {
    func testShapeText() {
        XCTAssertEqual(shapeText([2, 3, 4]), "[2, 3, 4]")
        XCTAssertEqual(shapeText([]), "[]")
    }

    func testNumberText() {
        XCTAssertEqual(NumberText.short(12345.6), "1.235e+04")
        XCTAssertEqual(NumberText.precise(1.0 / 3), "0.333333")
        XCTAssertEqual(NumberText.precise(-.infinity), "-inf")
    }

    /// Expected strings are what Python 3's repr() prints for the same text.
    func testPythonRepr() {
        XCTAssertEqual(Escaping.pythonRepr("lr"), "'lr'")
        XCTAssertEqual(Escaping.pythonRepr("it's"), "\"it's\"")
        XCTAssertEqual(Escaping.pythonRepr("a\"b'c"), "'a\"b\\'c'")
        XCTAssertEqual(Escaping.pythonRepr("\u{1b}]0;pwned\u{07}"), "'\\x1b]0;pwned\\x07'")
        XCTAssertEqual(Escaping.pythonRepr("x\u{202e}y"), "'x\\u202ey'")
        XCTAssertEqual(Escaping.pythonRepr("\u{85}\u{a0}é\t\\"), "'\\x85\\xa0é\\t\\\\'")
        XCTAssertEqual(Escaping.pythonRepr("\u{e0001}"), "'\\U000e0001'")
    }

    func testPrintableKeepsTextAndEscapesControls() {
        XCTAssertEqual(Escaping.printable("a \\ 'b' é"), "a \\ 'b' é")
        XCTAssertEqual(Escaping.printable("\u{1b}[2Jx.tsh"), "\\x1b[2Jx.tsh")
        XCTAssertEqual(Escaping.printable("\u{2066}"), "\\u2066")
        XCTAssertEqual(Escaping.printable("a\nb\r\tc\u{0}"), "a\\nb\\r\\tc\\x00", "the same escapes as repr")
    }
}
