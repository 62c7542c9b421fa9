import XCTest
import TenshText
@testable import TenshRender

final class ColorTests: XCTestCase {
    func testViridisEndpointsAreMatplotlibs() {
        XCTAssertEqual(Colormap.viridis.color(at: 0), Color(hex: 0x440154))
        XCTAssertEqual(Colormap.viridis.color(at: 1), Color(hex: 0xfde725))
        // Entry 128 of matplotlib's table is (0.127568, 0.566949, 0.550556) → #21918c.
        XCTAssertEqual(Colormap.viridis.color(at: 128.0 / 255), Color(hex: 0x21918c))
        // Entry 200 is (0.440137, 0.811138, 0.340967) → (112, 207, 87): interpolation stays within 2/255.
        let mid = Colormap.viridis.rgb(at: 200.0 / 255)
        XCTAssertLessThanOrEqual(abs(Int(mid.r) - 112), 2)
        XCTAssertLessThanOrEqual(abs(Int(mid.g) - 207), 2)
        XCTAssertLessThanOrEqual(abs(Int(mid.b) - 87), 2)
    }

    func testViridisLuminanceIncreasesMonotonically() {
        var previous = -1.0
        for i in 0...64 {
            let l = Colormap.viridis.color(at: Double(i) / 64).luminance ?? -1
            XCTAssertGreaterThan(l, previous, "at \(i)")
            previous = l
        }
    }

    func testGrayAndDivergingMaps() {
        XCTAssertEqual(Colormap.gray.color(at: 0), Color(hex: 0x000000))
        XCTAssertEqual(Colormap.gray.color(at: 1), Color(hex: 0xffffff))
        XCTAssertEqual(Colormap.gray.color(at: 0.5), Color(hex: 0x808080))
        XCTAssertEqual(Colormap.diverging.color(at: 0.5), Color(hex: 0xffffff))
        let low = Colormap.diverging.rgb(at: 0), high = Colormap.diverging.rgb(at: 1)
        XCTAssertGreaterThan(low.b, low.r, "negative end is blue")
        XCTAssertGreaterThan(high.r, high.b, "positive end is red")
        XCTAssertEqual(Colormap.viridis.next, .gray)
        XCTAssertEqual(Colormap.diverging.next, .viridis)
    }

    func testDivergingScaleIsCentredOnZero() {
        let scale = ColorScale(colormap: .diverging, range: ValueRange(min: -1, max: 4))
        XCTAssertEqual(scale.color(for: 0), Color(hex: 0xffffff))
        XCTAssertEqual(scale.displayedRange, ValueRange(min: -4, max: 4))
        XCTAssertEqual(scale.position(of: 4), 1)
        XCTAssertEqual(scale.position(of: -4), 0)
    }

    func testNonFiniteValuesGetDistinctColours() {
        let scale = ColorScale(colormap: .viridis, range: ValueRange(min: 0, max: 1))
        let special = [scale.color(for: .nan), scale.color(for: .infinity), scale.color(for: -.infinity)]
        XCTAssertEqual(Set(special).count, 3)
        for i in 0...255 { XCTAssertFalse(special.contains(Colormap.viridis.color(at: Double(i) / 255))) }
        // A flat range maps to the middle instead of dividing by zero.
        XCTAssertEqual(ColorScale(colormap: .gray, range: ValueRange(min: 2, max: 2)).position(of: 2), 0.5)
    }

    func testValueRangeIgnoresNonFiniteValues() {
        XCTAssertEqual(ValueRange(of: [3, .nan, -1, .infinity, 2]), ValueRange(min: -1, max: 3))
        XCTAssertEqual(ValueRange(of: [Double.nan]), ValueRange(min: 0, max: 0))
        XCTAssertEqual(ValueRange.union([ValueRange(min: 0, max: 1), ValueRange(min: -2, max: 0.5)]),
                       ValueRange(min: -2, max: 1))
    }

    func testNearestXterm256Index() {
        XCTAssertEqual(XtermPalette.nearestIndex(r: 255, g: 0, b: 0), 196)
        XCTAssertEqual(XtermPalette.nearestIndex(r: 128, g: 128, b: 128), 244)
        XCTAssertEqual(XtermPalette.nearestIndex(r: 0, g: 0, b: 0), 16)
        XCTAssertEqual(XtermPalette.nearestIndex(r: 0x44, g: 0x01, b: 0x54), 53)  // (95, 0, 95)
        XCTAssertEqual(XtermPalette.rgb(of: 231).r, 255)
        XCTAssertEqual(Color.indexed(196).hexString, "#ff0000")
    }

    func testNumberLabels() {
        XCTAssertEqual(NumberText.short(0.25), "0.25")
        XCTAssertEqual(NumberText.short(-1.5), "-1.5")
        XCTAssertEqual(NumberText.short(123456), "1.235e+05")
        XCTAssertEqual(NumberText.short(-0.0), "0")
        XCTAssertEqual(NumberText.short(.nan), "nan")
        XCTAssertEqual(NumberText.short(-.infinity), "-inf")
    }
}
