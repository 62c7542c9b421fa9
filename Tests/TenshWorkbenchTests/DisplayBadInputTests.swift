import Foundation
import TenshLanguage
import XCTest
@testable import TenshWorkbench

/// The display rows of the bad-input table, run against the real `PlainDisplay`
/// (what `--plain` and scripts use): bad `show`/`graph`/`plot` arguments,
/// images too large to allocate and unwritable `save_image` paths fail at their
/// argument, user text in messages is escaped, and the session keeps working.
final class DisplayBadInputTests: XCTestCase {
    static let rows: [(source: String, message: String, location: String)] = [
        ("show(zeros(2, 2, 2, 2, 2))", "show: expects a tensor with 1 to 4 dimensions, got shape [2, 2, 2, 2, 2]", "1:6"),
        ("show(zeros(1, 2, 3, 3), sample=5)", "show: sample 5 is out of range for 1 sample(s) (shape [1, 2, 3, 3])", "1:25"),
        ("show(zeros(2, 2), cmap=\"rainbow\")", "show: unknown colormap 'rainbow' (expected one of viridis, gray, diverging)", "1:19"),
        ("show(zeros(0, 3))", "show: cannot show a tensor with no elements (shape [0, 3])", "1:6"),
        ("show(\"text\")", "show: argument 'x' must be a tensor or a number, got string", "1:6"),
        ("plot(\"a\")", "plot: plot needs numbers, a 1-d tensor, or a list of them", "1:6"),
        ("plot([])", "plot: nothing to plot (no values)", "1:6"),
        ("plot(ones(1).expand(2000000000))", "plot: 2000000000 values to plot exceed the allocation limit of 8589934592 bytes as float64", "1:6"),
        ("save_image(zeros(2, 2), \"/nonexistent/dir/x.png\")", "save_image: cannot write '/nonexistent/dir/x.png': No such file or directory", "1:25"),
        ("save_image(zeros(2, 2), \"/\")", "save_image: '/' names a directory, not a file", "1:25"),
        ("save_image(zeros(2, 2), \"/proc/x.png\")", "save_image: cannot write '/proc/x.png'", "1:25"),
        ("save_image(zeros(2, 2, 2, 2, 2), \"/tmp/x.png\")", "save_image: expects a tensor with 1 to 4 dimensions, got shape [2, 2, 2, 2, 2]", "1:12"),
        ("save_image(zeros(2, 2), \"/tmp/x.png\", cmap=\"rainbow\")", "save_image: unknown colormap 'rainbow' (expected one of viridis, gray, diverging)", "1:39"),
        ("save_image(ones(1, 1).expand(40000, 40000), \"/tmp/x.png\")", "save_image: an image of 40000x40000 pixels is too large (shape [40000, 40000]): the limit is 67108864 pixels", "1:12"),
        ("save_image(ones(1).expand(100000000), \"/tmp/x.png\")", "save_image: an image of 100000000x1 pixels is too large (shape [100000000]): the limit is 67108864 pixels", "1:12"),
        ("save_image(ones(1, 1, 1, 1).expand(1, 70000, 1000, 1), \"/tmp/x.png\")", "save_image: an image of 529x265264 pixels is too large (shape [1, 70000, 1000, 1]): the limit is 67108864 pixels", "1:12"),
        ("show(zeros(2, 2), cmap=\"\u{1b}]0;pwned\u{7}\")", "show: unknown colormap '\\x1b]0;pwned\\x07' (expected one of viridis, gray, diverging)", "1:19"),
    ]

    func testDisplayBadInputsFailAtTheirArgumentAndTheSessionSurvives() {
        let dump = ProcessInfo.processInfo.environment["TENSH_TABLE_PRINT"] != nil
        for row in Self.rows {
            let out = CapturedOutput()
            let session = Session(output: out, mode: .repl)
            session.display = PlainDisplay(mode: .none, width: 80) { out.write($0) }
            session.run(source: "kept = \"alive\"")
            let outcome = session.run(source: row.source)
            let first = outcome.diagnostics.first
            let location = first.map { "\($0.span.line):\($0.span.column)" } ?? "none"
            if dump { print("DROW \(row.source)\n  => \(outcome.status) \(location) \(first?.message ?? "")") }
            XCTAssertEqual(outcome.status, .runtimeError, row.source)
            XCTAssertEqual(location, row.location, "\(row.source): \(first?.message ?? "")")
            XCTAssertTrue(first?.message.contains(row.message) ?? false, "\(row.source): '\(first?.message ?? "")'")
            let before = out.text.count
            XCTAssertEqual(session.run(source: "print(kept)").status, .ok, row.source)
            XCTAssertEqual(String(out.text.dropFirst(before)), "alive\n", row.source)
        }
    }
}
