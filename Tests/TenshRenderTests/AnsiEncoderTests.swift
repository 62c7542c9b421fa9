import XCTest
@testable import TenshRender

final class AnsiEncoderTests: XCTestCase {
    let esc = "\u{1b}"

    func sampleBuffer() -> Buffer {
        var b = Buffer(width: 6, height: 2)
        b.setString(x: 0, y: 0, "ab", style: Style(attributes: [.bold]))
        b.set(x: 2, y: 0, Cell("▀", fg: Color(hex: 0x440154), bg: Color(hex: 0xfde725)))
        b.setString(x: 0, y: 1, "plain")
        return b
    }

    func testTrueColorEscapes() {
        XCTAssertEqual(AnsiEncoder(mode: .trueColor).encode(sampleBuffer()), [
            "\(esc)[0;1mab\(esc)[0;38;2;68;1;84;48;2;253;231;37m▀\(esc)[0m",
            "plain",
        ])
    }

    func testPalette256Escapes() {
        let lines = AnsiEncoder(mode: .palette256).encode(sampleBuffer())
        XCTAssertEqual(lines[0], "\(esc)[0;1mab\(esc)[0;38;5;53;48;5;220m▀\(esc)[0m")
        XCTAssertEqual(AnsiEncoder(mode: .palette256).encode(Buffer(lines: ["x"]).styled(fg: .indexed(9))), ["\(esc)[0;38;5;9mx\(esc)[0m"])
    }

    func testNoColourTurnsHalfBlocksIntoARamp() {
        var b = Buffer(width: 5, height: 1)
        let scale = ColorScale(colormap: .gray, range: ValueRange(min: 0, max: 1))
        for (i, v) in [0.0, 0.5, 1.0].enumerated() { b.set(x: i, y: 0, Cell("▀", fg: scale.color(for: v), bg: scale.color(for: v))) }
        b.set(x: 3, y: 0, Cell("▀", fg: ColorScale.nanColor, bg: scale.color(for: 0)))
        b.set(x: 4, y: 0, Cell("▀", fg: scale.color(for: 1), bg: ColorScale.positiveInfinityColor))
        XCTAssertEqual(AnsiEncoder(mode: .none).encode(b), [" +@?!"])
        XCTAssertEqual(AnsiEncoder(mode: .none).encode(sampleBuffer()), ["ab=", "plain"])
    }

    func testWideCharactersAreNotDuplicatedAndTextJoins() {
        let b = Buffer(lines: ["形x", "y"])
        XCTAssertEqual(AnsiEncoder(mode: .none).encodeText(b), "形x\ny\n")
    }

    func testEncodingIsDeterministicForAHeatmapGrid() {
        let data = (0..<3).map { Sample.bump(rows: 6, columns: 6, phase: Double($0)) }
        var b = Buffer(width: 30, height: 5)
        ChannelGrid(channels: data, colormap: .viridis, ranges: ChannelGrid.ranges(for: data, global: true)).draw(into: &b, area: b.area)
        let first = AnsiEncoder(mode: .trueColor).encode(b)
        XCTAssertEqual(AnsiEncoder(mode: .trueColor).encode(b), first)
        XCTAssertTrue(first[1].contains("\(esc)[0;38;2;"))
        Snapshot.assertMatches(AnsiEncoder(mode: .none).encode(b), named: "channel_grid_plain_ramp")
    }
}

extension Buffer {
    /// Every cell re-styled with one foreground colour (test helper).
    func styled(fg: Color) -> Buffer {
        var copy = self
        for y in 0..<height { for x in 0..<width { copy.setStyle(x: x, y: y, Style(fg: fg)) } }
        return copy
    }
}
