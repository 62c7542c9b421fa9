import XCTest
@testable import TenshLanguage

/// The teardown clears a node's immutable `kind` through `storedKind`, which
/// finds the field by its offset: these check that it finds that field.
final class SyntaxTreeTests: XCTestCase {
    private let span = SourceSpan(line: 1, column: 1, length: 1, offset: 0)

    func testStoredKindIsTheKindField() {
        let leaf = Expr(.integer(0x5EED_1234, text: "probe"), span)
        guard case .integer(0x5EED_1234, "probe") = storedKind(of: leaf, ExprKind.self).pointee else {
            return XCTFail("storedKind does not read Expr.kind")
        }
        let statement = Stmt(.expression(leaf, silent: true), span)
        guard case .expression(let e, true) = storedKind(of: statement, StmtKind.self).pointee, e === leaf else {
            return XCTFail("storedKind does not read Stmt.kind")
        }
    }

    func testTeardownClearsOnlyTheDetachedNode() {
        let shared = Expr(.name("x"), span)
        var parent: Expr? = Expr(.binary(.add, shared, Expr(.integer(1, text: "1"), span)), span)
        weak var right: Expr?
        if case .binary(_, _, let r)? = parent?.kind { right = r }
        XCTAssertNotNil(right)
        parent = nil
        XCTAssertNil(right, "the uniquely held child is freed")
        guard case .name("x") = shared.kind else { return XCTFail("a child held elsewhere keeps its kind") }
    }

    func testLongChainsAreFreedWithoutRecursion() {
        var e = Expr(.integer(1, text: "1"), span)
        for _ in 0..<200_000 { e = Expr(.binary(.add, e, Expr(.integer(1, text: "1"), span)), span) }
        var s = Stmt(.expression(e, silent: false), span)
        for _ in 0..<100_000 { s = Stmt(.if(e, then: [s], else: nil), span) }
        _ = s  // both freed at the end of the test, from an explicit stack
    }
}
