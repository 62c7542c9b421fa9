import XCTest
@testable import TenshEngine

/// Bad input to the indexing, sorting and counting ops: a thrown error naming
/// the argument and the shapes (torch's wording where it has one), never a trap.
final class TensorOpsErrorTests: XCTestCase {
    private func check(_ expected: String, argument: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> Any) {
        do {
            _ = try body()
            XCTFail("no error, expected \(expected)", file: file, line: line)
        } catch let e as EngineError {
            XCTAssertTrue(e.message.contains(expected), e.message, file: file, line: line)
            if let argument { XCTAssertEqual(e.argument, argument, e.message, file: file, line: line) }
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    private func ints(_ values: [Double], _ shape: [Int]? = nil) throws -> Tensor {
        try Tensor(values, shape: shape ?? [values.count], dtype: .int64)
    }

    func testIndexingErrors() throws {
        let x = try zeros([2, 2])
        check("index 5 is out of bounds for dimension 0 with size 2", argument: "index") { try x.indexed([.tensor(ints([5]))]) }
        check("index -3 is out of bounds for dimension 1 with size 2") { try x.indexed([.all, .tensor(ints([-3]))]) }
        check("tensors used as indices must be int64 or bool tensors, got f32 (shape [1])") { try x.indexed([.tensor(zeros([1]))]) }
        check("the shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 2] at index 0") {
            try x.indexed([.tensor(ones([3], dtype: .bool))])
        }
        check("too many indices for a tensor of rank 2") { try x.indexed([.tensor(ints([0])), .at(0), .at(0)]) }
        check("a 0-d bool index is not supported") { try x.indexed([.tensor(Tensor(scalar: 1, dtype: .bool))]) }
        check("Index put requires the source and destination dtypes match, got f32 for the destination and f64 for the source") {
            try x.assign(zeros([1], dtype: .float64), at: [.tensor(ints([0]))])
        }
        check("shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 2]", argument: "value") {
            try x.assign(zeros([3]), at: [.tensor(ints([0, 1]))])
        }
    }

    func testGatherScatterErrors() throws {
        let x = try zeros([2, 3])
        check("index 3 is out of bounds for dimension 1 with size 3", argument: "index") { try gather(x, dim: 1, index: ints([3], [1, 1])) }
        check("index tensor must have the same number of dimensions as input tensor") { try gather(x, dim: 0, index: ints([0])) }
        check("index must be an int64 tensor, got f32") { try gather(x, dim: 0, index: zeros([1, 1])) }
        check("size does not match at dimension 1") { try gather(x, dim: 0, index: ints([0, 0, 0, 0], [1, 4])) }
        check("expected src to have the dtype of the input (f32), got f64", argument: "src") {
            try scatterAdd(x, dim: 0, index: ints([0], [1, 1]), src: zeros([1, 1], dtype: .float64))
        }
        check("must be no larger than src") { try scatterAdd(x, dim: 0, index: ints([0, 0], [1, 2]), src: zeros([1, 1])) }
        check("masked_fill only supports boolean masks", argument: "mask") { try maskedFill(x, mask: zeros([2, 3]), value: .wrapped(1, dtype: .int64)) }
        check("cannot be broadcast to the input's shape [2, 3]") { try maskedFill(x, mask: ones([4, 3], dtype: .bool), value: .wrapped(1, dtype: .int64)) }
        check("masked_fill only supports a 0-d value tensor", argument: "value") { try maskedFill(x, mask: ones([3], dtype: .bool), value: zeros([1])) }
    }

    func testCountingErrors() throws {
        check("class values must be non-negative") { try oneHot(ints([0, -1])) }
        check("class values must be smaller than num_classes (2), found 3") { try oneHot(ints([3]), numClasses: 2) }
        check("cannot infer the number of classes from an empty tensor") { try oneHot(ints([])) }
        check("one_hot is only applicable to int64 index tensors, got f32") { try oneHot(zeros([2])) }
        check("bincount only supports 1-d non-negative int64 inputs") { try bincount(ints([-1])) }
        check("bincount only supports 1-d non-negative int64 inputs") { try bincount(ints([1], [1, 1])) }
        check("weights should be 1-d and have the same length as input (2)") { try bincount(ints([0, 1]), weights: zeros([3])) }
        check("value 9223372036854775807 is too large to count") { try bincount(ints([9.3e18])) }
        check("exceeds the allocation limit") { try bincount(ints([1e15])) }
    }

    func testSortingAndDivisionErrors() throws {
        let x = try zeros([2, 3])
        check("selected index k out of range: k = 4 for dimension 1 of size 3", argument: "k") { try topk(x, 4) }
        check("selected index k out of range") { try topk(x, -1) }
        check("dimension 2 is out of range") { try sort(x, dim: 2) }
        check("ZeroDivisionError: integer division by zero", argument: "y") { try floorDivide(ints([1, 2]), ints([1, 0])) }
        check("ZeroDivisionError") { try remainder(ints([1]), .wrapped(0, dtype: .int64)) }
        check("floor_divide is not defined for bool tensors") { try floorDivide(ones([1], dtype: .bool), ones([1], dtype: .bool)) }
        check("floor is not defined for bool tensors") { try floor(ones([1], dtype: .bool)) }
        check("n must be non-negative, got -1") { try randperm(-1) }
        check("exceeds the allocation limit") { try randperm(1 << 40) }
    }

    func testFloatDivisionByZeroStaysIEEE() throws {
        let q = try floorDivide(Tensor([1, -1, 0], shape: [3]), zeros([3]))
        XCTAssertEqual(q.toDoubles()[0], .infinity)
        XCTAssertEqual(q.toDoubles()[1], -.infinity)
        XCTAssertTrue(q.toDoubles()[2].isNaN)
        XCTAssertTrue(try remainder(Tensor([1], shape: [1]), zeros([1])).toDoubles()[0].isNaN)
    }

    func testRandpermIsAPermutationAndReproducible() throws {
        let a = try randperm(1000, seed: 3), b = try randperm(1000, seed: 3), c = try randperm(1000, seed: 4)
        XCTAssertEqual(a.dtype, .int64)
        XCTAssertEqual(a.toDoubles(), b.toDoubles())
        XCTAssertNotEqual(a.toDoubles(), c.toDoubles())
        XCTAssertEqual(a.toDoubles().sorted(), (0..<1000).map(Double.init))
        XCTAssertEqual(try randperm(0).shape, [0])
        XCTAssertEqual(try randperm(1).toDoubles(), [0])
        // Without a seed, successive calls draw fresh numbers from the shared generator.
        XCTAssertNotEqual(try randperm(50).toDoubles(), try randperm(50).toDoubles())
    }

    /// The stream is documented (Docs/Engine/Indexing.md): swap i ↔ w mod (i + 1), words in order.
    func testRandpermFollowsTheDocumentedStream() throws {
        let n = 7, philox = Philox4x32(seed: 11)
        var words: [UInt64] = []
        for k in 0..<3 {
            let b = philox.block(UInt64(k))
            words += [RandomBits.word64(b.0, b.1), RandomBits.word64(b.2, b.3)]
        }
        var expected = Array(0..<n)
        for (step, i) in stride(from: n - 1, through: 1, by: -1).enumerated() {
            expected.swapAt(i, Int(words[step] % UInt64(i + 1)))
        }
        XCTAssertEqual(try randperm(n, seed: 11).toDoubles(), expected.map(Double.init))
    }

    func testNonzeroOfZeroDimensionalAndEmpty() throws {
        XCTAssertEqual(try nonzero(Tensor(scalar: 3)).shape, [1, 0])
        XCTAssertEqual(try nonzero(Tensor(scalar: 0)).shape, [0, 0])
        XCTAssertEqual(try nonzero(zeros([0, 3])).shape, [0, 2])
        XCTAssertEqual(try nonzero(Tensor([0, .nan, 2], shape: [3])).toDoubles(), [1, 2])
    }
}
