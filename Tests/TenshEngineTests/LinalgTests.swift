import XCTest
@testable import TenshEngine

final class LinalgTests: XCTestCase {
    func testAgainstPyTorchFixtures() throws {
        let cases = try Fixtures.load("linalg")
        XCTAssertGreaterThan(cases.count, 20)
        for c in cases {
            let inputs = try c.inputOrder.map { try XCTUnwrap(c.inputs[$0]).tensor().setRequiresGrad() }
            let out: Tensor
            switch c.op {
            case "matmul": out = try matmul(inputs[0], inputs[1])
            case "linear": out = try linear(inputs[0], inputs[1], bias: inputs.count > 2 ? inputs[2] : nil)
            case "outer": out = try outer(inputs[0], inputs[1])
            default: XCTFail("unknown op \(c.op)"); continue
            }
            assertClose(out, try c.output.tensor(), c.name)
            guard let go = c.gradOutput, let grads = c.grads else { continue }
            let gs = try grad([out], inputs, gradOutputs: [go.tensor()])
            for (name, g) in zip(c.inputOrder, gs) {
                assertClose(try XCTUnwrap(g), try XCTUnwrap(grads[name]).tensor(), "\(c.name) grad \(name)")
            }
        }
    }

    func testGradcheck() throws {
        assertGradcheck({ try matmul($0[0], $0[1]) }, [try testTensor([2, 3, 4], seed: 1), try testTensor([4, 2], seed: 2)], second: true)
        assertGradcheck({ try matmul($0[0], $0[1]) }, [try testTensor([3], seed: 3), try testTensor([2, 3, 2], seed: 4)])
        assertGradcheck({ try linear($0[0], $0[1], bias: $0[2]) },
                        [try testTensor([5, 3], seed: 5), try testTensor([2, 3], seed: 6), try testTensor([2], seed: 7)], second: true)
        assertGradcheck({ try outer($0[0], $0[1]) }, [try testTensor([3], seed: 8), try testTensor([2], seed: 9)])
    }

    func testErrorsNameTheShapes() throws {
        XCTAssertThrowsError(try matmul(ones([2, 3]), ones([4, 2]))) { e in
            XCTAssertEqual("\(e)", "matmul: shapes [2, 3] and [4, 2] cannot be multiplied (3 columns vs 4 rows)")
        }
        XCTAssertThrowsError(try matmul(ones([2, 3]), ones([3], dtype: .float64)))
        XCTAssertThrowsError(try matmul(ones([]), ones([3])))
        XCTAssertThrowsError(try linear(ones([2, 3]), ones([4, 5])))
        XCTAssertThrowsError(try linear(ones([2, 3]), ones([4, 3]), bias: ones([7]))) { e in
            XCTAssertEqual("\(e)", "linear: bias has shape [7] but the weight has 4 output features (weight [4, 3])")
        }
        XCTAssertThrowsError(try matmul(ones([2, 2, 3]), ones([3, 3, 2]))) // batch 2 vs 3
    }
}
