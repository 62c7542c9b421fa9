import XCTest
@testable import TenshRender

final class ResampleTests: XCTestCase {
    func testSmallImagesAreMagnifiedByAWholeFactor() {
        XCTAssertTrue(Resample.fittedSize(rows: 3, columns: 4, maxRows: 16, maxColumns: 16) == (12, 16))
        XCTAssertTrue(Resample.fittedSize(rows: 5, columns: 5, maxRows: 9, maxColumns: 40) == (5, 5))
    }

    func testLargeImagesShrinkKeepingAspect() {
        XCTAssertTrue(Resample.fittedSize(rows: 100, columns: 50, maxRows: 20, maxColumns: 20) == (20, 10))
        XCTAssertTrue(Resample.fittedSize(rows: 1, columns: 1000, maxRows: 10, maxColumns: 10) == (1, 10))
        XCTAssertTrue(Resample.fittedSize(rows: 4, columns: 4, maxRows: 0, maxColumns: 10) == (0, 0))
    }

    func testAreaAverageOfWholeBlocks() {
        let m = Sample.ramp(rows: 4, columns: 4)
        let out = Resample.resampled(m, rows: 2, columns: 2)
        XCTAssertEqual(out.values, [2.5, 4.5, 10.5, 12.5])
    }

    func testAreaAverageWeightsPartialCoverage() {
        let m = Matrix([[3, 6, 9]])
        let out = Resample.resampled(m, rows: 1, columns: 2)
        // Each target covers 1.5 sources: (3 + 6 / 2) / 1.5 and (6 / 2 + 9) / 1.5.
        XCTAssertEqual(out[0, 0], 4, accuracy: 1e-12)
        XCTAssertEqual(out[0, 1], 8, accuracy: 1e-12)
    }

    func testMagnificationIsNearestNeighbour() {
        let out = Resample.resampled(Matrix([[1, 2], [3, 4]]), rows: 4, columns: 4)
        XCTAssertEqual(out.values, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    func testNaNPropagatesAndInfinityStaysInfinite() {
        let out = Resample.resampled(Matrix([[1, .nan, 1, 1], [1, 1, .infinity, 1]]), rows: 1, columns: 2)
        XCTAssertTrue(out[0, 0].isNaN)
        XCTAssertEqual(out[0, 1], .infinity)
    }

    func testTargetIndexOfASourcePixel() {
        XCTAssertEqual(Resample.targetIndex(ofSource: 1, source: 2, target: 6), 3...5)
        XCTAssertEqual(Resample.targetIndex(ofSource: 7, source: 8, target: 2), 1...1)
    }

    func testRaggedNestedRowsArePaddedWithNaN() {
        let m = Matrix([[1, 2, 3], [4]])
        XCTAssertEqual(m.columns, 3)
        XCTAssertTrue(m[1, 2].isNaN)
        XCTAssertTrue(m[9, 9].isNaN)
        XCTAssertEqual(Matrix(rows: 2, columns: 2, values: [1]).values.filter(\.isNaN).count, 3)
    }

    func testChannelsFromFlatCHWData() {
        let list = Matrix.channels(flat: (0..<12).map(Double.init), channels: 3, rows: 2, columns: 2)
        XCTAssertEqual(list.map(\.values), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
        let short = Matrix.channels(flat: [1, 2, 3, 4, 5], channels: 2, rows: 2, columns: 2)
        XCTAssertEqual(short[1][0, 0], 5)
        XCTAssertTrue(short[1][1, 1].isNaN)
        XCTAssertEqual(Matrix.channels([[[1, 2]], [[3, 4]]]).map(\.values), [[1, 2], [3, 4]])
    }
}
