import XCTest
@testable import TenshRender

final class BufferTests: XCTestCase {
    func testSetStringIsClippedToTheRectAndBuffer() {
        var b = Buffer(width: 8, height: 2)
        let end = b.setString(x: 2, y: 0, "abcdefgh", clip: Rect(x: 0, y: 0, width: 6, height: 2))
        XCTAssertEqual(b.lines, ["  abcd  ", "        "])
        XCTAssertEqual(end, 6)
        b.setString(x: -2, y: 1, "xyz")
        XCTAssertEqual(b.lines[1], "z       ")
        b.setString(x: 0, y: 5, "ignored")  // outside: no trap, no change
        XCTAssertEqual(b.lines.count, 2)
    }

    func testBoxDrawingAndHalfBlocksAreOneColumnCJKTwo() {
        XCTAssertEqual(DisplayWidth.of("┌─┐│└┘▀▄█⠿"), 10)
        XCTAssertEqual(DisplayWidth.of("形状"), 4)
        var b = Buffer(width: 5, height: 1)
        b.setString(x: 0, y: 0, "a形b")
        XCTAssertEqual(b.lines, ["a形b "])
        XCTAssertTrue(b[2, 0]?.isContinuation ?? false)
        // A wide grapheme that would straddle the clip edge is dropped, not split.
        var c = Buffer(width: 3, height: 1)
        c.setString(x: 0, y: 0, "ab形")
        XCTAssertEqual(c.lines, ["ab "])
    }

    func testOverwritingHalfOfAWideGraphemeBlanksTheOtherHalf() {
        var b = Buffer(width: 4, height: 1)
        b.setString(x: 0, y: 0, "形形")
        b.set(x: 1, y: 0, Cell("x"))
        XCTAssertEqual(b.lines, [" x形"])
    }

    func testFillAndInitFromLines() {
        var b = Buffer(lines: ["ab", "cd"])
        b.fill(Rect(x: 1, y: 0, width: 5, height: 5), with: Cell("#"))
        XCTAssertEqual(b.lines, ["a#", "c#"])
        XCTAssertEqual(Buffer(lines: [" ▁▂▃", "x"]).lines, [" ▁▂▃", "x   "])
    }

    func testDiffReportsOnlyChangedRuns() {
        let before = Buffer(lines: ["hello", "world"])
        XCTAssertTrue(before.diff(from: before).isEmpty)
        var after = before
        after.setString(x: 1, y: 1, "OR")
        after.setStyle(x: 4, y: 0, Style(fg: .indexed(2)))
        let runs = after.diff(from: before)
        XCTAssertEqual(runs.map { [$0.x, $0.y, $0.cells.count] }, [[4, 0, 1], [1, 1, 2]])
        XCTAssertEqual(runs[1].cells.map(\.symbol), ["O", "R"])
    }

    func testDiffAfterResizeRepaintsEverything() {
        let small = Buffer(width: 3, height: 1), large = Buffer(lines: ["abcd", "efgh"])
        let runs = large.diff(from: small)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map(\.cells.count), [4, 4])
    }

    func testDiffCarriesWideGraphemeWithItsContinuation() {
        var a = Buffer(width: 4, height: 1)
        a.setString(x: 0, y: 0, "形")
        var b = a
        b.setString(x: 0, y: 0, "状")
        let runs = b.diff(from: a)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].cells.map(\.symbol), ["状", ""])
    }

    func testBlitCopiesAScrolledWindow() {
        let source = Buffer(lines: ["0123456", "abcdefg", "ABCDEFG"])
        var b = Buffer(width: 5, height: 2)
        b.blit(source, sourceX: 5, sourceY: 1, into: Rect(x: 1, y: 0, width: 4, height: 2))
        XCTAssertEqual(b.lines, [" fg  ", " FG  "])
    }

    func testRectSplitsNeverGoNegative() {
        let r = Rect(x: 0, y: 0, width: 10, height: 3)
        XCTAssertEqual(r.splitTop(5).rest.height, 0)
        XCTAssertEqual(r.inset(dx: 6, dy: 0).width, 0)
        XCTAssertTrue(r.intersection(Rect(x: 20, y: 0, width: 2, height: 2)).isEmpty)
    }
}
