import Foundation
import TenshEngine
import TenshLanguage
@testable import TenshRender
@testable import TenshWorkbench
import XCTest

/// Tensors built by tensh source in a fresh session (the language's names are
/// stabler than the engine's Swift API for tests of the views).
enum Scripted {
    final class Sink: OutputWriter {
        var text = ""
        func write(_ s: String) { text += s }
    }

    static func run(_ source: String) throws -> Session {
        let session = Session(output: Sink())
        let outcome = session.run(source: source)
        guard outcome.status == .ok else { throw TmuxSession.Failure(description: outcome.rendered) }
        return session
    }

    static func tensor(_ session: Session, _ name: String) throws -> Tensor {
        guard case .tensor(let t)? = session.value(of: name) else { throw TmuxSession.Failure(description: "no tensor \(name)") }
        return t
    }
}

/// `explain`: for every element of small convolution, transposed convolution
/// and pooling outputs, the terms the explanation lists make the value the
/// engine computed — so its index arithmetic (stride, padding, dilation,
/// groups, count_include_pad) is the engine's.
final class ExplainTests: XCTestCase {
    func assertEveryElementExplained(_ source: String, _ name: String = "y", file: StaticString = #filePath, line: UInt = #line) throws {
        let session = try Scripted.run(source)
        let y = try Scripted.tensor(session, name)
        let values = y.toDoubles()
        var i = 0
        for n in 0..<y.shape[0] { for c in 0..<y.shape[1] { for r in 0..<y.shape[2] { for s in 0..<y.shape[3] {
            let e = try ElementExplanation(y, index: [n, c, r, s])
            XCTAssertEqual(e.value, values[i], "value of y[\(n), \(c), \(r), \(s)]", file: file, line: line)
            XCTAssertEqual(e.total, values[i], accuracy: 1e-5 * max(1, abs(values[i])),
                           "\(e.op.rawValue) y[\(n), \(c), \(r), \(s)] from \(e.terms.count) terms", file: file, line: line)
            i += 1
        } } } }
    }

    func testConvolutionWithStridePaddingDilationGroupsAndBias() throws {
        try assertEveryElementExplained("""
        x = sin(arange(2 * 4 * 7 * 6) * 0.7).reshape(2, 4, 7, 6)
        w = param(cos(arange(6 * 2 * 3 * 3) * 1.1).reshape(6, 2, 3, 3))
        b = param(arange(6) * 0.1)
        y = conv2d(x, w, b, stride=[2, 1], padding=[1, 2], dilation=[1, 2], groups=2)
        """)
    }

    func testSamePaddingWithStride() throws {
        try assertEveryElementExplained("""
        x = sin(arange(50) * 0.3).reshape(1, 2, 5, 5)
        y = conv2d(x, param(ones(3, 2, 3, 3)), stride=2, padding="same")
        """)
    }

    func testTransposedConvolution() throws {
        try assertEveryElementExplained("""
        x = sin(arange(2 * 4 * 3 * 3) * 0.9).reshape(2, 4, 3, 3)
        w = param(cos(arange(4 * 3 * 4 * 4) * 0.4).reshape(4, 3, 4, 4))
        y = conv_transpose2d(x, w, param(ones(6) * 0.5), stride=2, padding=1, groups=2)
        """)
    }

    func testPoolings() throws {
        let x = "x = param(sin(arange(2 * 3 * 7 * 7) * 1.7).reshape(2, 3, 7, 7))\n"
        try assertEveryElementExplained(x + "y = max_pool2d(x, 3, stride=2, padding=1)")
        try assertEveryElementExplained(x + "y = max_pool2d(x, 2, dilation=2)")
        try assertEveryElementExplained(x + "y = avg_pool2d(x, 3, stride=2, padding=1)")
        try assertEveryElementExplained(x + "y = avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=false)")
        try assertEveryElementExplained(x + "y = avg_pool2d(x, 2, ceil_mode=true)")
        try assertEveryElementExplained(x + "y = adaptive_avg_pool2d(x, [3, 2])")
    }

