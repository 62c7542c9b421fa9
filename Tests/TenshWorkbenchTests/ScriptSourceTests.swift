import Foundation
import XCTest

/// The real binary reads scripts (`tensh FILE`, `tensh check FILE`, `:load FILE`)
/// through one reader: a device, a directory or a FIFO is refused with exit 66
/// (never read, never waited on), and so is a file above the 16 MiB source
/// limit; file names and option values are escaped before they are printed.
final class ScriptSourceTests: ScratchDirectoryTestCase {
    func fifo() throws -> String {
        let path = scratch + "/pipe.tsh"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        return path
    }

    func testDevicesDirectoriesAndFifosAreRefusedWith66() throws {
        let pipe = try fifo()
        let cases: [([String], String)] = [
            (["/dev/zero"], "cannot read '/dev/zero': it is a character device, not a regular file"),
            (["check", "/dev/urandom"], "cannot read '/dev/urandom': it is a character device, not a regular file"),
            ([scratch], "it is a directory, not a regular file"),
            ([pipe], "cannot read '\(pipe)': it is a FIFO, not a regular file"),
            (["check", pipe], "it is a FIFO, not a regular file"),
        ]
        for (arguments, message) in cases {
            let result = try TenshProcess.run(arguments)
            XCTAssertFalse(result.timedOut, "\(arguments) hung")
            XCTAssertEqual(result.status, 66, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("tensh: cannot read '"), "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasSuffix(message + "\n"), "\(arguments): \(result.stderr)")
        }
    }

    func testTheSourceSizeLimit() throws {
        let limit = 16 << 20
        let atLimit = scratch + "/at-limit.tsh", above = scratch + "/above.tsh"
        // A comment line padded to the limit, then a statement that prints.
        let line = "print(\"ran\")\n"
        let padding = "#" + String(repeating: "x", count: limit - line.utf8.count - 2) + "\n"
        try (padding + line).write(toFile: atLimit, atomically: false, encoding: .utf8)
        try ("#" + padding + line).write(toFile: above, atomically: false, encoding: .utf8)
        let ran = try TenshProcess.run([atLimit])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        XCTAssertEqual(ran.stdout, "ran\n")
        let refused = try TenshProcess.run([above])
        XCTAssertEqual(refused.status, 66)
        XCTAssertEqual(refused.stderr, "tensh: cannot read '\(above)': it is larger than 16 MiB, the limit for source files\n")
        XCTAssertEqual(try TenshProcess.run(["check", above]).status, 66)
    }

    func testLoadRefusesDevicesAndFifosAndTheSessionGoesOn() throws {
        let pipe = try fifo()
        let result = try TenshProcess.run(["--plain"], stdin: "x = 41\n:load /dev/zero\nprint(x + 1)\n:load \(pipe)\nprint(x + 2)\n")
        XCTAssertFalse(result.timedOut)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            cannot read '/dev/zero': it is a character device, not a regular file
            42
            cannot read '\(pipe)': it is a FIFO, not a regular file
            43

            """)
    }

    func testHostileFileNamesAndOptionsAreEscaped() throws {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J.tsh"
        let escaped = "\\x1b]0;pwned\\x07\\x1b[2J.tsh"
        let missing = try TenshProcess.run([scratch + "/" + hostile])
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "tensh: cannot open '\(scratch)/\(escaped)': No such file or directory\n")

        let path = scratch + "/" + hostile
        try "y = undefined_thing\n".write(toFile: path, atomically: false, encoding: .utf8)
        let failed = try TenshProcess.run([path])
        XCTAssertEqual(failed.status, 70)
        XCTAssertTrue(failed.stderr.hasPrefix("\(scratch)/\(escaped):1:5: error: "), failed.stderr)
        let loaded = try TenshProcess.run(["--plain"], stdin: ":load \(path)\nprint(7)\n:load \(hostile)x\nprint(8)\n")
        XCTAssertEqual(loaded.stdout, "7\ncannot open '\(escaped)x': No such file or directory\n8\n")
        XCTAssertTrue(loaded.stderr.hasPrefix("\(scratch)/\(escaped):1:5: error: "), loaded.stderr)

        let option = try TenshProcess.run(["--color=\u{1b}[2J"])
        XCTAssertEqual(option.status, 64)
        XCTAssertTrue(option.stderr.hasPrefix("tensh: --color must be auto, always or never, got '\\x1b[2J'\n"), option.stderr)
        for result in [missing, failed, loaded, option] {
            XCTAssertFalse((result.stdout + result.stderr).contains { $0 == "\u{1b}" || $0 == "\u{7}" }, result.stderr)
        }
    }
}
