import XCTest
@testable import TenshEngine

final class ShapeOpsTests: XCTestCase {
    private func values(_ t: Tensor) -> [Double] { t.toDoubles() }

    func testViewsShareStorageAndCopiesDoNot() throws {
        let x = try testTensor([2, 3, 4], seed: 1)
        let views = [try x.view([6, 4]), try x.permuted([2, 0, 1]), try x.transposed(0, 1), try x.unsqueezed(0),
                     try x.unsqueezed(0).squeezed(), try x.indexed([.at(1), .slice(start: 1)]), try x.narrowed(2, start: 1, length: 2),
                     try x.flattened(startDim: 1)]
        for v in views { XCTAssertTrue(v.storage === x.storage, "\(v.shape)") }
        XCTAssertFalse(try flip(x, dims: [0]).storage === x.storage)
        XCTAssertFalse(try cat([x, x]).storage === x.storage)
        XCTAssertEqual(try x.permuted([2, 0, 1]).shape, [4, 2, 3])
        XCTAssertEqual(try x.transposed(0, 2).strides, [1, 4, 12])
    }

    func testViewFollowsTorchStrideRules() throws {
        let x = try testTensor([2, 3], seed: 2)
        let t = try x.T // [3, 2] with strides [1, 3]
        XCTAssertThrowsError(try t.view([6])) { error in
            XCTAssertEqual("\(error)", "view: view size [6] is not compatible with input of shape [3, 2] and strides [1, 3] (at least one dimension spans across two contiguous subspaces); use reshape instead")
        }
        let ok = try t.view([3, 1, 2]) // splitting off size-1 dims is always viewable
        XCTAssertTrue(ok.storage === x.storage)
        XCTAssertEqual(values(ok), values(try t.contiguous()))
        XCTAssertEqual(values(try t.reshaped([6])), [values(x)[0], values(x)[3], values(x)[1], values(x)[4], values(x)[2], values(x)[5]])
        XCTAssertThrowsError(try x.view([4, 2])) { XCTAssertTrue("\($0)".contains("invalid for input of size 6")) }
    }

    func testPythonSliceSemantics() throws {
        let x = try arange(0, 10, dtype: .int64)
        XCTAssertEqual(values(try x.indexed([.slice(start: -3)])), [7, 8, 9])
        XCTAssertEqual(values(try x.indexed([.slice(start: 2, end: 100, step: 3)])), [2, 5, 8])
        XCTAssertEqual(values(try x.indexed([.slice(start: -100, end: 2)])), [0, 1])
        XCTAssertEqual(try x.indexed([.slice(start: 5, end: 2)]).shape, [0])
        XCTAssertEqual(values(try x.indexed([.slice(step: 4)])), [0, 4, 8])
        XCTAssertEqual(values(try x.indexed([.at(-1)])), [9])
        XCTAssertEqual(try x.indexed([.at(-1)]).shape, [])
        let m = try arange(0, 24, dtype: .int64).reshaped([2, 3, 4])
        XCTAssertEqual(values(try m.indexed([.ellipsis, .at(1)])), [1, 5, 9, 13, 17, 21])
        XCTAssertEqual(try m.indexed([.newAxis, .all, .ellipsis, .newAxis]).shape, [1, 2, 3, 4, 1])
        XCTAssertEqual(values(try m.indexed([.at(1), .slice(start: 1, step: 2), .slice(start: 3)])), [19])
    }

    func testIndexErrorsNameTheProblem() throws {
        let x = try testTensor([3, 4], seed: 3)
        XCTAssertThrowsError(try x.indexed([.at(3)])) {
            XCTAssertEqual("\($0)", "index: index 3 is out of bounds for dimension 0 with size 3 (shape [3, 4], index [3])")
        }
        XCTAssertThrowsError(try x.indexed([.slice(step: 0)])) { XCTAssertTrue("\($0)".contains("slice step must be positive, got 0")) }
        XCTAssertThrowsError(try x.indexed([.slice(step: -1)])) { XCTAssertTrue("\($0)".contains("got -1")) }
        XCTAssertThrowsError(try x.indexed([.at(0), .at(0), .at(0)])) { XCTAssertTrue("\($0)".contains("too many indices for a tensor of rank 2")) }
        XCTAssertThrowsError(try x.indexed([.ellipsis, .ellipsis])) { XCTAssertTrue("\($0)".contains("single ellipsis")) }
    }

