import XCTest
@testable import TenshRender

final class WidgetTests: XCTestCase {
    func testBarChartInEighths() {
        var b = Buffer(width: 9, height: 2)
        BarChart(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map { Double($0) }.dropLast().map { $0 }, range: ValueRange(min: 0, max: 8))
            .draw(into: &b, area: b.area)
        Snapshot.assertMatches(b, named: "bars_0_to_8")
    }

    func testSparklineDownsamplesAndMarksNonFinite() {
        var b = Buffer(width: 6, height: 1)
        BarChart(values: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, .nan, 0]).draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, [" ▂▄▆█?"], "a zero is no bar at all")
        XCTAssertEqual(b[4, 0]?.fg, BarChart.positiveColor)
    }

    /// A bias gradient of [0.19, -0.10, -0.20, 0.48]: two bars up, two hanging down,
    /// from one zero line, coloured by sign.
    func testBarsGrowFromZeroBothWays() {
        var b = Buffer(width: 4, height: 4)
        let chart = BarChart(values: [0.19, -0.10, -0.20, 0.48])
        chart.draw(into: &b, area: b.area)
        XCTAssertEqual(chart.rowsAboveZero(height: 4), 3, "0.48 of 0.68 above the line")
        XCTAssertEqual(b.lines, ["   █", "▂  █", "█  █", " ▄█ "])
        XCTAssertEqual(b[0, 2]?.fg, BarChart.positiveColor)
        for x in [1, 2] {
            XCTAssertTrue((0..<3).allSatisfy { b[x, $0]?.symbol == " " }, "nothing above zero for a negative value")
            XCTAssertEqual(b[x, 3]?.fg, BarChart.negativeColor)
        }
        XCTAssertEqual(b[1, 3]?.attributes, [.reverse], "-0.10 fills the top half of the cell below the line")
        XCTAssertEqual(b[2, 3]?.attributes, [], "-0.20 fills the whole cell")
        let plain = AnsiEncoder(mode: .none).encode(b)
        XCTAssertEqual(plain.last, " ▀█", "without escapes a hanging half is an upper half block")
    }

    func testBarsOfOnlyNegativeValuesHangFromTheTop() {
        var b = Buffer(width: 2, height: 2)
        BarChart(values: [-1, -0.5]).draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, ["██", "█ "])
    }

    func testStatusLineFillsTheRowReversed() {
        var b = Buffer(width: 30, height: 1)
        StatusLine(left: "x[0, 2, 3, 4] = 0.5", right: "q back").draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, [" x[0, 2, 3, 4] = 0.5   q back "])
        XCTAssertTrue((0..<30).allSatisfy { b[$0, 0]?.attributes == [.reverse] })
        var narrow = Buffer(width: 16, height: 1)
        StatusLine(left: "x[0, 2, 3, 4] = 0.5", right: "q back").draw(into: &narrow, area: narrow.area)
        XCTAssertEqual(narrow.lines, [" x[0, 2, 3, 4] ="], "the hint yields, the value is clipped")
    }

    func testBlockFramesWithTitle() {
        var b = Buffer(width: 12, height: 3)
        let inner = Block(title: "graph").draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, ["┌─ graph ──┐", "│          │", "└──────────┘"])
        XCTAssertEqual(inner, Rect(x: 1, y: 1, width: 10, height: 1))
    }

    func testTextPaneWrapsAndKeepsTheLastLinesVisible() {
        let pane = TextPane(lines: [TextPane.Line("tensh> x = randn(2, 3)"), TextPane.Line("ok"),
                                    TextPane.Line("tensh> 1/0", style: Style(attributes: [.bold])), TextPane.Line("inf")])
        var b = Buffer(width: 12, height: 3)
        pane.draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, ["ok          ", "tensh> 1/0  ", "inf         "])
        XCTAssertEqual(b[0, 1]?.attributes, [.bold])
        var scrolled = Buffer(width: 12, height: 3)
        TextPane(lines: pane.lines, scrollBack: 2).draw(into: &scrolled, area: scrolled.area)
        XCTAssertEqual(scrolled.lines, ["tensh> x = r", "andn(2, 3)  ", "ok          "])
        XCTAssertEqual(pane.maxScrollBack(in: b.area), 2)
        var clamped = Buffer(width: 12, height: 3)
        TextPane(lines: pane.lines, scrollBack: 99).draw(into: &clamped, area: clamped.area)
        XCTAssertEqual(clamped, scrolled)
    }

    func testWrapHandlesNewlinesTabsAndWideCharacters() {
        XCTAssertEqual(TextPane.wrap("ab\ncdef", width: 3), ["ab", "cde", "f"])
        XCTAssertEqual(TextPane.wrap("a\tb", width: 10), ["a    b"])
        XCTAssertEqual(TextPane.wrap("形状形", width: 5), ["形状", "形"])
        XCTAssertEqual(TextPane.wrap("", width: 4), [""])
        XCTAssertEqual(TextPane.wrap("abc", width: 0), [])
    }

    func testLinePlotWithTwoSeries() {
        let train = (0..<30).map { 2.0 * exp(-Double($0) / 8) }
        let val = (0..<30).map { 2.2 * exp(-Double($0) / 10) + 0.1 }
        let plot = LinePlot(series: [PlotSeries("train", values: train), PlotSeries("val", values: val)])
        var b = Buffer(width: 40, height: 10)
        plot.draw(into: &b, area: b.area)
        Snapshot.assertMatches(b, named: "lineplot_two_series")
        XCTAssertEqual(plot.color(ofSeries: 0), Color(hex: 0x1f77b4))
        XCTAssertNotEqual(plot.color(ofSeries: 0), plot.color(ofSeries: 1))
        let colours = Set(b.cells.filter { ($0.symbol.unicodeScalars.first?.value ?? 0) >= 0x2800 }.map(\.fg))
        XCTAssertEqual(colours, [plot.color(ofSeries: 0), plot.color(ofSeries: 1)])
        XCTAssertTrue(b.lines[0].hasPrefix("   2.3│"), "max label on top: \(b.lines[0])")
        XCTAssertTrue(b.lines[7].hasPrefix("0.0533│"), "min label at the bottom of the plot: \(b.lines[7])")
        XCTAssertTrue(b.lines[9].hasSuffix("29"))
    }

    func testBrailleDotsFollowTheUnicodeLayout() {
        var canvas = BrailleCanvas(width: 1, height: 1)
        canvas.setDot(0, 0, color: .default)
        canvas.setDot(1, 3, color: .default)
        var b = Buffer(width: 1, height: 1)
        canvas.draw(into: &b, at: b.area)
        XCTAssertEqual(b.lines, ["\u{2881}"])  // dots 1 and 8
    }
}
