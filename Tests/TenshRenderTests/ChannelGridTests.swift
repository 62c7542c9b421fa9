import XCTest
@testable import TenshRender

final class ChannelGridTests: XCTestCase {
    func channels(_ count: Int, rows: Int = 6, columns: Int = 6) -> [Matrix] {
        (0..<count).map { Sample.bump(rows: rows, columns: columns, phase: Double($0)) }
    }

    func testFourChannelsSideBySideWithLabels() {
        let data = channels(4)
        var b = Buffer(width: 40, height: 8)
        let grid = ChannelGrid(channels: data, colormap: .viridis, ranges: ChannelGrid.ranges(for: data, global: false), selected: 2)
        let tiles = grid.draw(into: &b, area: b.area)
        XCTAssertEqual(tiles.map(\.channel), [0, 1, 2, 3])
        Snapshot.assertMatches(b, named: "channel_grid_4")
        XCTAssertEqual(b[tiles[2].label.x, tiles[2].label.y]?.attributes, [.reverse, .bold], "selected label")
        XCTAssertEqual(b[tiles[1].label.x, tiles[1].label.y]?.attributes, [.dim])
    }

    func testGlobalNormalisationSharesOneRange() {
        let data = [Matrix([[0, 1]]), Matrix([[10, 20]])]
        let global = ChannelGrid.ranges(for: data, global: true)
        XCTAssertEqual(global, [ValueRange(min: 0, max: 20), ValueRange(min: 0, max: 20)])
        var perChannel = Buffer(width: 20, height: 4), shared = Buffer(width: 20, height: 4)
        ChannelGrid(channels: data, colormap: .gray, ranges: ChannelGrid.ranges(for: data, global: false))
            .draw(into: &perChannel, area: perChannel.area)
        let tiles = ChannelGrid(channels: data, colormap: .gray, ranges: global).draw(into: &shared, area: shared.area)
        let x = tiles[0].image.x, y = tiles[0].image.y
        XCTAssertEqual(perChannel[x, y]?.fg, Color(hex: 0x000000))
        XCTAssertEqual(shared[x, y]?.fg, Color(hex: 0x000000))
        let x1 = Heatmap(data[0], scale: ColorScale(colormap: .gray, range: global[0])).placement(in: tiles[0].image).cells.right - 1
        XCTAssertEqual(perChannel[x1, y]?.fg, Color(hex: 0xffffff), "channel 0 max is white per channel")
        XCTAssertEqual(shared[x1, y]?.fg, Colormap.gray.color(at: 1.0 / 20), "but nearly black globally")
    }

    func testManyChannelsScrollToKeepTheSelectionVisible() {
        let data = channels(64, rows: 8, columns: 8)
        let grid = ChannelGrid(channels: data, colormap: .viridis, ranges: [], selected: 63)
        let tiles = grid.layout(in: Rect(x: 0, y: 0, width: 40, height: 6))
        XCTAssertFalse(tiles.isEmpty)
        XCTAssertLessThan(tiles.count, 64)
        XCTAssertEqual(tiles.last?.channel, 63)
        for tile in tiles { XCTAssertLessThanOrEqual(tile.image.bottom, 6) }
        XCTAssertEqual(ChannelGrid(channels: data, colormap: .viridis, ranges: []).layout(in: Rect(x: 0, y: 0, width: 40, height: 6)).first?.channel, 0)
    }

    func testTilesNeverOverlapAndStayInside() {
        let area = Rect(x: 3, y: 2, width: 57, height: 19)
        for count in [1, 3, 8, 16] {
            let tiles = ChannelGrid(channels: channels(count), colormap: .gray, ranges: []).layout(in: area)
            XCTAssertEqual(tiles.count, count)
            for (i, a) in tiles.enumerated() {
                XCTAssertEqual(a.image.intersection(area), a.image)
                for b in tiles[(i + 1)...] { XCTAssertTrue(a.image.intersection(b.image).isEmpty) }
            }
        }
    }

    func testTinyAreaDrawsNothingAndDoesNotTrap() {
        var b = Buffer(width: 1, height: 1)
        XCTAssertTrue(ChannelGrid(channels: channels(3), colormap: .gray, ranges: []).draw(into: &b, area: b.area).isEmpty)
        XCTAssertTrue(ChannelGrid(channels: [], colormap: .gray, ranges: []).layout(in: Rect(x: 0, y: 0, width: 80, height: 20)).isEmpty)
        let far = ChannelGrid(channels: channels(64), colormap: .gray, ranges: [], selected: 1000).layout(in: Rect(x: 0, y: 0, width: 40, height: 6))
        XCTAssertEqual(far.last?.channel, 63, "an out-of-range selection shows the last row")
        XCTAssertEqual(ChannelGrid(channels: channels(4), colormap: .gray, ranges: [], selected: -3)
            .layout(in: Rect(x: 0, y: 0, width: 40, height: 6)).first?.channel, 0)
    }
}
