import XCTest
import TenshEngine
import TenshLanguage
import TenshRender
@testable import TenshWorkbench

final class PlainDisplayTests: XCTestCase {
    func render(_ tensor: Tensor, mode: AnsiEncoder.Mode, options: ShowOptions = ShowOptions(title: "x")) throws -> String {
        var out = ""
        try PlainDisplay(mode: mode, width: 80) { out += $0 }.show(tensor, options: options)
        return out
    }

    func testRampModeIsDeterministicText() throws {
        let x = try Tensors.ramp([1, 2, 4, 4])
        let text = try render(x, mode: .none)
        XCTAssertEqual(text, try render(x, mode: .none), "same input, same output")
        XCTAssertFalse(text.contains("\u{1b}"), "no escapes without colour")
        XCTAssertFalse(text.contains("▀"), "pixels become ramp characters")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "x  [1, 2, 4, 4] f32  n 1/1  viridis  per-channel")
        XCTAssertTrue(lines[1].hasPrefix("c0"), lines[1])
        // Per-channel ranges are listed on the last line (each channel has its own).
        XCTAssertTrue(text.contains("ranges: c0 0…15, c1 16…31"), text)
        XCTAssertEqual(lines.count, 6, "4x4 channels need two rows of half-blocks:\n\(text)")
        // Viridis brightens with the value: channel 0's top row is darker than its bottom row.
        func level(_ row: String) -> Int { AnsiEncoder.ramp.firstIndex(of: row.first ?? " ") ?? -1 }
        XCTAssertLessThan(level(lines[2]), level(lines[3]), text)
    }

    func testTrueColourAndPaletteEscapes() throws {
        let x = try Tensors.ramp([3, 3])
        let rgb = try render(x, mode: .trueColor, options: ShowOptions(colormap: "gray", title: "m"))
        // Gray: the minimum is black, the maximum white (2-d: one image, pixels magnified).
        XCTAssertTrue(rgb.contains("38;2;0;0;0"), rgb)
        XCTAssertTrue(rgb.contains("48;2;255;255;255") || rgb.contains("38;2;255;255;255"), rgb)
        let palette = try render(x, mode: .palette256, options: ShowOptions(colormap: "gray", title: "m"))
        XCTAssertTrue(palette.contains("38;5;"))
        XCTAssertFalse(palette.contains("38;2;"))
    }

    func testGlobalNormalisationDrawsOneColourBar() throws {
        let text = try render(Tensors.ramp([2, 2, 2]), mode: .none, options: ShowOptions(globalNormalization: true, title: "x"))
        XCTAssertTrue(text.contains("global"))
        XCTAssertFalse(text.contains("ranges:"))
        let last = try XCTUnwrap(text.split(separator: "\n").last)
        XCTAssertTrue(last.hasPrefix("0 ") && last.hasSuffix(" 7"), String(last))
    }

    func testBarsForOneDimensionalTensors() throws {
        let text = try render(Tensors.ramp([8]), mode: .none, options: ShowOptions(title: "v"))
        XCTAssertTrue(text.contains("█"), text)
        XCTAssertTrue(text.hasPrefix("v  [8] f32  viridis"), text)
    }

    func testPlotAsText() throws {
        var out = ""
        try PlainDisplay(mode: .none) { out += $0 }.plot([.init(label: "loss", values: [3, 2, 1.5, 1, 0.5])], title: "loss curve")
        XCTAssertTrue(out.hasPrefix("loss curve  1 series, 5 points"), out)
        XCTAssertTrue(out.contains("└"))
        XCTAssertTrue(out.contains("0.5"))
        XCTAssertThrowsError(try PlainDisplay(mode: .none) { _ in }.plot([], title: "")) { error in
            XCTAssertEqual("\(error)", "plot: nothing to plot (no values)")
        }
    }
}

final class TerminalPaletteTests: XCTestCase {
    func testModeDetection() {
        XCTAssertEqual(TerminalColorMode.detect(colors: 1 << 24, hasColors: true), .direct)
        XCTAssertEqual(TerminalColorMode.detect(colors: 256, hasColors: true), .palette256)
        XCTAssertEqual(TerminalColorMode.detect(colors: 8, hasColors: true), .none)
        XCTAssertEqual(TerminalColorMode.detect(colors: 256, hasColors: false), .none)
    }

