import XCTest
@testable import TenshRender

/// Whole screens composed the way the workbench will: pane, transcript, input, status.
final class ScreenSnapshotTests: XCTestCase {
    let transcript = [TextPane.Line("tensh> x = randn(1, 1, 8, 8)"), TextPane.Line("tensh> w = randn(8, 1, 3, 3, requires_grad=true)"),
                      TextPane.Line("tensh> y = relu(conv2d(x, w)).sum()"), TextPane.Line("tensh> show(relu(conv2d(x, w)))")]

    func screen(width: Int, height: Int, drawPane: (inout Buffer, Rect) -> Void, status: String) throws -> Buffer {
        let layout = try XCTUnwrap(ScreenLayout.compute(width: width, height: height))
        var b = Buffer(width: width, height: height)
        let pane = try XCTUnwrap(layout.pane)
        drawPane(&b, pane)
        TextPane(lines: transcript).draw(into: &b, area: layout.transcript)
        b.setString(x: layout.input.x, y: layout.input.y, "tensh> ", clip: layout.input)
        StatusLine(left: status, right: "F2 focus  m colormap  g global").draw(into: &b, area: layout.status)
        return b
    }

    func featureMaps(_ buffer: inout Buffer, _ pane: Rect) {
        let inner = Block(title: "relu(conv2d(x, w)) [1, 8, 6, 6]  n=0").draw(into: &buffer, area: pane)
        let (grid, bar) = inner.splitBottom(1)
        let data = (0..<8).map { Sample.bump(rows: 6, columns: 6, phase: Double($0) / 2) }
        let ranges = ChannelGrid.ranges(for: data, global: true)
        ChannelGrid(channels: data, colormap: .viridis, ranges: ranges, selected: 3).draw(into: &buffer, area: grid)
        ColorBar(scale: ColorScale(colormap: .viridis, range: ranges[0])).draw(into: &buffer, area: bar)
    }

    func graph(_ buffer: inout Buffer, _ pane: Rect) {
        let inner = Block(title: "graph(y)").draw(into: &buffer, area: pane)
        GraphView(layout: GraphLayout(model: Sample.residualGraph), selected: 4).draw(into: &buffer, area: inner)
    }

    func testFeatureMapScreenSmall() throws {
        let b = try screen(width: 80, height: 24, drawPane: featureMaps, status: "x[0, 3, 2, 2] = 0.4121")
        Snapshot.assertMatches(b, named: "screen_feature_maps_80x24")
        XCTAssertTrue(b.lines[1].contains("c3"))
        XCTAssertEqual(b[0, 23]?.attributes, [.reverse])
    }

    func testFeatureMapScreenLarge() throws {
        let b = try screen(width: 170, height: 40, drawPane: featureMaps, status: "channel 3")
        Snapshot.assertMatches(b, named: "screen_feature_maps_170x40")
    }

    func testGraphScreenSmallAndLarge() throws {
        let small = try screen(width: 80, height: 24, drawPane: graph, status: "Conv2d selected")
        Snapshot.assertMatches(small, named: "screen_graph_80x24")
        let large = try screen(width: 170, height: 40, drawPane: graph, status: "Conv2d selected")
        Snapshot.assertMatches(large, named: "screen_graph_170x40")
        XCTAssertTrue(large.lines.joined().contains("Conv2d"))
    }
}
