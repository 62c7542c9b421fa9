import XCTest
@testable import TenshEngine

/// Engine errors name the wrong argument as the language's builtins declare it
/// (`conv2d(x, w, b, ...)`, `matmul(x, y)`, `fold(cols, ...)`), so a
/// diagnostic's caret can land on that argument without a translation table.
final class ArgumentNameTests: XCTestCase {
    private func argument(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return "no error" } catch let e as EngineError { return e.argument } catch { return "\(error)" }
    }

    func testConvolutionErrorsNameXWB() throws {
        let x = try zeros([1, 3, 8, 8]), w = try zeros([8, 3, 3, 3])
        XCTAssertEqual(argument { try conv2d(x, try zeros([8, 4, 3, 3])) }, "w")
        XCTAssertEqual(argument { try conv2d(try zeros([8, 8]), w) }, "x")
        XCTAssertEqual(argument { try conv2d(x, w, bias: try zeros([7])) }, "b")
        XCTAssertEqual(argument { try conv2d(x, try zeros([8, 3, 9, 3])) }, "w")
        XCTAssertEqual(argument { try conv2d(x, w, stride: [0]) }, "stride")
        XCTAssertEqual(argument { try depthwiseConv2d(x, try zeros([3, 2, 3, 3])) }, "w")
        XCTAssertEqual(argument { try convTranspose2d(x, try zeros([4, 2, 3, 3])) }, "w")
        XCTAssertEqual(argument { try fold(try zeros([1, 8, 5]), outputSize: [3, 4], kernelSize: [2]) }, "cols")
        XCTAssertEqual(argument { try unfold(try zeros([2, 2]), kernelSize: [2]) }, "x")
    }

    func testLinearAlgebraErrorsNameXWBY() throws {
        XCTAssertEqual(argument { try matmul(try zeros([2, 3]), try zeros([2, 3])) }, "y")
        XCTAssertEqual(argument { try linear(try zeros([2, 3]), try zeros([4, 5])) }, "x")
        XCTAssertEqual(argument { try linear(try zeros([2, 3]), try zeros([4])) }, "w")
        XCTAssertEqual(argument { try linear(try zeros([2, 3]), try zeros([4, 3]), bias: try zeros([5])) }, "b")
        XCTAssertEqual(argument { try outer(try zeros([2, 2]), try zeros([2])) }, "x")
        XCTAssertEqual(argument { try outer(try zeros([2]), try zeros([2, 2])) }, "y")
        XCTAssertEqual(argument { try pow(try zeros([2], dtype: .int64), try full([2], -1, dtype: .int64)) }, "y")
    }

    func testShapeAndLayerErrorsNameTheirParameters() throws {
        XCTAssertEqual(argument { try zeros([2, 3]).reshaped([1 << 40, 1 << 40]) }, "shape")
        XCTAssertEqual(argument { try zeros([2, 3]).expanded([4, 3, 2]) }, "size")
        XCTAssertEqual(argument { try zeros([-1]) }, "size")
        XCTAssertEqual(argument { try heNormal([4]) }, "size")
        XCTAssertEqual(argument { try mean(try zeros([2], dtype: .int64)) }, "x")
        XCTAssertEqual(argument { try batchNorm(try zeros([1, 2]), training: true) }, "x")
        XCTAssertEqual(argument { try adaptiveAvgPool2d(try zeros([1, 1, 4, 4]), outputSize: [1 << 25]) }, "output_size")
        XCTAssertEqual(argument { try upsample(try zeros([1, 1, 4, 4]), size: [1 << 40, 1]) }, "size")
        XCTAssertEqual(argument { try mseLoss(try zeros([2]), try zeros([3])) }, "target")
        XCTAssertEqual(argument { try Tensor([1, 2, 3], shape: [2]) }, "data")
    }
}
