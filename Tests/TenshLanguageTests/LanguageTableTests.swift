import Foundation
import TenshEngine
import TenshLanguage
import XCTest

/// The language table (Fixtures/language.json, written by scripts/fixtures/language.py):
/// each snippet's tensh side must print what its Python/PyTorch side printed, and
/// each error row must fail with the message at the column (its Python side failed too).
final class LanguageTableTests: XCTestCase {
    struct Row: Decodable {
        let tensh: String
        let python: String
        let output: String?
        let error: String?
        let at: String?
    }

    struct Table: Decodable { let rows: [Row] }

    static func rows() throws -> [Row] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "language", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Table.self, from: Data(contentsOf: url)).rows
    }

    func testTheTableCoversTheLanguage() throws {
        let rows = try Self.rows()
        XCTAssertGreaterThanOrEqual(rows.count, 200)
        XCTAssertGreaterThanOrEqual(rows.filter { $0.error != nil }.count, 30)
        let all = rows.map(\.tensh).joined(separator: "\n")
        for feature in ["f'", "{k: v", "for v in", ".append(", "del ", " // ", " % ", " is none", " not in ", "x[idx] =",
                        "x[x < 0] = 0", "torch.", "F.", ".float()", ".size(", "dict(", "lambda", ".values", "import "] {
            XCTAssertTrue(all.contains(feature), "no row uses \(feature)")
        }
    }

    func testEveryRowMatchesPython() throws {
        for row in try Self.rows() {
            let out = CapturedOutput()
            let outcome = Session(output: out).run(source: row.tensh, file: "<row>")
            if let message = row.error, let at = row.at {
                let d = outcome.diagnostics.first
                XCTAssertEqual(d.map { "\($0.span.line):\($0.span.column)" }, at, "\(row.tensh): \(outcome.rendered)")
                XCTAssertTrue(d?.message.contains(message) ?? false, "\(row.tensh): '\(d?.message ?? "no error")' lacks '\(message)'")
            } else {
                XCTAssertEqual(outcome.status, .ok, "\(row.tensh): \(outcome.rendered)")
                XCTAssertEqual(out.text, row.output, "\(row.tensh)\n  python: \(row.python)")
            }
        }
    }
}