    func testCatAndStackErrorsNameTensorAndShapes() throws {
        let a = try zeros([3, 3]), b = try zeros([2, 4])
        XCTAssertThrowsError(try cat([a, b], dim: 1)) {
            XCTAssertEqual("\($0)", "cat: sizes of tensors must match except in dimension 1: tensor 1 has shape [2, 4] but tensor 0 has shape [3, 3]")
        }
        XCTAssertThrowsError(try cat([a, try zeros([3])])) { XCTAssertTrue("\($0)".contains("tensor 1 has shape [3]")) }
        XCTAssertThrowsError(try cat([])) { XCTAssertTrue("\($0)".contains("non-empty")) }
        XCTAssertThrowsError(try cat([a], dim: 2)) { XCTAssertTrue("\($0)".contains("dimension 2 is out of range for a tensor of rank 2")) }
        XCTAssertThrowsError(try stack([a, a, b])) { XCTAssertTrue("\($0)".contains("tensor 2 has shape [2, 4]")) }
    }

    func testShapeErrors() throws {
        let x = try zeros([2, 3])
        XCTAssertThrowsError(try x.permuted([0, 0])) { XCTAssertTrue("\($0)".contains("repeat a dimension")) }
        XCTAssertThrowsError(try x.permuted([0])) { XCTAssertTrue("\($0)".contains("rank 2")) }
        XCTAssertThrowsError(try x.transposed(0, 3)) { XCTAssertTrue("\($0)".hasPrefix("transpose: dimension 3 is out of range")) }
        XCTAssertThrowsError(try zeros([2, 2, 2]).T) { XCTAssertTrue("\($0)".contains("[2, 2, 2]")) }
        XCTAssertThrowsError(try x.flattened(startDim: 1, endDim: 0)) { XCTAssertTrue("\($0)".contains("start_dim")) }
        XCTAssertThrowsError(try x.narrowed(1, start: 2, length: 2)) { XCTAssertTrue("\($0)".contains("size 3")) }
        XCTAssertThrowsError(try flip(x, dims: [1, -1])) { XCTAssertTrue("\($0)".contains("repeat")) }
        XCTAssertThrowsError(try x.unsqueezed(4)) { XCTAssertTrue("\($0)".contains("unsqueeze")) }
    }

    func testCatPromotesAndReturnsGradientsInEachDtype() throws {
        let a = try testTensor([2], seed: 4, dtype: .float32).setRequiresGrad()
        let b = try testTensor([3], seed: 5, dtype: .float64).setRequiresGrad()
        let c = try cat([a, b, try arange(0, 2, dtype: .int64)])
        XCTAssertEqual(c.dtype, .float64)
        XCTAssertEqual(c.shape, [7])
        let g = try grad([sum(mul(c, c))], [a, b])
        XCTAssertEqual(g[0]?.dtype, .float32)
        assertClose(try XCTUnwrap(g[0]), try mul(a, Tensor.wrapped(2, dtype: .int64)).detached())
    }

    func testIndexGradientScattersAndAccumulates() throws {
        let x = try testTensor([3, 2], seed: 6).setRequiresGrad()
        let y = try add(sum(x.indexed([.at(0)])), sum(x.indexed([.slice(end: 1), .at(1)])))
        XCTAssertEqual(values(try XCTUnwrap(try grad(y, x))), [1, 2, 0, 0, 0, 0])
    }

