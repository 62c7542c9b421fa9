import XCTest
@testable import TenshEngine

/// Tensors have at most 64 dimensions (NumPy's limit): every way of making a
/// shape refuses rank 65 (BadInputTests has those rows); rank 64 works everywhere.
final class RankLimitTests: XCTestCase {
    private let ones64 = [Int](repeating: 1, count: 64)

    func testRank64TensorsAreMadeAndUsed() throws {
        let z = try zeros(ones64)
        XCTAssertEqual(z.rank, 64)
        let r = try Tensor([2.5], shape: [1]).reshaped(ones64)
        XCTAssertEqual(r.rank, 64)
        XCTAssertEqual(try Tensor([2.5], shape: [1]).view(ones64).rank, 64)
        XCTAssertEqual(try Tensor([2.5], shape: [1]).expanded(ones64).rank, 64)
        XCTAssertEqual(try zeros([Int](repeating: 1, count: 63)).unsqueezed(0).rank, 64)
        XCTAssertEqual(try Tensor([2.5], shape: [1]).indexed([TensorIndex](repeating: .newAxis, count: 63) + [.all]).rank, 64)
        XCTAssertEqual(try sum(add(r, z)).item(), 2.5)
        let x = try Tensor([3], shape: [1]).reshaped(ones64).setRequiresGrad()
        try backward(sum(mul(x, x)))
        XCTAssertEqual(x.grad?.toDoubles(), [6])
        XCTAssertEqual(x.grad?.rank, 64)
    }

    func testTheLimitIsAResourceLimitNamingTheArgument() throws {
        XCTAssertThrowsError(try zeros([Int](repeating: 1, count: 65))) { error in
            let e = error as? EngineError
            XCTAssertEqual(e?.kind, .resourceLimit)
            XCTAssertEqual(e?.argument, "size")
            XCTAssertEqual(e?.message, "zeros: a tensor can have at most 64 dimensions, got 65")
        }
        XCTAssertThrowsError(try zeros([1]).reshaped([Int](repeating: 1, count: 65))) { error in
            XCTAssertEqual((error as? EngineError)?.argument, "shape")
        }
    }
}
