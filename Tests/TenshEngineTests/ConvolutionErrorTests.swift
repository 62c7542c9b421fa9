import XCTest
@testable import TenshEngine

/// Bad arguments throw EngineError messages naming the op, the argument and the shapes.
final class ConvolutionErrorTests: XCTestCase {
    private func message(_ body: () throws -> Tensor) -> String {
        do { _ = try body(); return "no error" } catch let e as EngineError { return e.message } catch { return "\(error)" }
    }

    func testConv2dErrors() throws {
        let x = try zeros([1, 3, 8, 8]), w = try zeros([8, 4, 3, 3])
        XCTAssertEqual(message { try conv2d(x, w) },
                       "conv2d: input has 3 channels but weight expects 4 (weight [8, 4, 3, 3], groups=1)")
        let w3 = try zeros([8, 3, 3, 3])
        XCTAssertEqual(message { try conv2d(x, w3, stride: [0, 1]) }, "conv2d: stride must be positive, got [0, 1]")
        XCTAssertEqual(message { try conv2d(x, w3, dilation: [-1]) }, "conv2d: dilation must be positive, got [-1]")
        XCTAssertEqual(message { try conv2d(x, w3, padding: [-1]) }, "conv2d: padding must be non-negative, got [-1]")
        XCTAssertEqual(message { try conv2d(x, try zeros([8, 1, 3, 3]), groups: 2) },
                       "conv2d: input channels 3 are not divisible by groups=2 (input [1, 3, 8, 8])")
        XCTAssertEqual(message { try conv2d(x, try zeros([8, 3, 9, 3])) },
                       "conv2d: kernel height 9 (dilated to 9) is larger than the padded input height 8 (input [1, 3, 8, 8], weight [8, 3, 9, 3])")
        XCTAssertEqual(message { try conv2d(try zeros([8, 8]), w3) },
                       "conv2d: expected a 4-d input [N, C, H, W] (or 3-d [C, H, W]), got shape [8, 8]")
        XCTAssertEqual(message { try conv2d(x, try zeros([8, 3, 3, 3], dtype: .float64)) },
                       "conv2d: input is f32 but weight is f64; convert one of them")
        XCTAssertEqual(message { try conv2d(x, w3, bias: try zeros([7])) },
                       "conv2d: bias must have shape [8], got [7] (weight [8, 3, 3, 3])")
        XCTAssertEqual(message { try conv2d(try zeros([1, 3, 2, 8]), w3, padding: 2, paddingMode: .reflect) },
                       "conv2d: reflect padding 2 must be smaller than the input size 2 of dimension 2 (input [1, 3, 2, 8], pad [2, 2, 2, 2])")
        XCTAssertEqual(message { try conv2d(x, w3, stride: [1 << 40]) },
                       "conv2d: stride [1099511627776] is too large (at most 1048576)")
        XCTAssertEqual(message { try conv2d(x, w3, padding: .explicit([Int.max])) },
                       "conv2d: padding [9223372036854775807] is too large (at most 1048576)")
        XCTAssertEqual(message { try conv2d(x, try zeros([8, 0, 3, 3]), groups: Int.max) },
                       "conv2d: groups=9223372036854775807 exceeds the 3 input channels (input [1, 3, 8, 8])")
        XCTAssertEqual(message { try conv2d(x, w3, padding: [1, 2, 3]) },
                       "conv2d: padding needs 1, 2 ([height, width]) or 4 ([left, right, top, bottom]) values, got [1, 2, 3]")
    }

    func testConvTransposeErrors() throws {
        let x = try zeros([1, 4, 5, 5]), w = try zeros([4, 2, 3, 3])
        XCTAssertEqual(message { try convTranspose2d(x, w, stride: [2], outputPadding: [2]) },
                       "conv_transpose2d: output_padding [2] must be smaller than either stride [2, 2] or dilation [1, 1]")
        XCTAssertEqual(message { try convTranspose2d(x, try zeros([3, 2, 3, 3])) },
                       "conv_transpose2d: input has 4 channels but weight expects 3 (weight [3, 2, 3, 3], groups=1)")
        XCTAssertEqual(message { try convTranspose2d(x, w, groups: Int.max) },
                       "conv_transpose2d: groups=9223372036854775807 exceeds the 4 input channels (input [1, 4, 5, 5])")
        XCTAssertEqual(message { try convTranspose2d(x, w, groups: 3) },
                       "conv_transpose2d: input channels 4 are not divisible by groups=3 (input [1, 4, 5, 5])")
        XCTAssertEqual(message { try convTranspose2d(x, w, padding: [6]) },
                       "conv_transpose2d: output size [-5, -5] is not positive (input [1, 4, 5, 5], weight [4, 2, 3, 3], padding [6])")
        XCTAssertEqual(message { try convTranspose1d(try zeros([1, 4, 5]), try zeros([4, 2, 3]), stride: 0) },
                       "conv_transpose1d: stride must be positive, got [0]")
        XCTAssertEqual(message { try conv1d(try zeros([1, 4, 5]), try zeros([2, 4, 3]), dilation: 0) },
                       "conv1d: dilation must be positive, got [0]")
    }

    func testCancellationStopsConvolution() throws {
        let x = try zeros([4, 8, 16, 16]), w = try zeros([8, 8, 3, 3])
        Cancellation.request()
        defer { Cancellation.reset() }
        XCTAssertThrowsError(try conv2d(x, w, padding: 1)) { error in
            XCTAssertEqual((error as? EngineError)?.kind, .cancelled)
            XCTAssertEqual((error as? EngineError)?.op, "conv2d")
        }
        XCTAssertFalse(Cancellation.isRequested, "the request is consumed")
        XCTAssertEqual(try conv2d(x, w, padding: 1).shape, [4, 8, 16, 16])
    }

    func testPadUnfoldFoldErrors() throws {
        let x = try zeros([1, 2, 3, 4])
        XCTAssertEqual(message { try pad(x, [1, 2, 3]) },
                       "pad: pad needs an even number of values, at most 2 per dimension (input [1, 2, 3, 4] has rank 4), got [1, 2, 3]")
        XCTAssertEqual(message { try pad(x, [4, 0], mode: .reflect) },
                       "pad: reflect padding 4 must be smaller than the input size 4 of dimension 3 (input [1, 2, 3, 4], pad [4, 0])")
        XCTAssertEqual(message { try pad(x, [0, 0, 4, 0], mode: .circular) },
                       "pad: circular padding 4 must not exceed the input size 3 of dimension 2 (input [1, 2, 3, 4], pad [0, 0, 4, 0])")
        XCTAssertEqual(message { try pad(x, [-1, 0]) }, "pad: pad must be non-negative, got [-1, 0]")
        XCTAssertEqual(message { try unfold(x, kernelSize: [5]) },
                       "unfold: kernel [5, 5] (dilated to [5, 5]) is larger than the padded input [3, 4] (input [1, 2, 3, 4])")
        XCTAssertEqual(message { try fold(try zeros([1, 8, 5]), outputSize: [3, 4], kernelSize: [2]) },
                       "fold: input has 5 blocks but output size [3, 4] with kernel [2] gives 2·3 = 6 (input [1, 8, 5])")
    }
}
