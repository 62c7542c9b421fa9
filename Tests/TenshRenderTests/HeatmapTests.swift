import XCTest
@testable import TenshRender

final class HeatmapTests: XCTestCase {
    let viridis01 = ColorScale(colormap: .viridis, range: ValueRange(min: 0, max: 15))

    func testHalfBlockPixelsCarryUpperAndLowerColours() {
        var b = Buffer(width: 10, height: 4)
        let place = Heatmap(Sample.ramp(rows: 4, columns: 4), scale: viridis01).draw(into: &b, area: b.area)
        // 4×4 fits 8 pixel rows × 10 columns: magnified ×2 to 8×8 pixels in 8×4 cells.
        XCTAssertEqual(place.cells, Rect(x: 0, y: 0, width: 8, height: 4))
        Snapshot.assertMatches(b, named: "heatmap_ramp_4x4")
        XCTAssertEqual(b[0, 0]?.symbol, "▀")
        XCTAssertEqual(b[0, 0]?.fg, Color(hex: 0x440154), "upper pixel: value 0")
        XCTAssertEqual(b[0, 0]?.bg, Color(hex: 0x440154), "lower pixel: still source row 0")
        XCTAssertEqual(b[7, 3]?.bg, Color(hex: 0xfde725), "bottom-right: value 15")
        XCTAssertEqual(b[2, 1]?.fg, viridis01.color(for: 5), "pixel row 2, column 2 → source (1, 1)")
        XCTAssertEqual(b[8, 0]?.symbol, " ", "nothing drawn right of the fitted image")
    }

    func testOddPixelRowsLeaveTheLastLowerHalfEmpty() {
        var b = Buffer(width: 3, height: 2)
        Heatmap(Matrix([[0, 1, 2], [3, 4, 5], [6, 7, 8]]), scale: ColorScale(colormap: .gray, range: ValueRange(min: 0, max: 8)))
            .draw(into: &b, area: b.area)
        XCTAssertEqual(b[1, 1]?.fg, Colormap.gray.color(at: 7.0 / 8))
        XCTAssertEqual(b[1, 1]?.bg, .default)
    }

    func testLargeMatrixIsDownsampledByAreaAverage() {
        var b = Buffer(width: 4, height: 1)
        let m = Matrix(rows: 2, columns: 8, values: [0, 0, 8, 8, 0, 0, 8, 8, 0, 0, 8, 8, 0, 0, 8, 8])
        let place = Heatmap(m, scale: ColorScale(colormap: .gray, range: ValueRange(min: 0, max: 8))).draw(into: &b, area: b.area)
        XCTAssertEqual(place.pixelColumns, 4)
        XCTAssertEqual(place.pixelRows, 1)
        XCTAssertEqual(b[0, 0]?.fg, Color(hex: 0x000000))
        XCTAssertEqual(b[1, 0]?.fg, Color(hex: 0xffffff))
    }

    func testNaNAndInfinityPixelsAreDistinct() {
        var b = Buffer(width: 3, height: 1)
        Heatmap(Matrix([[.nan, .infinity, -.infinity]]), scale: viridis01).draw(into: &b, area: b.area)
        XCTAssertEqual(b[0, 0]?.fg, ColorScale.nanColor)
        XCTAssertEqual(b[1, 0]?.fg, ColorScale.positiveInfinityColor)
        XCTAssertEqual(b[2, 0]?.fg, ColorScale.negativeInfinityColor)
    }

    func testBumpDownsampledSnapshot() {
        var b = Buffer(width: 24, height: 8)
        let m = Sample.bump(rows: 40, columns: 60)
        Heatmap(m, scale: ColorScale(colormap: .viridis, range: m.range)).draw(into: &b, area: b.area)
        Snapshot.assertMatches(AnsiEncoder(mode: .none).encode(b), named: "heatmap_bump_ramp")
    }

    func testPixelCursorMarksEveryHalfCellOfAMagnifiedPixel() {
        var b = Buffer(width: 8, height: 4)
        let heatmap = Heatmap(Sample.ramp(rows: 4, columns: 4), scale: viridis01)
        let place = heatmap.draw(into: &b, area: b.area)
        let before = b
        PixelCursor(row: 1, column: 2).draw(into: &b, placement: place)
        // Source (1, 2) → pixel rows 2…3 (cell row 1, both halves), pixel columns 4…5.
        let changed = b.diff(from: before)
        XCTAssertEqual(changed.map { [$0.x, $0.y, $0.cells.count] }, [[4, 1, 2]])
        XCTAssertEqual(b[4, 1]?.fg, Color(hex: 0xffffff), "dark viridis → white cursor")
        XCTAssertEqual(b[5, 1]?.bg, Color(hex: 0xffffff))
        PixelCursor(row: 9, column: 0).draw(into: &b, placement: place)  // outside: ignored
    }

    func testColorBarShowsMinMaxAndGradient() {
        var b = Buffer(width: 20, height: 1)
        ColorBar(scale: ColorScale(colormap: .viridis, range: ValueRange(min: -0.5, max: 2))).draw(into: &b, area: b.area)
        Snapshot.assertMatches(b, named: "colorbar_viridis")
        XCTAssertEqual(b[5, 0]?.fg, Color(hex: 0x440154))
        XCTAssertEqual(b[17, 0]?.fg, Color(hex: 0xfde725))
        XCTAssertEqual(b.lines[0].prefix(5), "-0.5 ")
        XCTAssertEqual(b.lines[0].suffix(2), " 2")
        var d = Buffer(width: 20, height: 1)
        ColorBar(scale: ColorScale(colormap: .diverging, range: ValueRange(min: -0.5, max: 2))).draw(into: &d, area: d.area)
        XCTAssertTrue(d.lines[0].hasPrefix("-2 "), "diverging bar is symmetric: \(d.lines[0])")
        XCTAssertTrue(d.lines[0].hasSuffix(" 2"))
    }
}
