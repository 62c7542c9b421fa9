import Foundation
import XCTest

/// Runs the built `tensh` binary: scripts, `-e`, `check`, piped REPL input,
/// exit codes, stdout and stderr.
final class EndToEndTests: XCTestCase {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test runner sits next to the products of the same build.
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tensh")
    }

    /// Runs tensh. With `interruptWhen`, Ctrl-C (SIGINT) is sent as soon as
    /// stdout shows that text, so the signal lands while the script's work runs
    /// whatever the machine's speed; a run still going after `timeout` seconds
    /// (a wide safety margin, not a latency bound) is killed and fails the test.
    func run(_ arguments: [String], stdin: String = "", interruptWhen marker: String? = nil,
             timeout: TimeInterval = 60) throws -> Result {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build tensh first: \(Self.binary.path)")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = StreamReader(output.fileHandleForReading, marker: marker)
        let stderr = StreamReader(errors.fileHandleForReading, marker: nil)
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        if marker != nil {
            stdout.markerSeen.wait()
            if process.isRunning { process.interrupt() }
        }
        let finished = stdout.finished.wait(timeout: .now() + timeout) == .success
        if !finished { process.terminate() }
        XCTAssertTrue(finished, "tensh \(arguments) still ran after \(timeout) s")
        stderr.finished.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdout.text, stderr: stderr.text)
    }

    func script(_ source: String, name: String = "e2e.tsh") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tensh-\(UUID().uuidString)-\(name)")
        try source.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testScriptRunsWithArguments() throws {
        let path = try script("x = [1, 2, 3]\nprint(item(sum(x)), args())\n")
        let r = try run([path, "a", "--b"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "6.0 ['a', '--b']\n")
        XCTAssertEqual(r.stderr, "")
    }

    func testRuntimeErrorExits70WithDiagnostic() throws {
        let path = try script("x = ones(2, 3)\nprint(\"ran\")\ny = sum(x, dim=4)\nprint(\"not reached\")\n")
        let r = try run([path])
        XCTAssertEqual(r.status, 70)
        XCTAssertEqual(r.stdout, "ran\n")
        XCTAssertEqual(r.stderr, """
        \(path):3:12: error: sum: dimension 4 is out of range for a tensor of rank 2 (expected -2...1)
          y = sum(x, dim=4)
                     ^~~~~

        """)
    }

    func testSyntaxErrorExits65AndRunsNothing() throws {
        let path = try script("print(\"no\")\nx = (1 +\n")
        let r = try run([path])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains(":2:5: error: '(' was never closed"), r.stderr)
    }

    func testMissingFileExits66() throws {
        let r = try run(["/nonexistent/file.tsh"])
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("cannot open '/nonexistent/file.tsh'"), r.stderr)
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try run(["--bogus"]).status, 64)
        XCTAssertEqual(try run(["--threads", "0", "-e", "1"]).status, 64)
        XCTAssertEqual(try run(["--color=sometimes", "-e", "1"]).status, 64)
        XCTAssertEqual(try run(["-e"]).status, 64)
    }

    func testRepeatedEvaluateSharesOneSession() throws {
        let r = try run(["--threads", "1", "-e", "x = 2", "-e", "print(x * 3)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "6\n")
    }

    func testEvaluateErrorNamesTheSource() throws {
        let r = try run(["-e", "1 +"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.hasPrefix("<-e>:1:4: error: expected an expression"), r.stderr)
    }

    func testCheck() throws {
        let good = try script("def f(x) = x * 2\nprint(f(1))\n")
        let ok = try run(["check", good])
        XCTAssertEqual(ok.status, 0)
        XCTAssertEqual(ok.stdout + ok.stderr, "")
        let bad = try script("x = )\ny = ]\n")
        let r = try run(["check", bad])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stderr.components(separatedBy: "error:").count - 1, 2, r.stderr)
        XCTAssertEqual(try run(["check", "/nonexistent.tsh"]).status, 66)
    }

    func testPipedReplInput() throws {
        let input = "x = 3\nx * 2\ny = (1 +\n 2)\ny;\nundefined_name\nprint(x, y)\n:vars\n"
        let r = try run([], stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "6\n3 3\nx  int 3\ny  int 3\n")
        XCTAssertTrue(r.stderr.hasPrefix("<stdin>:1:1: error: undefined name 'undefined_name'"), r.stderr)
    }

    func testExitCodeFromScriptAndRepl() throws {
        XCTAssertEqual(try run(["-e", "print(1)\nexit(3)\nprint(2)"]).status, 3)
        let r = try run([], stdin: "print(\"a\")\nexit(4)\nprint(\"b\")\n")
        XCTAssertEqual(r.status, 4)
        XCTAssertEqual(r.stdout, "a\n")
    }

    func testVersionAndHelp() throws {
        XCTAssertEqual(try run(["--version"]).stdout, "tensh 0.1.0\n")
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("tensh check FILE.tsh"))
    }

    func testColorAlways() throws {
        let r = try run(["--color=always", "-e", "undefined"])
        XCTAssertTrue(r.stderr.contains("\u{1B}[1;31merror:"), r.stderr)
    }

    func testCtrlCInterruptsAScriptWith130() throws {
        let path = try script("print(\"started\")\nwhile true { x = 1 }\n")
        let r = try run([path], interruptWhen: "started")
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(r.stdout, "started\n")
        XCTAssertTrue(r.stderr.contains("error: interrupted"), r.stderr)
    }
}

/// Reads a pipe to its end on its own thread; signals when `marker` first
/// appears (or the stream ends without it) and when the stream ends.
final class StreamReader: @unchecked Sendable {
    let markerSeen = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    private var data = Data()
    private let lock = NSLock()

    init(_ handle: FileHandle, marker: String?) {
        Thread { [self] in
            var signalled = false
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
                if let marker, !signalled, text.contains(marker) {
                    signalled = true
                    markerSeen.signal()
                }
            }
            if !signalled { markerSeen.signal() }
            finished.signal()
        }.start()
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
