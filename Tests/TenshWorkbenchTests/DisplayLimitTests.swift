import XCTest
import TenshEngine
import TenshLanguage
import TenshRender
@testable import TenshWorkbench

/// Displays read no more than they draw: a huge view is sampled (exact
/// elements, true indices), channels beyond what a grid can hold are not read,
/// a smaller allocation limit shrinks what is read, and `save_image` checks the
/// image's size before it allocates anything.
final class DisplayLimitTests: XCTestCase {
    /// `ones(1, 1).expand(40000, 40000)`: 1.6 billion elements over one stored value.
    func hugeView() throws -> Tensor {
        try Tensor([1], shape: [1, 1]).expanded([40000, 40000])
    }

    func testAHugeViewIsSampledNotCopied() throws {
        let maps = try FeatureMaps(try hugeView())
        XCTAssertEqual(maps.step, 20)
        XCTAssertEqual(maps.channels.count, 1)
        XCTAssertEqual(maps.channels[0].rows, 2000)
        XCTAssertEqual(maps.channels[0].columns, 2000)
        XCTAssertLessThanOrEqual(maps.channels[0].values.count, FeatureMaps.valueBudget)
        XCTAssertEqual(maps.samplingNote, "[::20, ::20]")
        XCTAssertEqual(maps.value(channel: 0, row: 1999, column: 1999), 1)
    }

    func testSampledElementsAreExactAndIndexedInTheTensor() throws {
        let ramp = try Tensors.ramp([3000, 3000])  // value = 3000 * row + column
        let maps = try FeatureMaps(ramp)
        XCTAssertEqual(maps.step, 2)
        XCTAssertEqual(maps.channels[0].rows, 1500)
        XCTAssertEqual(maps.value(channel: 0, row: 3, column: 5), Double(3000 * 6 + 10))
        XCTAssertEqual(maps.indexText(name: "m", channel: 0, row: 3, column: 5), "m[6, 10]")
        let view = try FeatureMapState(tensor: ramp, title: "m")
        XCTAssertTrue(FeatureMapPanel.header(view).contains("[3000, 3000] f32  [::2, ::2]"), FeatureMapPanel.header(view))
    }

    func testBarsAreSampledToo() throws {
        let maps = try FeatureMaps(try Tensor([1], shape: [1]).expanded([100_000_000]))
        XCTAssertEqual(maps.step, 24)
        XCTAssertLessThanOrEqual(maps.bars.count, FeatureMaps.valueBudget)
        XCTAssertEqual(maps.samplingNote, "[::24]")
        XCTAssertEqual(maps.indexText(name: "v", channel: 0, row: 0, column: 2), "v[48]")
    }

    func testChannelsBeyondTheGridAreNotRead() throws {
        let maps = try FeatureMaps(try Tensors.ramp([5000, 1, 2]))
        XCTAssertEqual(maps.channelCount, 5000)
        XCTAssertEqual(maps.channels.count, FeatureMaps.maxChannels)
        XCTAssertEqual(maps.step, 1)
        XCTAssertEqual(maps.channels[4095].values, [8190, 8191])
        XCTAssertEqual(maps.samplingNote, "c0–4095 of 5000")
    }

    func testSmallTensorsAreReadWhole() throws {
        let maps = try FeatureMaps(try Tensors.ramp([1, 64, 56, 56]))
        XCTAssertEqual(maps.step, 1)
        XCTAssertEqual(maps.samplingNote, "")
        XCTAssertEqual(maps.channels.count, 64)
    }

    func testASmallerAllocationLimitReadsLess() throws {
        let image = try Tensors.ramp([64, 64])
        let channels = try Tensors.ramp([1, 2, 8, 8])
        let saved = EngineConfig.maxTensorBytes
        defer { EngineConfig.maxTensorBytes = saved }
        EngineConfig.maxTensorBytes = 1024  // 128 Doubles
        let maps = try FeatureMaps(image)
        XCTAssertEqual(maps.step, 6)
        XCTAssertEqual(maps.channels[0].values.count, 121)
        EngineConfig.maxTensorBytes = 400
        XCTAssertThrowsError(try ImageExport.pixels(channels, colormap: nil)) { error in
            XCTAssertEqual("\(error)", "save_image: an image of 17x8 pixels is too large (shape [1, 2, 8, 8]): its 408 bytes of RGB exceed the allocation limit of 400 bytes")
        }
    }

    func testShowOfAHugeViewInPlainTextAndInThePane() throws {
        var out = ""
        try PlainDisplay(mode: .none, width: 80) { out += $0 }.show(try hugeView(), options: ShowOptions(title: "x"))
        XCTAssertTrue(out.hasPrefix("x  [40000, 40000] f32  [::20, ::20]  viridis\n"), String(out.prefix(200)))
        let (wb, ev) = makeWorkbench()
        ev.tensors["x"] = try hugeView()
        wb.submit("show:x")
        wb.perform(.toggleFocus)
        wb.handle(.down)
        wb.handle(.right)
        XCTAssertEqual(WorkbenchScreen.statusLeft(wb.state), "x[20, 20] = 1")
    }

    func testImagePixelsFollowStridesOneElementEach() throws {
        // Two channels of 2x3 side by side with a white gap column; the second is a transposed view.
        let a = try Tensors.ramp([1, 2, 3, 2]).transposed(2, 3)
        let image = try ImageExport.pixels(a, colormap: "gray")
        XCTAssertEqual(image.width, 7)
        XCTAssertEqual(image.height, 2)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(image.rgb[(y * 7 + x) * 3..<(y * 7 + x) * 3 + 3]) }
        // Channel 0 of the transpose holds [[0, 2, 4], [1, 3, 5]]: gray from black (0) to white (5).
        XCTAssertEqual(pixel(0, 0), [0, 0, 0])
        XCTAssertEqual(pixel(2, 1), [255, 255, 255])
        XCTAssertEqual(pixel(3, 0), [255, 255, 255], "the gap")
        XCTAssertEqual(pixel(4, 0), [0, 0, 0], "channel 1's minimum (6)")
        let scale = ColorScale(colormap: .gray, range: ValueRange(min: 0, max: 5))
        guard case let .rgb(r, g, b) = scale.color(for: 2) else { return XCTFail("not rgb") }
        XCTAssertEqual(pixel(1, 0), [r, g, b], "element [0, 0, 0, 1] of the transpose is 2")
    }

    func testPlainDrawingsStayWithinAThousandColumns() {
        XCTAssertEqual(PlainDisplay(mode: .none, width: 1_000_000_000) { _ in }.width, 1000)
        XCTAssertEqual(PlainDisplay(mode: .none, width: -5) { _ in }.width, 20)
    }

    func testTitlesAndWatchesAreEscapedInPlainText() throws {
        var out = ""
        let display = PlainDisplay(mode: .none, width: 80) { out += $0 }
        try display.show(try Tensors.ramp([2, 2]), options: ShowOptions(title: "\u{1b}]0;pwned\u{7}"))
        try display.plot([PlotSeries(label: "\u{202e}loss", values: [1, 2])], title: "\u{1b}[2J")
        try display.watch(expression: "x\u{1b}[2J", value: "tensor(1.)")
        XCTAssertFalse(out.contains("\u{1b}") || out.contains("\u{202e}") || out.contains("\u{7}"), out)
        XCTAssertTrue(out.hasPrefix("\\x1b]0;pwned\\x07  [2, 2] f32"), out)
        XCTAssertTrue(out.contains("\\x1b[2J  1 series"), out)
        XCTAssertTrue(out.hasSuffix("watch x\\x1b[2J: tensor(1.)\n"), out)
    }
}
