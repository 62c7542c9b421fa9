import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// Runs every row of `BadInputTable` through a REPL session: the input must fail
/// with its message at its line:col, and the session must still work afterwards
/// (a variable defined before is intact, a new statement runs).
final class BadInputTableTests: XCTestCase {
    var npyFolder = ""

    override func setUpWithError() throws {
        npyFolder = NSTemporaryDirectory() + "tensh-bad-npy-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: npyFolder, withIntermediateDirectories: true)
        try Self.makeNpyFiles(in: npyFolder)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: npyFolder)
    }

    /// A version 1.0 `.npy` header for `descr`/`shape`, padded to a multiple of 64 bytes.
    static func npyHeader(descr: String, shape: String) -> [UInt8] {
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        let n = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(dict.utf8)
    }

    /// Broken files: truncated data, a header cut short, a shape larger than the data,
    /// a bad magic, an empty file, an unsupported dtype, and a shape above the allocation limit.
    static func makeNpyFiles(in folder: String) throws {
        let data = [UInt8](repeating: 0, count: 24)
        let good = npyHeader(descr: "<f4", shape: "(2, 3)")
        let files: [String: [UInt8]] = [
            "truncated.npy": good + data.prefix(16),
            "headonly.npy": Array(good.prefix(20)),
            "lying.npy": npyHeader(descr: "<f4", shape: "(9, 9)") + data,
            "badmagic.npy": Array("NOTNUMPY".utf8) + good.dropFirst(8) + data,
            "empty.npy": [],
            "complex.npy": npyHeader(descr: "<c8", shape: "(2, 3)") + data,
            "huge.npy": npyHeader(descr: "<f8", shape: "(100000, 100000)") + data,
        ]
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
    }

    func run(_ row: BadInputRow) -> (Session.Outcome, after: Session.Outcome, afterText: String) {
        let out = CapturedOutput()
        let session = Session(output: out, mode: .repl)
        session.display = RecordingDisplay(out)
        session.run(source: "kept = \"alive\"\nn = 41")
        let source = row.source.replacingOccurrences(of: "DIR", with: "\"\(npyFolder)\"")
        let outcome = session.run(source: source)
        let before = out.text.count
        let after = session.run(source: "print(kept, n + 1)")
        return (outcome, after, String(out.text.dropFirst(before)))
    }

    func testEveryBadInputFailsAtItsPlaceAndTheSessionSurvives() {
        let rows = BadInputTable.generated + BadInputTable.rows + BadInputTable.longInputs
        XCTAssertGreaterThanOrEqual(rows.count, 110)
        check(rows)
    }

    func testEveryGrowingValueIsCheckedAgainstTheAllocationLimit() {
        let saved = EngineConfig.maxTensorBytes
        EngineConfig.maxTensorBytes = BadInputTable.smallLimit
        defer { EngineConfig.maxTensorBytes = saved }
        check(BadInputTable.limited)
    }

    /// `for i in range(n)` walks the range without making its list: it runs
    /// under a limit its list would pass, and `range` itself is still refused.
    func testLoopsOverARangeMakeNoList() {
        let saved = EngineConfig.maxTensorBytes
        EngineConfig.maxTensorBytes = BadInputTable.smallLimit
        defer { EngineConfig.maxTensorBytes = saved }
        let out = CapturedOutput()
        let session = Session(output: out)
        let loop = session.run(source: "n = 0\nfor i in range(100000000) {\n n += 1\n if n == 100000 { break }\n}\nprint(n, i)")
        XCTAssertEqual(loop.status, .ok, loop.rendered)
        XCTAssertEqual(out.text, "100000 99999\n")
        let list = session.run(source: "r = range(100000000)")
        XCTAssertTrue(list.diagnostics.first?.message.contains("exceeds the allocation limit") ?? false, list.rendered)
        let shadowed = session.run(source: "def range(n) = [\"own\"]\nfor i in range(100000000) { print(i) }")
        XCTAssertEqual(shadowed.status, .ok, shadowed.rendered)
        XCTAssertEqual(out.text, "100000 99999\nown\n", "a user's own range is called as written")
    }

    func check(_ rows: [BadInputRow]) {
        let dump = ProcessInfo.processInfo.environment["TENSH_TABLE_PRINT"] != nil
        for row in rows {
            let (outcome, after, afterText) = run(row)
            let label = String(row.source.prefix(80))
            let first = outcome.diagnostics.first
            let location = first.map { "\($0.span.line):\($0.span.column)" } ?? "none"
            if dump { print("ROW \(label)\n  => \(outcome.status) \(location) \(first?.message.prefix(300) ?? "")") }
            XCTAssertTrue(outcome.status == .syntaxError || outcome.status == .runtimeError, "\(label): \(outcome.status)")
            XCTAssertEqual(location, row.location, "\(label): \(first?.message ?? "")")
            XCTAssertTrue(first?.message.contains(row.message) ?? false, "\(label): '\(first?.message ?? "")'")
            XCTAssertFalse(outcome.rendered.isEmpty, label)
            XCTAssertEqual(after.status, .ok, "\(label): the session stopped working")
            XCTAssertEqual(afterText, "alive 42\n", "\(label): the variable defined before was lost")
        }
    }

    func testEdgeInputsGiveIEEEResultsAndKeepRunning() {
        let dump = ProcessInfo.processInfo.environment["TENSH_TABLE_PRINT"] != nil
        for (source, expected) in BadInputTable.printing + BadInputTable.longPrinting {
            let out = CapturedOutput()
            let outcome = Session(output: out).run(source: source)
            let label = String(source.prefix(80))
            if dump { print("PRINT \(label)\n  => \(outcome.status) \(out.text.prefix(200).debugDescription) \(outcome.rendered.prefix(300))") }
            XCTAssertEqual(outcome.status, .ok, "\(label): \(outcome.rendered.prefix(300))")
            XCTAssertEqual(out.text, expected, label)
        }
    }
}
