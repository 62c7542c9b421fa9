import XCTest
import TenshEngine
import TenshRender
@testable import TenshWorkbench

/// Whole screens at 80x24 (pane on top) and 160x48 (pane at the right):
/// text lines against snapshot files, colours of chosen cells asserted directly.
final class ScreenSnapshotTests: XCTestCase {
    func featureMapScreen(width: Int, height: Int) throws -> Workbench {
        let (wb, ev) = makeWorkbench(width: width, height: height)
        ev.tensors["x"] = try Tensors.waves([2, 6, 8, 8])
        ev.answers["x = waves()"] = Evaluation()
        wb.submit("x = waves()")
        wb.submit("show:x")
        wb.perform(.toggleFocus)
        wb.handle(.right)
        return wb
    }

    func testFeatureMaps80x24() throws {
        let wb = try featureMapScreen(width: 80, height: 24)
        let screen = wb.render()
        Snapshot.assertMatches(screen, named: "feature_maps_80x24")
        try assertHeatmapPixels(screen, view: wb.state)
    }

    func testFeatureMaps160x48() throws {
        let wb = try featureMapScreen(width: 160, height: 48)
        let screen = wb.render()
        Snapshot.assertMatches(screen, named: "feature_maps_160x48")
        try assertHeatmapPixels(screen, view: wb.state)
    }

    func testZoomedChannel80x24() throws {
        let wb = try featureMapScreen(width: 80, height: 24)
        wb.handle(.enter)
        wb.handle(.down)
        wb.handle(.right)
        let screen = wb.render()
        Snapshot.assertMatches(screen, named: "feature_maps_zoomed_80x24")
        XCTAssertTrue(screen.lines[23].contains("x[0, 1, 1, 1] = "), "status line shows the pixel under the cursor")
    }

    /// The first channel tile's top-left cell holds pixels (0,0) and (1,0) of channel 0
    /// as fg/bg in the viridis colours of their values.
    func assertHeatmapPixels(_ screen: Buffer, view state: WorkbenchState) throws {
        guard case let .featureMaps(view) = state.content, let inner = state.paneInner else {
            return XCTFail("no feature maps")
        }
        let tiles = FeatureMapPanel.grid(view, interactive: true).layout(in: FeatureMapPanel.body(of: inner))
        let tile = try XCTUnwrap(tiles.first)
        XCTAssertEqual(screen[tile.label.x, tile.label.y]?.symbol, "c")
        let cell = try XCTUnwrap(screen[tile.image.x, tile.image.y])
        XCTAssertEqual(cell.symbol, "▀")
        let scale = view.scale(ofChannel: 0)
        let channel = view.maps.channels[0]
        let placement = Heatmap(channel, scale: scale).placement(in: tile.image)
        let pixels = Resample.resampled(channel, rows: placement.pixelRows, columns: placement.pixelColumns)
        XCTAssertEqual(cell.fg, scale.color(for: pixels[0, 0]))
        XCTAssertEqual(cell.bg, scale.color(for: pixels[1, 0]))
        // The selected channel (c1) has a reversed label.
        let second = try XCTUnwrap(tiles.dropFirst().first)
        XCTAssertEqual(screen[second.label.x, second.label.y]?.attributes.contains(.reverse), true)
    }

    func graphScreen(width: Int, height: Int) throws -> Workbench {
        let (wb, ev) = makeWorkbench(width: width, height: height)
        let (y, x, w, b) = try Tensors.smallGraph()
        try backward(y)
        let names: [ObjectIdentifier: String] = [ObjectIdentifier(x): "x", ObjectIdentifier(w): "w", ObjectIdentifier(b): "b"]
        wb.tensorNamer = { names[ObjectIdentifier($0)] }
        ev.tensors["y"] = y
        wb.submit("graph:y")
        return wb
    }

    func testGraph80x24() throws {
        let screen = try graphScreen(width: 80, height: 24).render()
        Snapshot.assertMatches(screen, named: "graph_80x24")
        try assertGraphCells(screen)
    }

    func testGraph160x48() throws {
        let screen = try graphScreen(width: 160, height: 48).render()
        Snapshot.assertMatches(screen, named: "graph_160x48")
        try assertGraphCells(screen)
    }

    /// Box-drawing edges, and the selected output box's bold yellow border.
    func assertGraphCells(_ screen: Buffer) throws {
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Sum"))
        XCTAssertTrue(text.contains("▼"))
        let row = try XCTUnwrap(screen.lines.firstIndex { $0.contains("Sum") })
        let column = try XCTUnwrap(screen.lines[row].firstIndex(of: "S")).utf16Offset(in: screen.lines[row])
        // Find the box's left border (│) left of the title on the same row.
        let border = try XCTUnwrap((0..<column).reversed().first { screen[$0, row]?.symbol == "│" })
        XCTAssertEqual(screen[border, row]?.fg, Color(hex: 0xffd75f))
    }

    func plotScreen(width: Int, height: Int) throws -> Workbench {
        let (wb, _) = makeWorkbench(width: width, height: height)
        let losses = (0..<40).map { 2.0 * Foundation.exp(-Double($0) / 10) + 0.1 }
        let display = PaneDisplay(workbench: wb)
        try display.plot([.init(label: "loss", values: losses), .init(label: "val", values: losses.map { $0 * 1.2 })],
                         title: "losses")
        return wb
    }

    func testPlot80x24() throws {
        let screen = try plotScreen(width: 80, height: 24).render()
        Snapshot.assertMatches(screen, named: "plot_80x24")
        try assertTwoSeriesColours(screen)
    }

    func testPlot160x48() throws {
        let screen = try plotScreen(width: 160, height: 48).render()
        Snapshot.assertMatches(screen, named: "plot_160x48")
        try assertTwoSeriesColours(screen)
    }

    /// Braille cells in both palette colours are on screen.
    func assertTwoSeriesColours(_ screen: Buffer) throws {
        var colours = Set<Color>()
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                if let c = screen[x, y], let s = c.symbol.unicodeScalars.first, (0x2801...0x28ff).contains(s.value) {
                    colours.insert(c.fg)
                }
            }
        }
        XCTAssertTrue(colours.contains(LinePlot.palette[0]))
        XCTAssertTrue(colours.contains(LinePlot.palette[1]))
    }

    func testTooSmallTerminalSaysSo() {
        let (wb, _) = makeWorkbench(width: 70, height: 20)
        XCTAssertEqual(wb.render().lines[0].trimmingCharacters(in: .whitespaces),
                       "terminal too small: tensh needs at least 80x24 (now 70x20)")
    }
}
