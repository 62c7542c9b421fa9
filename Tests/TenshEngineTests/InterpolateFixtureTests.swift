import XCTest
@testable import TenshEngine

/// Fixtures/interpolate.json (scripts/fixtures/interpolate.py): F.interpolate's
/// values and gradients for every mode, by size and by scale_factor, with align_corners.
final class InterpolateFixtureTests: XCTestCase {
    func testInterpolateMatchesPyTorch() throws {
        let (cases, gradients) = try checkFixtureCases("interpolate") { c, x in
            let mode = try XCTUnwrap(c.args["mode"]?.string.flatMap(InterpolationMode.init(rawValue:)), c.name)
            let factors = c.args["scale_factor"]?.string.map { $0.split(separator: ",").compactMap { Double($0) } }
            return try interpolate(x["x"], size: c.args["size"]?.ints, scaleFactor: factors, mode: mode,
                                   alignCorners: c.args["align_corners"]?.bool)
        }
        XCTAssertEqual(cases, 50)
        XCTAssertEqual(gradients, 50)
    }

    /// A 3-d input is one image [C, H, W]: the same as the batch of one.
    func testThreeDimensionalInputIsOneImage() throws {
        let x = try testTensor([2, 3, 4], seed: 3)
        for mode in InterpolationMode.allCases {
            let one = try interpolate(x, size: [5, 3], mode: mode)
            let batched = try interpolate(x.unsqueezed(0), size: [5, 3], mode: mode)
            XCTAssertEqual(one.shape, [2, 5, 3])
            XCTAssertEqual(one.toDoubles(), batched.toDoubles(), "\(mode)")
        }
    }

    func testUpsampleIsInterpolate() throws {
        let x = try testTensor([1, 2, 3, 5], seed: 8)
        for mode in InterpolationMode.allCases {
            let a = try upsample(x, scaleFactor: [1.5], mode: mode)
            let b = try interpolate(x, scaleFactor: [1.5], mode: mode)
            XCTAssertEqual(a.toDoubles(), b.toDoubles(), "\(mode)")
            XCTAssertEqual(a.gradFn?.op, b.gradFn?.op)
        }
    }

    func testBadArgumentsAreErrors() throws {
        let x = try testTensor([1, 1, 4, 4], seed: 1)
        XCTAssertThrowsError(try interpolate(x, size: [2, 2], mode: .nearest, alignCorners: false)) { e in
            XCTAssertTrue("\(e)".contains("align_corners option can only be set with the interpolating modes"), "\(e)")
        }
        XCTAssertThrowsError(try interpolate(x, size: [2, 2], scaleFactor: [2], mode: .bilinear))
        XCTAssertThrowsError(try interpolate(x, mode: .bicubic))
        XCTAssertThrowsError(try interpolate(x, scaleFactor: [0.1], mode: .area)) { e in
            XCTAssertTrue("\(e)".contains("empty output"), "\(e)")
        }
        XCTAssertThrowsError(try interpolate(x.to(.int64), size: [2, 2]))
        XCTAssertThrowsError(try interpolate(try testTensor([4, 4], seed: 2), size: [2, 2]))
    }
}