    func testColourNumbers() {
        XCTAssertEqual(TerminalColorMode.direct.colorNumber(Color(hex: 0x440154)), 0x440154)
        XCTAssertEqual(TerminalColorMode.direct.colorNumber(Color(hex: 0x000003)), 8, "below 8 would be an ANSI colour")
        XCTAssertEqual(TerminalColorMode.direct.colorNumber(.default), -1)
        XCTAssertEqual(TerminalColorMode.palette256.colorNumber(Color(hex: 0xffffff)), 231)
        XCTAssertEqual(TerminalColorMode.palette256.colorNumber(.indexed(42)), 42)
        XCTAssertEqual(TerminalColorMode.none.colorNumber(Color(hex: 0xff0000)), -1)
    }

    func testMonochromeRampKeepsAttributes() {
        let dark = TerminalColorMode.monochrome(Cell("▀", fg: Color(hex: 0x000000), bg: Color(hex: 0x000000)))
        let bright = TerminalColorMode.monochrome(Cell("▀", fg: Color(hex: 0xffffff), bg: Color(hex: 0xffffff)))
        XCTAssertEqual(dark.symbol, " ")
        XCTAssertEqual(bright.symbol, "@")
        XCTAssertEqual(TerminalColorMode.monochrome(Cell("▀", fg: ColorScale.nanColor, bg: .default)).symbol, "?")
        let selected = TerminalColorMode.monochrome(Cell("c", fg: Color(hex: 0xffd75f), attributes: [.reverse]))
        XCTAssertEqual(selected, Cell("c", attributes: [.reverse]))
    }

    func testPairCacheReusesAndStartsOverWhenFull() {
        var cache = ColorPairCache(capacity: 3)
        XCTAssertEqual(cache.pair(fg: -1, bg: -1).pair, 0, "default colours need no pair")
        let a = cache.pair(fg: 1, bg: 2)
        XCTAssertEqual(a.pair, 1)
        XCTAssertTrue(a.isNew)
        XCTAssertFalse(cache.pair(fg: 1, bg: 2).isNew)
        XCTAssertEqual(cache.pair(fg: 3, bg: 4).pair, 2)
        let overflow = cache.pair(fg: 5, bg: 6)
        XCTAssertTrue(overflow.reset)
        XCTAssertEqual(overflow.pair, 1)
        XCTAssertEqual(cache.count, 1)
    }
}

final class ColorChoiceTests: XCTestCase {
    func testAutoFollowsTheTerminalAndEnvironment() {
        let truecolor = ["COLORTERM": "truecolor", "TERM": "xterm-256color"]
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: true, environment: truecolor), .trueColor)
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: false, environment: truecolor), .none)
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: true, environment: ["TERM": "xterm-256color"]), .palette256)
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: true, environment: ["TERM": "dumb"]), .none)
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: true, environment: truecolor.merging(["NO_COLOR": "1"]) { $1 }), .none)
        XCTAssertEqual(ColorChoice.auto.plainMode(isTerminal: true, environment: truecolor.merging(["NO_COLOR": ""]) { $1 }), .trueColor)
    }

    func testAlwaysAndNever() {
        XCTAssertEqual(ColorChoice.always.plainMode(isTerminal: false, environment: [:]), .palette256)
        XCTAssertEqual(ColorChoice.always.plainMode(isTerminal: false, environment: ["COLORTERM": "24bit", "NO_COLOR": "1"]), .trueColor)
        XCTAssertEqual(ColorChoice.never.plainMode(isTerminal: true, environment: ["COLORTERM": "truecolor"]), .none)
        XCTAssertFalse(ColorChoice.never.allowsWorkbenchColor(environment: [:]))
        XCTAssertFalse(ColorChoice.auto.allowsWorkbenchColor(environment: ["NO_COLOR": "1"]))
        XCTAssertTrue(ColorChoice.always.allowsWorkbenchColor(environment: ["NO_COLOR": "1"]))
    }
}
