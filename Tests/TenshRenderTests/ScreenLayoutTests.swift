import XCTest
@testable import TenshRender

final class ScreenLayoutTests: XCTestCase {
    func testStandardTerminalPutsThePaneOnTop() throws {
        let layout = try XCTUnwrap(ScreenLayout.compute(width: 80, height: 24))
        XCTAssertEqual(layout.panePosition, .top)
        XCTAssertEqual(layout.pane, Rect(x: 0, y: 0, width: 80, height: 13))
        XCTAssertEqual(layout.transcript, Rect(x: 0, y: 13, width: 80, height: 9))
        XCTAssertEqual(layout.input, Rect(x: 0, y: 22, width: 80, height: 1))
        XCTAssertEqual(layout.status, Rect(x: 0, y: 23, width: 80, height: 1))
    }

    func testWideTerminalPutsThePaneOnTheRight() throws {
        let layout = try XCTUnwrap(ScreenLayout.compute(width: 200, height: 50))
        XCTAssertEqual(layout.panePosition, .right)
        XCTAssertEqual(layout.pane, Rect(x: 90, y: 0, width: 110, height: 49))
        XCTAssertEqual(layout.transcript, Rect(x: 0, y: 0, width: 90, height: 48))
        XCTAssertEqual(layout.input, Rect(x: 0, y: 48, width: 90, height: 1))
        XCTAssertEqual(try XCTUnwrap(ScreenLayout.compute(width: 159, height: 50)).panePosition, .top)
        XCTAssertEqual(try XCTUnwrap(ScreenLayout.compute(width: 160, height: 50)).transcript.width, 80)
    }

    func testTooSmallTerminalsFallBack() {
        XCTAssertNil(ScreenLayout.compute(width: 79, height: 40))
        XCTAssertNil(ScreenLayout.compute(width: 120, height: 23))
        XCTAssertNil(ScreenLayout.compute(width: -5, height: -5))
    }

    func testPaneOffGivesTheTranscriptEverything() throws {
        let layout = try XCTUnwrap(ScreenLayout.compute(width: 100, height: 30, paneVisible: false))
        XCTAssertNil(layout.pane)
        XCTAssertEqual(layout.transcript, Rect(x: 0, y: 0, width: 100, height: 28))
    }

    func testRegionsTileTheScreenExactlyForManySizes() throws {
        for (w, h) in [(80, 24), (81, 25), (120, 40), (159, 60), (160, 24), (250, 70)] {
            for visible in [true, false] {
                let layout = try XCTUnwrap(ScreenLayout.compute(width: w, height: h, paneVisible: visible))
                var covered = Array(repeating: 0, count: w * h)
                for r in [layout.pane, layout.transcript, layout.input, layout.status].compactMap({ $0 }) {
                    for y in r.y..<r.bottom { for x in r.x..<r.right { covered[y * w + x] += 1 } }
                }
                XCTAssertTrue(covered.allSatisfy { $0 == 1 }, "\(w)x\(h) pane \(visible)")
                XCTAssertEqual(ScreenLayout.compute(width: w, height: h, paneVisible: visible), layout, "deterministic")
            }
        }
    }
}
