import XCTest
@testable import TenshEngine

/// Fixtures/sorting.json (scripts/fixtures/sorting.py): sort/topk/argsort (stable,
/// NaN largest), cumsum, rounding, isnan/isinf, allclose/equal, floor_divide/remainder.
final class SortingFixtureTests: XCTestCase {
    func testSortingAndRoundingOpsMatchPyTorch() throws {
        let (cases, gradients) = try checkFixtureCases("sorting", SortingDispatch.run)
        XCTAssertGreaterThanOrEqual(cases, 120)
        XCTAssertGreaterThanOrEqual(gradients, 60)
    }
}

enum SortingDispatch {
    static func run(_ c: FixtureCase, _ x: FixtureInputs) throws -> Tensor {
        let a = c.args
        func int(_ k: String) throws -> Int { try XCTUnwrap(a[k]?.int, "\(c.name): \(k)") }
        func bool(_ k: String) -> Bool { a[k]?.bool ?? false }
        switch c.op {
        case "sort_values": return try sort(x["x"], dim: int("dim"), descending: bool("descending")).values
        case "sort_indices": return try sort(x["x"], dim: int("dim"), descending: bool("descending")).indices
        case "argsort": return try argsort(x["x"], dim: int("dim"), descending: bool("descending"))
        case "topk_values": return try topk(x["x"], int("k"), dim: int("dim"), largest: bool("largest")).values
        case "topk_indices": return try topk(x["x"], int("k"), dim: int("dim"), largest: bool("largest")).indices
        case "cumsum": return try cumsum(x["x"], dim: int("dim"))
        case "floor": return try floor(x["x"])
        case "ceil": return try ceil(x["x"])
        case "trunc": return try trunc(x["x"])
        case "round": return try round(x["x"], decimals: a["decimals"]?.int ?? 0)
        case "isnan": return try isnan(x["x"])
        case "isinf": return try isinf(x["x"])
        case "allclose":
            let close = try allclose(x["a"], x["b"], rtol: a["rtol"]?.double ?? 1e-5, atol: a["atol"]?.double ?? 1e-8,
                                     equalNaN: bool("equal_nan"))
            return Tensor(scalar: close ? 1 : 0, dtype: .bool)
        case "equal": return Tensor(scalar: try equal(x["a"], x["b"]) ? 1 : 0, dtype: .bool)
        case "floor_divide": return try floorDivide(x["a"], x["b"])
        case "remainder": return try remainder(x["a"], x["b"])
        default: throw EngineError.invalid("fixture", "op", "no dispatch for op \(c.op) in \(c.name)")
        }
    }
}