    func testGradcheckViewOps() throws {
        let x = try testTensor([2, 3, 4], seed: 7)
        assertGradcheck({ try $0[0].view([4, 6]) }, [x])
        assertGradcheck({ try $0[0].permuted([2, 0, 1]) }, [x], second: true)
        assertGradcheck({ try $0[0].transposed(0, 2) }, [x])
        assertGradcheck({ try $0[0].indexed([.at(1)]).T }, [x])
        assertGradcheck({ try $0[0].flattened(startDim: 0, endDim: 1) }, [x])
        assertGradcheck({ try $0[0].unsqueezed(1).squeezed(1) }, [x])
        assertGradcheck({ try $0[0].narrowed(1, start: 1, length: 2) }, [x])
        assertGradcheck({ try $0[0].indexed([.ellipsis, .slice(start: 1, step: 2), .newAxis]) }, [x], second: true)
        assertGradcheck({ try mul($0[0].indexed([.slice(start: -1), .at(2)]), $0[0].indexed([.at(0), .at(1)])) }, [x], second: true)
    }

    func testGradcheckJoinOps() throws {
        let a = try testTensor([2, 3], seed: 8), b = try testTensor([2, 1], seed: 9), c = try testTensor([2, 3], seed: 10)
        assertGradcheck({ try cat([$0[0], $0[1]], dim: 1) }, [a, b])
        assertGradcheck({ try mul(cat([$0[0], $0[1]], dim: -1), cat([$0[1], $0[0]], dim: 1)) }, [a, b], second: true)
        assertGradcheck({ try stack([$0[0], $0[1]], dim: 2) }, [a, c])
        assertGradcheck({ try flip($0[0], dims: [0, 1]) }, [a], second: true)
        assertGradcheck({ try $0[0].expanded([4, 2, 3]) }, [a])
        assertGradcheck({ try $0[0].reshaped([3, 2]) }, [a])
    }
}

final class IndexSelectTests: XCTestCase {
    func testIndexSelectValuesAndAccumulatedGradient() throws {
        let x = try arange(0, 6, dtype: .float64).reshaped([3, 2]).detached().setRequiresGrad()
        let idx = try Tensor([2, -3, 2], shape: [3], dtype: .int64)
        let y = try indexSelect(x, dim: 0, index: idx)
        XCTAssertEqual(y.shape, [3, 2])
        XCTAssertEqual(y.toDoubles(), [4, 5, 0, 1, 4, 5])
        XCTAssertEqual(try XCTUnwrap(try grad(sum(y), x)).toDoubles(), [1, 1, 0, 0, 2, 2])
        XCTAssertEqual(try indexSelect(x, dim: 1, index: Tensor([1], shape: [], dtype: .int64)).shape, [3, 1])
        let ints = try arange(0, 4, dtype: .int64)
        XCTAssertEqual(try indexSelect(ints, dim: 0, index: Tensor([3, 0], shape: [2], dtype: .int64)).toInt64s(), [3, 0])
    }

    func testIndexSelectGradcheckAndErrors() throws {
        let x = try testTensor([3, 4], seed: 11)
        let idx = try Tensor([1, 1, 3], shape: [3], dtype: .int64)
        assertGradcheck({ try indexSelect($0[0], dim: 1, index: idx) }, [x], second: true)
        XCTAssertThrowsError(try indexSelect(x, dim: 1, index: Tensor([4], shape: [1], dtype: .int64))) {
            XCTAssertEqual("\($0)", "index_select: index 4 is out of bounds for dimension 1 with size 4 (shape [3, 4])")
        }
        XCTAssertThrowsError(try indexSelect(x, dim: 0, index: Tensor([1], shape: [1]))) { XCTAssertTrue("\($0)".contains("int64")) }
        XCTAssertThrowsError(try indexSelect(x, dim: 0, index: zeros([1, 1], dtype: .int64))) { XCTAssertTrue("\($0)".contains("0-d or 1-d")) }
    }

    func testHugeSliceStepsAndNarrowBoundsDoNotOverflow() throws {
        let x = try arange(0, 5, dtype: .int64)
        XCTAssertEqual(try x.indexed([.slice(start: 1, step: Int.max)]).toInt64s(), [1])
        XCTAssertEqual(try x.indexed([.slice(start: Int.min, end: Int.max)]).count, 5)
        XCTAssertThrowsError(try x.narrowed(0, start: 1, length: Int.max))
        XCTAssertEqual(try variance(testTensor([3], seed: 1), correction: Int.min).item(), 0, accuracy: 1e-15) // no overflow trap
    }
}
