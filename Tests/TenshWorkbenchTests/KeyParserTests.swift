import XCTest
@testable import TenshWorkbench

final class KeyParserTests: XCTestCase {
    func keys(_ text: String, flush: Bool = false) -> [Key] {
        var parser = KeyParser()
        var out = text.utf8.flatMap { parser.feed($0) }
        if flush { out += parser.flush() }
        return out
    }

    func testArrowsInBothCursorModes() {
        XCTAssertEqual(keys("\u{1b}[A\u{1b}[B\u{1b}[C\u{1b}[D"), [.up, .down, .right, .left])
        XCTAssertEqual(keys("\u{1b}OA\u{1b}OD"), [.up, .left])
    }

    func testFunctionAndPageKeys() {
        XCTAssertEqual(keys("\u{1b}OQ\u{1b}[12~"), [.f2, .f2])
        XCTAssertEqual(keys("\u{1b}[5~\u{1b}[6~\u{1b}[H\u{1b}[4~"), [.pageUp, .pageDown, .home, .end])
        XCTAssertEqual(keys("\u{1b}[1;5C"), [.right], "modifiers are ignored")
    }

    func testPlainKeysAndLoneEscape() {
        XCTAssertEqual(keys("qG\r\t"), [.character("q"), .character("G"), .enter, .tab])
        XCTAssertEqual(keys("\u{1b}"), [], "waits for the rest of a sequence")
        XCTAssertEqual(keys("\u{1b}", flush: true), [.escape])
        XCTAssertEqual(keys("\u{1b}q"), [.escape, .character("q")], "Alt+q")
        XCTAssertEqual(keys("\u{1b}[99~x"), [.character("x")], "unknown sequences are dropped")
    }
}
