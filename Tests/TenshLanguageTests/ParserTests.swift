@testable import TenshLanguage
import XCTest

/// The AST prints canonical source, so parser tests are round trips.
final class ParserTests: XCTestCase {
    /// (input, canonical form).
    static let cases: [(String, String)] = [
        ("a+b*c", "a + b * c"),
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("a-b-c", "a - b - c"),
        ("-2**2", "-2 ** 2"),
        ("(-2)**2", "(-2) ** 2"),
        ("2**3**2", "2 ** 3 ** 2"),
        ("(2**3)**2", "(2 ** 3) ** 2"),
        ("2**-1", "2 ** -1"),
        ("a @ b + c", "a @ b + c"),
        ("not a == b", "not a == b"),
        ("not (a and b)", "not (a and b)"),
        ("a or b and c", "a or b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("x<=1", "x <= 1"),
        ("f(x,2,k=3)", "f(x, 2, k=3)"),
        ("x.view(2,-1)", "x.view(2, -1)"),
        ("x.shape", "x.shape"),
        ("(a+b).T", "(a + b).T"),
        ("x[0]", "x[0]"),
        ("x[:, 1:3]", "x[:, 1:3]"),
        ("x[...,-1]", "x[..., -1]"),
        ("x[::2]", "x[::2]"),
        ("x[1:]", "x[1:]"),
        ("x[:2, ::-1]", "x[:2, ::-1]"),
        ("[[1,2],[3,-4.5]]", "[[1, 2], [3, -4.5]]"),
        ("[w, b]", "[w, b]"),
        ("[]", "[]"),
        ("1e-3", "1e-3"),
        ("'it\\'s'", "\"it's\""),
        ("\"a\\nb\"", "\"a\\nb\""),
        ("true and none", "true and none"),
        ("x = 1", "x = 1"),
        ("a, b = f(x)", "a, b = f(x)"),
        ("a, b = b, a", "a, b = (b, a)"),
        ("t = (1,)", "t = (1,)"),
        ("d = {\"lr\": 0.1, k: v}", "d = {\"lr\": 0.1, k: v}"),
        ("d[\"k\"] = v", "d[\"k\"] = v"),
        ("w.grad = none", "w.grad = none"),
        ("x[:, 1:3] = 0", "x[:, 1:3] = 0"),
        ("l = [f(v) for v in xs if v > 0]", "l = [f(v) for v in xs if v > 0]"),
        ("e = {k: v for k, v in d.items()}", "e = {k: v for k, v in d.items()}"),
        ("print(f\"epoch {e:3d}: {loss:.4f}\")", "print(f\"epoch {e:3d}: {loss:.4f}\")"),
        ("y = a if c else b", "y = a if c else b"),
        ("f = lambda x, k=2: x * k", "f = lambda x, k=2: x * k"),
        ("ok = 0 <= i < n", "ok = 0 <= i < n"),
        ("z = a // b % c", "z = a // b % c"),
        ("p = x is not none and k not in d", "p = x is not none and k not in d"),
        ("del d[k]", "del d[k]"),
        ("import torch.nn.functional as F", "import torch.nn.functional as F"),
        ("for k, v in d.items() { print(k) }", "for k, v in d.items() { print(k) }"),
        ("x += 2", "x += 2"),
        ("w -= lr * w.grad", "w -= lr * w.grad"),
        ("def f(x, k=2) = relu(x) * k", "def f(x, k=2) = relu(x) * k"),
        ("def g(x) {\n h = x\n return h\n}", "def g(x) { h = x; return h }"),
        ("if a { b } else if c { d } else { e }", "if a { b } else if c { d } else { e }"),
        ("if a {\n b\n}\nelse {\n c\n}", "if a { b } else { c }"),
        ("for i in range(3) { print(i) }", "for i in range(3) { print(i) }"),
        ("while x < 3 { x += 1; continue }", "while x < 3 { x += 1; continue }"),
        ("no_grad { y = x }", "no_grad { y = x }"),
        ("time { f(x) }", "time { f(x) }"),
        ("x;", "x;"),
        ("for i in xs { break }", "for i in xs { break }"),
    ]

    func testRoundTrips() {
        for (input, canonical) in Self.cases {
            let (statements, errors) = Parser.parse(input)
            XCTAssertEqual(errors, [], "\(input)")
            XCTAssertEqual(statements.map(\.description).joined(separator: "\n"), canonical, "\(input)")
            // The canonical form parses back to itself.
            let again = Parser.parse(canonical).statements.map(\.description).joined(separator: "\n")
            XCTAssertEqual(again, canonical, "re-parse of \(canonical)")
        }
    }

    func testTensorLiteralsAndLists() throws {
        func kind(_ s: String) -> String {
            guard let stmt = Parser.parse(s).statements.first, case .expression(let e, _) = stmt.kind else { return "?" }
            switch e.kind {
            case .tensorLiteral(_, let values, let shape): return "tensor \(shape) \(values)"
            case .list(let items): return "list \(items.count)"
            default: return "other"
            }
        }
        XCTAssertEqual(kind("[[1, 2], [3, -4]]"), "tensor [2, 2] [1.0, 2.0, 3.0, -4.0]")
        XCTAssertEqual(kind("[-1.5]"), "tensor [1] [-1.5]")
        XCTAssertEqual(kind("[[1, 2], [3]]"), "list 2")
        XCTAssertEqual(kind("[1, x]"), "list 2")
        XCTAssertEqual(kind("[true]"), "list 1")
        XCTAssertEqual(kind("[]"), "list 0")
    }

    func testSpansPointAtTheExpression() throws {
        let stmt = try XCTUnwrap(Parser.parse("y = conv2d(x, w, padding=1)").statements.first)
        guard case .assign(_, let value) = stmt.kind, case .call(_, let args) = value.kind else {
            return XCTFail("not a call")
        }
        XCTAssertEqual(value.span.column, 5)
        XCTAssertEqual(value.span.length, 23)
        XCTAssertEqual(args[2].span.column, 18)
        XCTAssertEqual(args[2].span.length, 9)
    }

    func testOneErrorPerStatementAndRecovery() {
        let (statements, errors) = Parser.parse("a = )\nb = 2\nc = (1 +\n2 +)\nd = 4")
        XCTAssertEqual(errors.map(\.span.line), [1, 4])
        XCTAssertEqual(statements.map(\.description), ["b = 2", "d = 4"])
    }

    func testNeedsMoreInput() {
        XCTAssertTrue(Parser.needsMoreInput("f(1,"))
        XCTAssertTrue(Parser.needsMoreInput("for i in xs {"))
        XCTAssertFalse(Parser.needsMoreInput("f(1)"))
        XCTAssertFalse(Parser.needsMoreInput("x = ]"))
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "-", count: 5000) + "1"
        let errors = Parser.parse(deep).errors
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.message.contains("nesting too deep") ?? false)
        let brackets = String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000)
        XCTAssertEqual(Parser.parse(brackets).errors.first?.message.contains("nesting too deep"), true)
    }
}
