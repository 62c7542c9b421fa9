@testable import TenshLanguage
import TenshEngine
import XCTest

/// A name node remembers the global it found: rebinding, deleting, shadowing by
/// a function's locals and resetting the session must all be seen through it.
final class GlobalBindingTests: XCTestCase {
    private func output(_ source: String) -> String {
        let out = CapturedOutput()
        Session(output: out).run(source: source)
        return out.text
    }

    func testALoopSeesEachRebinding() {
        XCTAssertEqual(output("t = 0\nfor i in range(4) { t = t + i }\nprint(t, i)"), "6 3\n")
    }

    func testADeletedGlobalIsUndefinedAtTheSameNode() {
        let s = Session(output: CapturedOutput())
        s.run(source: "def read() = g\ng = 1")
        XCTAssertEqual(s.run(source: "x = read()").status, .ok)
        s.run(source: "del g")
        let outcome = s.run(source: "y = read()")
        XCTAssertEqual(outcome.status, .runtimeError)
        XCTAssertTrue(outcome.rendered.contains("undefined name 'g'"), outcome.rendered)
        s.run(source: "g = 5")
        XCTAssertEqual(s.run(source: "z = read()").status, .ok)
        guard case .int(5)? = s.value(of: "z") else { return XCTFail("z is \(String(describing: s.value(of: "z")))") }
    }

    func testALocalHidesTheGlobalAtTheSameNode() {
        let source = """
        v = 10
        def f(use_local) {
            if use_local { v = 1 }
            v
        }
        print(f(false), f(true), f(false), v)
        """
        XCTAssertEqual(output(source), "10 1 10 10\n")
    }

    func testResetReleasesTheGlobalsValues() {
        let s = Session(output: CapturedOutput())
        s.run(source: "t = zeros(3)\ndef f() = t\nu = f()")
        weak var held: Tensor?
        do {
            guard case .tensor(let t)? = s.value(of: "u") else { return XCTFail("u is not a tensor") }
            held = t
        }
        XCTAssertNotNil(held)
        s.reset()
        XCTAssertNil(held)
        XCTAssertNil(s.value(of: "t"))
        XCTAssertEqual(s.run(source: "t = 2\nv = t").status, .ok)
        guard case .int(2)? = s.value(of: "v") else { return XCTFail("v is not 2") }
    }

    /// `x.name()` on a tensor remembers what `name` found (and the global's cell):
    /// a variable of that name made, deleted or passed in later is still seen.
    func testAMethodCallSeesAVariableOfItsNameAtTheSameNode() {
        let source = """
        x = tensor([1, 2, 3])
        def call() = x.sum()
        a = call()
        def sum(t) = 42
        b = call()
        del sum
        c = call()
        def with_local(sum) = x.sum()
        d = with_local(lambda t: 7)
        e = [x.max() for k in range(3)]
        print(item(a), b, item(c), d, item(e[2]), item(call()))
        """
        XCTAssertEqual(output(source), "6.0 42 6.0 7 3.0 6.0\n")
    }
}
