import XCTest
@testable import TenshRender

/// The widgets of the views that look inside a network: histogram, table,
/// colour pictures, receptive-field dimming, filter grid, log colour scale,
/// graph boxes that wrap and carry a gradient colour.
final class InsightWidgetTests: XCTestCase {
    func testHistogramBarsAxesAndZeroTick() {
        var b = Buffer(width: 30, height: 8)
        let chart = HistogramChart(counts: [1, 4, 8, 4, 1], range: ValueRange(min: -1, max: 1.5))
        chart.draw(into: &b, area: b.area)
        Snapshot.assertMatches(b, named: "histogram_5_bins")
        let plot = chart.plotArea(in: b.area)
        XCTAssertEqual(b[plot.x + 10, plot.y]?.symbol, "█", "the peak bin reaches the top")
        XCTAssertEqual(b[plot.x + 10, plot.y]?.fg, HistogramChart.barColor)
        XCTAssertTrue(b.lines[6].contains("┴"), "zero is marked on the axis")
        XCTAssertTrue(b.lines[0].hasPrefix("8│"), "the largest count labels the axis")
    }

    func testHistogramSumsBinsIntoColumnsAndLogScaleLiftsSmallCounts() {
        let chart = HistogramChart(counts: [1, 2, 3, 4, 5, 6], range: ValueRange(min: 0, max: 6))
        XCTAssertEqual(chart.columnCounts(width: 3).map(\.count), [3, 7, 11])
        var linear = Buffer(width: 20, height: 20), log = Buffer(width: 20, height: 20)
        let counts = HistogramChart(counts: [1, 1000], range: ValueRange(min: 0, max: 1))
        var logCounts = counts
        logCounts.logScale = true
        counts.draw(into: &linear, area: linear.area)
        logCounts.draw(into: &log, area: log.area)
        let plot = counts.plotArea(in: linear.area)
        func cellsOfFirstBar(_ b: Buffer) -> Int { (plot.y..<plot.bottom).filter { b[plot.x, $0]?.symbol != " " }.count }
        XCTAssertEqual(cellsOfFirstBar(linear), 1, "1 of 1000 is one eighth of a cell")
        XCTAssertEqual(cellsOfFirstBar(log), 2, "log 2 / log 1001 of 18 rows")
    }

    func testTableDropsColumnsByOrderAndReversesTheSelection() {
        let table = TextTable(columns: [TableColumn("#"), TableColumn("name", alignRight: false), TableColumn("extra", dropOrder: 1)],
                              rows: [["0", "x", "1.5"], ["1", "weight", "22"]], selected: 1)
        XCTAssertEqual(table.lines(width: 40), ["#  name    extra", "0  x         1.5", "1  weight     22"])
        XCTAssertEqual(table.shownColumns(width: 10), [0, 1])
        let pair = TextTable(columns: [TableColumn("a"), TableColumn("min", dropOrder: 2), TableColumn("max", dropOrder: 2)],
                             rows: [["1", "2", "3"]])
        XCTAssertEqual(pair.shownColumns(width: 8), [0], "min and max go together")
        XCTAssertEqual(table.droppedColumns(width: 10), 1)
        var b = Buffer(width: 12, height: 3)
        table.draw(into: &b, area: b.area)
        XCTAssertEqual(b.lines, ["#  name     ", "0  x        ", "1  weight   "])
        XCTAssertTrue(b[0, 2]?.attributes.contains(.reverse) ?? false)
        XCTAssertFalse(b[0, 1]?.attributes.contains(.reverse) ?? true)
        XCTAssertEqual(TextTable.firstRow(revealing: 9, visible: 4, current: 0), 6)
        XCTAssertEqual(TextTable.firstRow(revealing: 2, visible: 4, current: 6), 2)
    }

    func testColorImageDrawsTrueColourAndGray() {
        let red = Matrix([[1, 0], [0.5, 2]]), green = Matrix([[0, 1], [0.5, -1]]), blue = Matrix([[0, 0], [0.5, .nan]])
        var b = Buffer(width: 2, height: 1)
        let placed = ColorImage(channels: [red, green, blue]).draw(into: &b, area: b.area)
        XCTAssertEqual(placed.pixelRows, 2)
        XCTAssertEqual(b[0, 0]?.fg, .rgb(255, 0, 0))
        XCTAssertEqual(b[1, 0]?.fg, .rgb(0, 255, 0))
        XCTAssertEqual(b[0, 0]?.bg, .rgb(128, 128, 128))
        XCTAssertEqual(b[1, 0]?.bg, ColorScale.nanColor, "NaN stays visible")
        var gray = Buffer(width: 1, height: 1)
        ColorImage(channels: [Matrix([[0.25], [1.5]])]).draw(into: &gray, area: gray.area)
        XCTAssertEqual(gray[0, 0]?.fg, .rgb(64, 64, 64))
        XCTAssertEqual(gray[0, 0]?.bg, .rgb(255, 255, 255), "clipped to 1")
    }

