import Foundation
import TenshLanguage
import XCTest

/// `include("helpers.tsh")`: relative to the including file, same session,
/// errors placed in the included file, cycles refused.
final class IncludeTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tensh-include-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/lib", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    private func run(_ name: String) throws -> (Session.Outcome, String) {
        let out = CapturedOutput()
        let path = folder + "/" + name
        let outcome = Session(output: out).run(source: try String(contentsOfFile: path, encoding: .utf8), file: path)
        return (outcome, out.text)
    }

    func testIncludedDefinitionsStayInTheSessionAndPathsAreRelativeToTheIncluder() throws {
        try write("lib/helpers.tsh", "include(\"more.tsh\")\ndef double(x) = 2 * x\nscale = 3\n")
        try write("lib/more.tsh", "def triple(x) = 3 * x\n")
        try write("main.tsh", "include(\"lib/helpers.tsh\")\nprint(double(scale), triple(2))\n")
        let (outcome, text) = try run("main.tsh")
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        XCTAssertEqual(text, "6 6\n")
    }

    func testAnErrorPointsIntoTheIncludedFileWithItsNameAndLine() throws {
        try write("lib/bad.tsh", "x = 1\ny = x + \"a\"\n")
        try write("main.tsh", "print(\"start\")\ninclude(\"lib/bad.tsh\")\n")
        let (outcome, text) = try run("main.tsh")
        XCTAssertEqual(text, "start\n")
        XCTAssertEqual(outcome.status, .runtimeError)
        let d = try XCTUnwrap(outcome.diagnostics.first)
        XCTAssertEqual("\(d.span.line):\(d.span.column)", "2:5")
        XCTAssertTrue(outcome.rendered.contains("lib/bad.tsh:2:5: error: unsupported operand types for +: int and string"), outcome.rendered)
        XCTAssertTrue(outcome.rendered.contains("y = x + \"a\""), outcome.rendered)
    }

    func testASyntaxErrorInTheIncludedFileIsReportedThere() throws {
        try write("broken.tsh", "x = (1 +\n")
        try write("main.tsh", "include(\"broken.tsh\")\n")
        let (outcome, _) = try run("main.tsh")
        XCTAssertEqual(outcome.status, .runtimeError)
        XCTAssertTrue(outcome.rendered.contains("broken.tsh:1:"), outcome.rendered)
        XCTAssertTrue(outcome.rendered.contains("syntax error in the included file"), outcome.rendered)
    }

    func testAnIncludeCycleIsAnError() throws {
        try write("a.tsh", "include(\"b.tsh\")\n")
        try write("b.tsh", "include(\"a.tsh\")\n")
        let (outcome, _) = try run("a.tsh")
        XCTAssertEqual(outcome.status, .runtimeError)
        XCTAssertTrue(outcome.rendered.contains("include cycle:"), outcome.rendered)
        XCTAssertTrue(outcome.rendered.contains("b.tsh:1:9"), outcome.rendered)
    }
}