    func testTheTermsOfOneConvolutionElement() throws {
        let session = try Scripted.run("""
        x = arange(16).reshape(1, 1, 4, 4)
        w = param(ones(1, 1, 3, 3))
        y = conv2d(x, w, param(tensor([0.5])), padding=1)
        """)
        let e = try ElementExplanation(try Scripted.tensor(session, "y"), index: [0, 0, 0, 0])
        XCTAssertEqual(e.field, PixelRegion(rows: -1..<2, columns: -1..<2))
        XCTAssertEqual(e.terms.map(\.input), [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 0, 1, 1]])
        XCTAssertEqual(e.terms.map { $0.weight ?? [] }, [[0, 0, 1, 1], [0, 0, 1, 2], [0, 0, 2, 1], [0, 0, 2, 2]])
        XCTAssertEqual(e.outside, 5, "five taps of the corner element fall on the padding")
        XCTAssertEqual(e.bias?.value, 0.5)
        XCTAssertEqual(e.value, 0 + 1 + 4 + 5 + 0.5)
        XCTAssertEqual(e.attributes, ["padding=[1, 1]"])
        let lines = e.lines(title: "y", inputName: "x", weightName: "w")
        XCTAssertEqual(lines[0], "y[0, 0, 0, 0] = 10.5  (Conv2d padding=[1, 1])")
        XCTAssertEqual(lines[1], "receptive field: x[0, 0:1, -1:2, -1:2]")
        XCTAssertEqual(lines[2], "  x[0, 0, 0, 0] = 0  × w[0, 0, 1, 1] = 1  → 0")
        XCTAssertEqual(Array(lines.suffix(4)), ["  (5 taps fall on the padding and add nothing)", "  sum of 4 products = 10",
                                               "  + bias[0] = 0.5", "  = 10.5"])
    }

    func testAnUnbatchedOutputTakesThreeIndices() throws {
        let session = try Scripted.run("y = conv2d(arange(16).reshape(1, 4, 4), param(ones(2, 1, 3, 3)))")
        let e = try ElementExplanation(try Scripted.tensor(session, "y"), index: [1, 1, 0])
        XCTAssertEqual(e.index, [0, 1, 1, 0])
        XCTAssertEqual(e.value, 4 + 5 + 6 + 8 + 9 + 10 + 12 + 13 + 14)
    }

    func testTheMaximumOfAPoolingIsMarked() throws {
        let session = try Scripted.run("x = param(tensor([[[[1.0, 5.0], [3.0, 2.0]]]]))\ny = max_pool2d(x, 2)")
        let e = try ElementExplanation(try Scripted.tensor(session, "y"), index: [0, 0, 0, 0])
        XCTAssertEqual(e.maximumTerm, 1)
        XCTAssertTrue(e.lines(title: "y")[3].hasSuffix("← max"))
        XCTAssertEqual(e.lines(title: "y").last, "  max of 4 values = 5")
    }

    func testWhatCannotBeExplainedSaysWhy() throws {
        let session = try Scripted.run("""
        x = ones(1, 1, 4, 4)
        h = relu(conv2d(x, param(ones(1, 1, 3, 3))))
        c = conv2d(x, ones(1, 1, 3, 3))
        y = conv2d(x, param(ones(2, 1, 3, 3)))
        """)
        XCTAssertThrowsError(try ElementExplanation(try Scripted.tensor(session, "h"), index: [0, 0, 0, 0])) {
            XCTAssertTrue("\($0)".contains("y was made by Relu"), "\($0)")
        }
        XCTAssertThrowsError(try ElementExplanation(try Scripted.tensor(session, "c"), index: [0, 0, 0, 0])) {
            XCTAssertTrue("\($0)".contains("has no recorded graph"), "\($0)")
        }
        for bad in [[0, 2, 0, 0], [0, 0, 0], [-1, 0, 0, 0], [0, 0, 2, 0]] {
            XCTAssertThrowsError(try ElementExplanation(try Scripted.tensor(session, "y"), index: bad)) {
                XCTAssertTrue("\($0)".contains("is not an element [n, c, i, j] of y (shape [1, 2, 2, 2])"), "\($0)")
            }
        }
    }
}
