import Foundation
import XCTest

/// Hostile command lines on the built binary: Ctrl-C
/// during a huge `range` or loop, operator chains far deeper than the stack,
/// scripts with any line ending, `clock()` from the first call, and strings
/// that would drive the terminal.
extension EndToEndTests {
    /// The work never ends by itself, so the outcome is certain: Ctrl-C lands
    /// while a range is being built or a loop runs, and must stop it with 130.
    func testCtrlCStopsHugeRangesAndLoops() throws {
        for work in ["r = range(100000000)", "for i in range(10000000) { }", "l = range(1000000) + range(1000000)"] {
            let r = try run(["-e", "print(\"started\")\nwhile true { \(work) }\nprint(\"after\")"], interruptWhen: "started")
            XCTAssertEqual(r.status, 130, "\(work): \(r.stderr)")
            XCTAssertEqual(r.stdout, "started\n", work)
            XCTAssertTrue(r.stderr.contains("error: interrupted"), "\(work): \(r.stderr)")
        }
    }

    func testChainsAsLongAsALineRun() throws {
        let chains: [(String, String)] = [
            ("x = 1" + String(repeating: " + 1", count: 100_000), "100001"),
            ("x = 1" + String(repeating: " - 1", count: 200_000), "-199999"),
            ("x = 1" + String(repeating: " and true", count: 500_000), "true"),
            ("x = 1" + String(repeating: " <= 2", count: 500_000), "true"),
            ("x = sum(eye(2)" + String(repeating: ".T", count: 100_000) + ")", "tensor(2.)"),
        ]
        for (line, value) in chains {
            let path = try script(line + "\nprint(x)\n")
            let r = try run([path])
            XCTAssertEqual(r.status, 0, "\(line.prefix(40)): \(r.stderr.prefix(300))")
            XCTAssertEqual(r.stdout, value + "\n", String(line.prefix(40)))
            XCTAssertEqual(try run(["check", path]).status, 0)
        }
        let failing = try script("x = 1" + String(repeating: " @ eye(2)", count: 100_000) + "\n")
        let r = try run([failing])
        XCTAssertEqual(r.status, 70)
        XCTAssertTrue(r.stderr.contains(":1:5: error: matmul: both arguments need at least 1 dimension"), String(r.stderr.prefix(300)))
    }

    func testEveryLineEndingRunsAndDiagnosesTheRightLine() throws {
        let cr = try run([try script("# comment\rx = 1\rprint(x + 1)\r")])
        XCTAssertEqual(cr.stdout, "2\n", cr.stderr)
        let crlf = try run([try script("x = 1 + \\\r\n  2\r\nprint(x)\r\ny = missing_name\r\n")])
        XCTAssertEqual(crlf.status, 70)
        XCTAssertEqual(crlf.stdout, "3\n")
        XCTAssertTrue(crlf.stderr.hasSuffix(":4:5: error: undefined name 'missing_name'\n  y = missing_name\n      ^~~~~~~~~~~~\n"), crlf.stderr)
    }

    func testTheFirstClockIsNotNegative() throws {
        let r = try run(["-e", "print(clock() >= 0)"])
        XCTAssertEqual(r.stdout, "true\n", r.stderr)
    }

    func testStringsThatWouldDriveTheTerminalAreEscaped() throws {
        let hostile = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{202e}"
        let r = try run(["--plain"], stdin: "s = \"\(hostile)\"\ns\n[s, \"it's\"]\n:vars\nhelp(s)\n:load \(try script("x = 1 \u{0} + \(hostile)\n"))\n")
        XCTAssertEqual(r.stdout, """
            '\\x1b]0;pwned\\x07\\x1b[2J\\u202e'
            ['\\x1b]0;pwned\\x07\\x1b[2J\\u202e', "it's"]
            s  string '\\x1b]0;pwned\\x07\\x1b[2J\\u202e'

            """)
        XCTAssertTrue(r.stderr.contains("error: help: no builtin named '\\x1b]0;pwned\\x07\\x1b[2J\\u202e'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("  x = 1 \\x00 + \\x1b]0;pwned"), r.stderr)
        XCTAssertFalse((r.stdout + r.stderr).unicodeScalars.contains { [0x1b, 0x07, 0x00, 0x202e].contains($0.value) },
                       (r.stdout + r.stderr).debugDescription)
    }

    /// A tensor of rank 65,536 is refused where its shape is made (the engine's
    /// limit is NumPy's, 64), with the argument's column; nothing else runs.
    func testAVeryHighRankIsRefusedWhereTheShapeIsMade() throws {
        let sizes = "s = tolist(ones(65536, dtype=\"i64\"))\n"
        let r = try run(["-e", sizes + "x = zeros(s)\nprint(len(x.shape))"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains(":2:11: error: zeros: a tensor can have at most 64 dimensions, got 65536"),
                      r.stderr)
        XCTAssertEqual(r.stdout, "")
    }
}