    func testPixelRegionDimsEverythingOutsideIt() {
        let m = Matrix(rows: 4, columns: 4, values: Array(repeating: 1, count: 16))
        var b = Buffer(width: 4, height: 2)
        let scale = ColorScale(colormap: .gray, range: ValueRange(min: 0, max: 1))
        let placement = Heatmap(m, scale: scale).draw(into: &b, area: b.area)
        PixelRegion(rows: -1..<2, columns: 1..<3).dimOutside(in: &b, placement: placement)
        XCTAssertEqual(b[1, 0]?.fg, .rgb(255, 255, 255), "row 0, column 1 is inside")
        XCTAssertEqual(b[1, 0]?.bg, .rgb(255, 255, 255), "row 1 too")
        XCTAssertEqual(b[0, 0]?.fg, .rgb(63, 63, 63), "column 0 is outside")
        XCTAssertEqual(b[1, 1]?.fg, .rgb(63, 63, 63), "row 2 is outside")
    }

    func testFilterGridLabelsRowsAndColumnsAndMagnifies() {
        let kernels = (0..<3).map { o in (0..<2).map { i in Matrix(rows: 3, columns: 3, values: (0..<9).map { Double($0 * (o + i)) }) } }
        let ranges = kernels.map { $0.map(\.range) }
        var grid = FilterGrid(kernels: kernels, ranges: ranges, colormap: .gray, color: false, selected: (1, 1))
        var b = Buffer(width: 20, height: 14)
        grid.draw(into: &b, area: b.area)
        Snapshot.assertMatches(b, named: "filter_grid_3x2")
        XCTAssertTrue(b.lines[0].contains("i0") && b.lines[0].contains("i1"))
        XCTAssertTrue(b.lines[1].hasPrefix("o0"))
        XCTAssertEqual(grid.tilesPerRow(in: b.area), 2)
        grid.selected = (2, 0)
        var small = Buffer(width: 20, height: 5)
        grid.draw(into: &small, area: small.area)
        XCTAssertTrue(small.lines.contains { $0.hasPrefix("o2") }, "the window follows the selection:\n\(small.lines.joined(separator: "\n"))")
    }

    func testFilterGridInColourDrawsOnePicturePerOutputChannel() {
        let rgb = [Matrix([[1]]), Matrix([[0]]), Matrix([[0]])]
        let grid = FilterGrid(kernels: [rgb, rgb], ranges: [[ValueRange(min: 0, max: 1)], [ValueRange(min: 0, max: 1)]],
                              colormap: .gray, color: true)
        var b = Buffer(width: 40, height: 20)
        grid.draw(into: &b, area: b.area)
        XCTAssertTrue(b.lines[0].contains("o0") && b.lines[0].contains("o1"))
        XCTAssertEqual(b[0, 1]?.fg, .rgb(255, 0, 0), "red where the first input channel is high")
    }

    func testLogScaleSpansTheDecadesOfItsValues() {
        let scale = LogScale(enclosing: [2e-5, 0.3, 40])
        XCTAssertEqual(scale.low, -5)
        XCTAssertEqual(scale.high, 2)
        XCTAssertEqual(scale.color(for: 1e-5), Colormap.viridis.color(at: 0))
        XCTAssertEqual(scale.color(for: 100), Colormap.viridis.color(at: 1))
        XCTAssertEqual(scale.color(for: .nan), ColorScale.nanColor)
        XCTAssertEqual(LogScale.decade(-5), "1e-05")
        var b = Buffer(width: 60, height: 1)
        scale.drawLegend(title: "|grad|", words: ("vanishing", "exploding"), into: &b, area: b.area)
        XCTAssertTrue(b.lines[0].hasPrefix("|grad| 1e-05 ▀"))
        XCTAssertTrue(b.lines[0].contains("1e+02  vanishing … exploding"))
    }

    func testGraphBoxesWrapAttributesAndTakeTheHighlightColour() {
        let attributes = ["kernel_size=[2, 2]", "stride=[1, 1]", "padding=[1, 1]", "ceil_mode=true", "dilation=[2, 2]"]
        let node = GraphNode(id: 0, title: "MaxPool2d", kind: .output, attributes: attributes, shape: "[1, 8, 4, 4]",
                             highlight: Color(hex: 0x123456))
        XCTAssertEqual(node.detailLines, ["kernel_size=[2, 2]", "stride=[1, 1] padding=[1, 1]",
                                          "ceil_mode=true dilation=[2, 2]", "[1, 8, 4, 4]"])
        let layout = GraphLayout(model: GraphModel(nodes: [node], edges: []))
        XCTAssertLessThanOrEqual(layout.width, 36, "the box fits an 80-column pane with room to spare")
        XCTAssertEqual(layout.render()[0, 0]?.fg, Color(hex: 0x123456))
        XCTAssertEqual(layout.render(selected: 0)[0, 0]?.fg, Color(hex: 0xffd75f), "the selection still wins")
    }
}
