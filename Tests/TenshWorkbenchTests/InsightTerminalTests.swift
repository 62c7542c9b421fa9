import Foundation
import XCTest

/// The views that look inside a network on the real `tensh` binary: in tmux at
/// 120x40 with 24-bit colour (gradients on op nodes, the |grad| colouring, the
/// stats table and G on a row, histogram, filters, a picture with an overlay,
/// explain and its key, bars from zero, :vars and :reset), and as text from a
/// script (one plot at the end, the stats table, explain's products).
final class InsightTerminalTests: ScratchDirectoryTestCase {
    static let network = "x = sin(arange(72) * 0.7).reshape(2, 1, 6, 6); w = param(cos(arange(36) * 1.3).reshape(4, 1, 3, 3)); "
        + "c = conv2d(x, w, padding=1); h = relu(c); p = max_pool2d(h, 2); loss = mean(p); backward(loss)"

    func start() throws -> TmuxSession {
        let command = "XDG_STATE_HOME=\(shellQuoted(scratch)) \(shellQuoted(try TenshBinaryWorkbenchTests.tenshBinary())); sleep 60"
        let session = try TmuxSession(command: command, width: 120, height: 40)
        try session.wait(forText: ">>>")
        return session
    }

    func testGradientsStatsHistogramFiltersPicturesAndExplain() throws {
        let session = try start()
        defer { session.kill() }
        try session.type(Self.network)
        try session.type("graph(loss)")
        let graph = try session.wait(forText: "MaxPool2d")
        XCTAssertTrue(graph.contains("kernel_size=[2, 2]") && !graph.contains("ceil_mode"), "defaults hidden:\n\(graph)")
        let lines = graph.split(separator: "\n", omittingEmptySubsequences: false)
        let pool = try XCTUnwrap(lines.firstIndex { $0.contains("MaxPool2d") })
        XCTAssertTrue(lines[pool...].prefix(5).contains { $0.contains("|grad|=") }, "an op node carries its gradient:\n\(graph)")
        try session.send("F2")
        try session.send("m")
        try session.wait(forText: "vanishing … exploding")
        try session.send("F2")

        try session.type("stats(loss)")
        let stats = try session.wait(forText: "dead ReLU: h")
        XCTAssertTrue(stats.contains("|grad|/|x|") && stats.contains("no NaN/Inf"), stats)
        try session.send("F2")
        try session.send("Up")
        try session.send("Up")
        try session.send("G")
        try session.wait(forText: "show h.grad")
        try session.send("q")
        try session.wait(forText: "stats loss")
        try session.send("F2")

        try session.type("hist(h, bins=20)")
        try session.wait(forText: "20 bins")
        try session.type("show(w)")
        try session.wait(forText: "filters 4×1")
        try session.type("img = rand(3, 8, 8, seed=1); show(img, rgb=true, overlay=img[0], alpha=0.5)")
        let picture = try session.wait(forText: "overlay alpha=0.5 viridis", escapes: true)
        XCTAssertTrue(picture.contains("38;2;") && picture.contains("48;2;"), "true colour")

        try session.type("explain(c, [0, 1, 2, 2])")
        try session.wait(forText: "= Σ 9 products")
        try session.type("show(c)")
        try session.wait(forText: "show c")
        try session.send("F2")
        try session.send("Enter")
        try session.send("e")
        try session.wait(forText: "explain c")
        try session.send("q")
        try session.send("F2")

        try session.type("show(tensor([0.19, -0.10, -0.20, 0.48]))")
        let bars = try session.wait(forText: "(bars from 0:", escapes: true)
        XCTAssertTrue(bars.contains("\u{1b}[7m") || bars.contains(";7m") || bars.contains("[7;"), "a bar hangs below zero (reversed)")

        try session.type("losses = []; for i in range(300) { losses = losses + [i * 1.5] }")
        try session.type(":vars")
        let vars = try session.wait(forText: "losses  list [0.0, 1.5")
        let line = vars.split(separator: "\n").first { $0.contains("losses  list") } ?? ""
        XCTAssertTrue(line.hasSuffix("…"), "one line cut to the width: \(line)")
        try session.type("watch(loss)")
        try session.wait(forText: "watch loss:")
        try session.type(":reset")
        let reset = try session.wait(forText: "show(x) draws feature maps here")
        XCTAssertFalse(reset.contains("watch loss:"), reset)
    }

    /// A script without a terminal: the chart of a plot called every epoch once, at
    /// the end; the stats table; explain's products and their sum.
    func testAScriptPrintsOnePlotTheStatsTableAndExplain() throws {
        let source = Self.network + "\nlosses = []\nfor i in range(20) { losses = losses + [1 / (i + 1)]; plot(losses) }\n"
            + "stats(loss)\nexplain(c, [0, 0, 0, 0])\nprint(\"done\")\n"
        let path = scratch + "/train.tsh"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try TenshProcess.run([path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.components(separatedBy: "losses  1 series").count - 1, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("losses  1 series, 20 points"), result.stdout)
        XCTAssertTrue(result.stdout.contains("stats of loss  6 nodes  no NaN/Inf"), result.stdout)
        XCTAssertTrue(result.stdout.contains("c[0, 0, 0, 0] = "), result.stdout)
        XCTAssertTrue(result.stdout.contains("  (5 taps fall on the padding and add nothing)"), result.stdout)
        let done = result.stdout.range(of: "done")?.lowerBound, chart = result.stdout.range(of: "losses  1 series")?.lowerBound
        XCTAssertNotNil(done)
        XCTAssertLessThan(done ?? result.stdout.endIndex, chart ?? result.stdout.startIndex, "the chart comes when the script ends")
    }
}
