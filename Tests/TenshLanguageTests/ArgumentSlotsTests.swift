@testable import TenshLanguage
import XCTest

/// Bound arguments are kept by parameter position: four inline, the rest in a list.
final class ArgumentSlotsTests: XCTestCase {
    func testSlotsBeyondTheInlineFourAndNamesNotDeclared() {
        var slots = ArgumentSlots<Int>(names: ["a", "b", "c", "d", "e", "f"])
        XCTAssertNil(slots["a"])
        XCTAssertNil(slots["f"])
        for (i, name) in ["f", "a", "e", "d"].enumerated() { slots[name] = i }
        XCTAssertEqual(slots["f"], 0)
        XCTAssertEqual(slots["a"], 1)
        XCTAssertEqual(slots["e"], 2)
        XCTAssertEqual(slots["d"], 3)
        XCTAssertNil(slots["b"])
        slots["extra"] = 9
        XCTAssertEqual(slots["extra"], 9)
        slots["a"] = nil
        XCTAssertNil(slots["a"])
        let literal: ArgumentSlots<Int> = ["y": 1, "x": 2]
        XCTAssertEqual(literal["x"], 2)
        XCTAssertNil(literal["z"])
    }

    /// conv2d's `groups` and `padding` are its seventh and fifth parameters.
    func testKeywordsPastTheFourthParameterBindAndReportAtTheirSpan() {
        let out = CapturedOutput()
        let s = Session(output: out)
        s.run(source: "x = ones(1, 1, 3, 3)\nw = ones(1, 1, 1, 1)\nprint(conv2d(x, w, groups=1, padding=1).shape)")
        XCTAssertEqual(out.text, "(1, 1, 5, 5)\n")
        let bad = s.run(source: "z = conv2d(x, w, groups=\"a\")")
        XCTAssertTrue(bad.rendered.hasPrefix("<stdin>:1:18: error: conv2d: argument 'groups' must be an int, got string"), bad.rendered)
    }
}
