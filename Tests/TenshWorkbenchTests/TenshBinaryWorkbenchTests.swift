import Foundation
import XCTest

/// The real `tensh` binary in tmux (COLORTERM=truecolor): the workbench wired to
/// a Session, checked on what a person sees — heatmap half-blocks in 24-bit
/// colour, channel labels and shape, graph boxes, an error with its location,
/// Ctrl-C recovery with the variables intact, and history saved after :quit.
final class TenshBinaryWorkbenchTests: XCTestCase {
    var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tensh-e2e-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    static func tenshBinary() throws -> String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("tensh").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TmuxSession.Failure(description: "tensh not built; looked in \(candidates)")
        }
        return found
    }

    func start(width: Int = 100, height: Int = 32) throws -> TmuxSession {
        let command = "XDG_STATE_HOME=\(shellQuoted(scratch)) \(shellQuoted(try Self.tenshBinary())); "
            + "echo \"exit=$?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'; sleep 60"
        let session = try TmuxSession(command: command, width: width, height: height)
        try session.wait(forText: ">>>")
        return session
    }

    func testFeatureMapsGraphErrorsInterruptAndHistory() throws {
        let session = try start()
        defer { session.kill() }
        try session.type("x = ones(1, 4, 8, 8) * arange(8)")
        try session.type("show(x)")
        try session.wait(forText: "c3")
        let colored = try session.capture(escapes: true)
        XCTAssertTrue(colored.contains("▀"), "half-block pixels")
        XCTAssertTrue(colored.contains("38;2;") && colored.contains("48;2;"), "24-bit colours")
        XCTAssertTrue(colored.contains("[1, 4, 8, 8]"), "shape in the header")

        try session.type("w = param(ones(3)); loss = sum(relu(w * 2))")
        try session.type("graph(loss)")
        let graph = try session.wait(forText: "Relu")
        XCTAssertTrue(graph.contains("Sum") && graph.contains("┌") && graph.contains("▼"), graph)

        try session.type("y = undefined_thing + 1")
        try session.wait(forText: "<stdin>:1:5: error: undefined name 'undefined_thing'")

        try session.type("while true { }")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("C-c")
        try session.wait(forText: "interrupted")
        try session.type("print(x.shape, 40 + 2)")
        try session.wait(forText: "[1, 4, 8, 8] 42")

        try session.type(":quit")
        let screen = try session.wait(for: "exit report") { $0.contains("exit=0") }
        XCTAssertTrue(screen.split(separator: "\n").contains("icanon"), "terminal restored:\n\(screen)")
        let history = try String(contentsOfFile: scratch + "/tensh/history", encoding: .utf8)
        XCTAssertTrue(history.contains("show(x)") && history.contains("graph(loss)"), history)
    }

    func testSmallTerminalFallsBackToThePlainRepl() throws {
        let session = try TmuxSession(command: "\(shellQuoted(try Self.tenshBinary())); sleep 60", width: 60, height: 20)
        defer { session.kill() }
        try session.wait(forText: "needs 80x24")
        try session.type("print(6 * 7)")
        try session.wait(forText: "42")
    }
}
