import Foundation
import XCTest
import TenshRender

/// Whole-screen snapshots: `Snapshots/<name>.txt`, one buffer row per line, read
/// from the source tree. TENSH_RECORD_SNAPSHOTS=1 rewrites them instead of comparing.
enum Snapshot {
    static var isRecording: Bool { ProcessInfo.processInfo.environment["TENSH_RECORD_SNAPSHOTS"] == "1" }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Snapshots")
    }

    static func assertMatches(_ buffer: Buffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = buffer.lines
        let url = directory.appendingPathComponent(name + ".txt")
        if isRecording {
            do { try lines.map { $0 + "\n" }.joined().write(to: url, atomically: true, encoding: .utf8) } catch {
                XCTFail("could not record \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing snapshot \(name).txt — run with TENSH_RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
            return
        }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        XCTAssertEqual(lines.count, expectedLines.count, "\(name): row count", file: file, line: line)
        for (i, pair) in zip(lines, expectedLines).enumerated() where pair.0 != pair.1 {
            XCTFail("\(name): row \(i) differs\n  got:      \"\(pair.0)\"\n  expected: \"\(pair.1)\"", file: file, line: line)
        }
    }
}
