import Foundation
import TenshLanguage
import XCTest

/// Docs/Language.md's builtin reference is generated from the registry; this
/// fails when the committed file drifts (regenerate with `tensh --dump-builtins`,
/// pasting its output between the markers, or `scripts/update-language-doc.sh`).
final class LanguageDocTests: XCTestCase {
    func testCommittedReferenceMatchesRegistry() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("Docs/Language.md"), encoding: .utf8)
        let section = try XCTUnwrap(LanguageReference.section(of: document), "Docs/Language.md has no generated section")
        XCTAssertEqual(section, LanguageReference.generated(), "Docs/Language.md is out of date: run scripts/update-language-doc.sh")
    }

    func testEveryBuiltinIsDocumented() {
        let generated = LanguageReference.generated()
        for b in BuiltinRegistry.standard.all {
            XCTAssertTrue(generated.contains("#### `\(b.signature)`"), b.name)
            XCTAssertFalse(b.summary.isEmpty, b.name)
            XCTAssertFalse(b.example.isEmpty, b.name)
        }
    }

    func testEveryBuiltinExampleParses() {
        for b in BuiltinRegistry.standard.all {
            XCTAssertEqual(Parser.parse(b.example).errors, [], "\(b.name): \(b.example)")
        }
    }
}
