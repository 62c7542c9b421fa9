import XCTest
import TenshText
@testable import TenshRender

final class FeatureMapViewTests: XCTestCase {
    let channels = (0..<3).map { Sample.bump(rows: 8, columns: 8, phase: Double($0)) }

    func testGridWithColourBar() {
        var b = Buffer(width: 40, height: 7)
        let geometry = FeatureMapView(content: .channels(channels), selectedChannel: 1).draw(into: &b, area: b.area)
        XCTAssertEqual(geometry.tiles.map(\.channel), [0, 1, 2])
        Snapshot.assertMatches(b, named: "feature_map_grid")
        XCTAssertTrue(b.lines[6].hasPrefix(NumberText.short(channels[1].range.min) + " "), "per-channel bar shows the selection's range")
    }

    func testZoomedChannelWithCursor() {
        var b = Buffer(width: 30, height: 10)
        let view = FeatureMapView(content: .channels(channels), selectedChannel: 2, zoomed: true,
                                  cursor: PixelCursor(row: 0, column: 0))
        let geometry = view.draw(into: &b, area: b.area)
        XCTAssertTrue(geometry.tiles.isEmpty)
        let image = geometry.image
        XCTAssertNotNil(image)
        XCTAssertEqual(image?.pixelRows, 16, "8×8 magnified ×2 in 8 rows")
        XCTAssertEqual(b.lines[0].prefix(2), "c2")
        // The cursor covers source (0, 0) = pixels (0…1, 0…1) = top halves and bottom halves of cells (0…1, 1).
        let scale = ColorScale(colormap: .viridis, range: channels[2].range)
        XCTAssertNotEqual(b[0, 1]?.fg, scale.color(for: channels[2][0, 0]))
        XCTAssertEqual(b[2, 1]?.fg, scale.color(for: channels[2][0, 1]))
    }

    func testGlobalNormalisationColourBar() {
        let view = FeatureMapView(content: .channels([Matrix([[0, 1]]), Matrix([[5, 9]])]), globalNormalisation: true)
        XCTAssertEqual(view.colorBarRange, ValueRange(min: 0, max: 9))
    }

    func testPlainBufferIsTrimmedAboveTheColourBar() {
        let b = FeatureMapView(content: .image(Sample.ramp(rows: 4, columns: 6)), colormap: .gray).plainBuffer(width: 20, maxHeight: 30)
        Snapshot.assertMatches(AnsiEncoder(mode: .none).encode(b), named: "feature_map_plain_image")
        XCTAssertEqual(b.height, 7, "4×6 magnified ×3: 12 pixel rows = 6 cell rows, then the bar")
        XCTAssertTrue(b.lines[6].hasPrefix("0 "))
        XCTAssertTrue(b.lines[6].hasSuffix(" 23"))
    }

    func testVectorAsBars() {
        var b = Buffer(width: 12, height: 3)
        FeatureMapView(content: .vector([1, 2, 3, 4])).draw(into: &b, area: b.area)
        // Bars grow from zero: 0…4 over 16 eighths gives 4, 8, 12 and 16 eighths; a
        // few values get wider bars (two columns and a gap each here).
        XCTAssertEqual(b.lines[0], "      ▄▄ ██ ")
        XCTAssertEqual(b.lines[1], "▄▄ ██ ██ ██ ")
        XCTAssertTrue(b.lines[2].hasPrefix("min 1  max 4"), b.lines[2])
    }
}
