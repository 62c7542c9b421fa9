import XCTest
@testable import TenshEngine

/// Fixtures/indexing.json (scripts/fixtures/indexing.py): advanced indexing,
/// index assignment and in-place methods on non-leaves (values and PyTorch's
/// gradients through CopySlices), gather/scatter_add/masked_fill, nonzero,
/// one_hot and bincount.
final class IndexingFixtureTests: XCTestCase {
    func testIndexingOpsMatchPyTorch() throws {
        let (cases, gradients) = try checkFixtureCases("indexing", IndexingDispatch.run)
        XCTAssertGreaterThanOrEqual(cases, 120)
        XCTAssertGreaterThan(gradients, 150)
    }
}

enum IndexingDispatch {
    static func run(_ c: FixtureCase, _ x: FixtureInputs) throws -> Tensor {
        let a = c.args
        func int(_ k: String) throws -> Int { try XCTUnwrap(a[k]?.int, "\(c.name): \(k)") }
        switch c.op {
        case "index": return try x["x"].indexed(spec(c, x))
        case "index_put":
            let y = try x["x"] * 1
            let value = x.has("v") ? try x["v"] * 3 : Tensor.wrapped(2.5, dtype: .float64)
            try y.assign(value, at: spec(c, x))
            return try y * y
        case "in_place": return try inPlace(c, x)
        case "gather": return try gather(x["x"], dim: int("dim"), index: x["index"])
        case "scatter_add": return try scatterAdd(x["x"], dim: int("dim"), index: x["index"], src: x["src"])
        case "masked_fill":
            return try maskedFill(x["x"], mask: x["mask"], value: .wrapped(XCTUnwrap(a["value"]?.double), dtype: .float64))
        case "masked_fill_tensor": return try maskedFill(x["x"], mask: x["mask"], value: x["v"] * 3)
        case "nonzero": return try nonzero(x["x"])
        case "one_hot": return try oneHot(x["x"], numClasses: int("num_classes"))
        case "bincount": return try bincount(x["x"], minlength: int("minlength"))
        case "bincount_weights": return try bincount(x["x"], weights: x["w"], minlength: int("minlength"))
        default: throw EngineError.invalid("fixture", "op", "no dispatch for op \(c.op) in \(c.name)")
        }
    }

    /// `y = x * 1`, the method applied to y (or to the view `spec` selects), then y².
    private static func inPlace(_ c: FixtureCase, _ x: FixtureInputs) throws -> Tensor {
        let y = try x["x"] * 1
        let target = c.args["spec"]?.string == nil ? y : try y.indexed(spec(c, x))
        switch try XCTUnwrap(c.args["method"]?.string) {
        case "zero_": try zeroInPlace(target)
        case "fill_": try fillInPlace(target, x.has("v") ? x["v"].indexed([.at(0)]) * 2 : .wrapped(1.5, dtype: .float64))
        case "add_": try addInPlace(target, x["v"] * 2)
        case "mul_": try mulInPlace(target, x["v"] * 2)
        case "clamp_": try clampInPlace(target, min: -0.5, max: 0.4)
        case "copy_": try copyInPlace(into: target, from: x["v"] * 2)
        case let m: throw EngineError.invalid("fixture", "method", "no in-place method \(m)")
        }
        return try y * y
    }

    /// "1:, T0, ..." with Tk the input named "tk" (as parse_spec in indexing.py).
    static func spec(_ c: FixtureCase, _ x: FixtureInputs) throws -> [TensorIndex] {
        try XCTUnwrap(c.args["spec"]?.string, c.name).split(separator: ",").map { raw in
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part.hasPrefix("T") { return .tensor(x["t" + part.dropFirst()]) }
            return try OpsDispatch.parseIndex(part)[0]
        }
    }
}
