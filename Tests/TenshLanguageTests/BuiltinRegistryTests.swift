@testable import TenshLanguage
import TenshEngine
import XCTest

/// The registry drives binding, help and docs; a new builtin is one entry.
final class BuiltinRegistryTests: XCTestCase {
    static let twice = Builtin("twice", "Test", [.required("x", .tensor), .optional("times", .int, "2")],
                               summary: "x * times.", example: "twice(x)") { a in
        .tensor(try mul(try a.tensor("x"), Tensor.wrapped(Double(try a.int("times")), dtype: .int64)))
    }

    func session(_ extra: [Builtin]) -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        return (Session(output: out, registry: BuiltinRegistry(BuiltinRegistry.standard.all + extra)), out)
    }

    func testOneEntryAddsABuiltinWithBindingHelpAndDocs() {
        let (s, out) = session([Self.twice, Self.twice.alias("double_it")])
        s.run(source: "print(tolist(twice([1, 2])), tolist(double_it([3], times=3)))")
        XCTAssertEqual(out.text, "[2.0, 4.0] [9.0]\n")
        let bad = s.run(source: "twice([1], tims=3)")
        XCTAssertEqual(bad.diagnostics.first?.message, "twice has no keyword argument 'tims'; did you mean 'times'?")
        XCTAssertEqual(bad.diagnostics.first?.span.column, 12)
        XCTAssertEqual(s.registry["double_it"]?.signature, "double_it(x, times=2)")
        XCTAssertTrue(s.completions(line: "twice(x, ti", word: "ti").contains("times="))
        XCTAssertTrue(LanguageReference.generated(s.registry).contains("#### `twice(x, times=2)`"))
    }

    func testDefaultsComeFromTheDocumentedText() {
        XCTAssertEqual(defaultValue("none").typeName, "none")
        XCTAssertEqual(defaultValue("1e-6").number, 1e-6)
        XCTAssertEqual(defaultValue("\"zeros\"").text, "zeros")
        XCTAssertEqual(defaultValue("false").number, 0)
    }

    func testKeywordOnlyAfterVariadic() {
        let zeros = BuiltinRegistry.standard["zeros"]
        XCTAssertEqual(zeros?.parameters.map(\.isKeywordOnly), [false, true, true])
        XCTAssertEqual(zeros?.signature, "zeros(size..., dtype=\"f32\", requires_grad=false)")
    }

    func testVariadicElementTypeErrorPointsAtTheElement() {
        let (s, _) = session([])
        let outcome = s.run(source: "zeros(2, \"3\")")
        XCTAssertEqual(outcome.diagnostics.first?.span.column, 10)
        XCTAssertEqual(outcome.diagnostics.first?.message, "zeros: argument 2 of 'size' must be sizes (ints or a list of ints), got string")
    }

    func testRepeatedKeywordIsAnError() {
        let (s, _) = session([])
        let outcome = s.run(source: "sum(ones(2), 0, dim=0)")
        XCTAssertEqual(outcome.diagnostics.first?.message, "sum got two values for argument 'dim'")
    }

    func testNamesAreUnique() {
        let names = BuiltinRegistry.standard.names
        XCTAssertEqual(Set(names).count, names.count)
    }
}

extension BuiltinRegistryTests {
    /// An engine error naming `w` lands on the builtin's `w` argument.
    func testEngineArgumentNamesMapToParameterSpans() {
        let failing = Builtin("conv_like", "Test", [.required("x", .tensor), .required("w", .tensor)],
                              summary: "fails", example: "conv_like(x, w)") { _ in
            throw EngineError(op: "conv_like", argument: "w", "weight has the wrong shape")
        }
        let (s, _) = session([failing])
        let outcome = s.run(source: "y = conv_like(ones(1), ones(2))")
        XCTAssertEqual(outcome.diagnostics.first?.span.column, 24)
        XCTAssertEqual(outcome.diagnostics.first?.message, "conv_like: weight has the wrong shape")
    }
}
