import XCTest
@testable import TenshEngine

/// Version counters and in-place changes under autograd, each case checked
/// against what PyTorch 2 does with the same code (values from torch in comments).
final class InPlaceAutogradTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "(no error)"
    }

    /// `w = param(ones(2)); y = sum(w * w); w -= 1; backward(y)` must not print zeros.
    func testModifiedSavedLeafIsAnError() throws {
        let w = try ones([2]).setRequiresGrad()
        let y = try sum(w * w)
        try updateInPlace(w, with: w.detached() - 1)
        XCTAssertEqual(w.storage.version, 1)
        let text = message { try backward(y) }
        XCTAssertTrue(text.hasPrefix("backward: one of the variables needed for gradient computation has been modified by an inplace operation: [f32 tensor [2]] is at version 1; expected version 0 instead."), text)
        XCTAssertNil(w.grad)
    }

    func testModifiedSavedOutputNamesItsOp() throws {
        let w = try ones([2, 3], dtype: .float64).setRequiresGrad()
        let z = try exp(w)
        try mulInPlace(z.indexed([.at(0)]), .wrapped(2, dtype: .float64))
        let text = message { try backward(sum(z)) }
        XCTAssertTrue(text.contains("[f64 tensor [2, 3]], which is output 0 of Exp, is at version 1; expected version 0 instead"), text)
    }

    func testModifiedSavedInputNamesItsCurrentOp() throws {
        let w = try ones([2]).setRequiresGrad()
        let z = try w * 2
        let y = try sum(z * z)
        try addInPlace(z, .wrapped(1, dtype: .int64))
        XCTAssertTrue(message { try backward(y) }.contains("[f32 tensor [2]], which is output 0 of Add, is at version 1"))
    }

    /// Ops that do not save the changed tensor still differentiate the values they saw.
    func testUnsavedTensorsMayChange() throws {
        let w = try ones([2]).setRequiresGrad()
        let y = try sum(w + 1)
        try updateInPlace(w, with: w.detached() - 1)
        try backward(y)
        XCTAssertEqual(w.grad?.toDoubles(), [1, 1])
        let v = try ones([2]).setRequiresGrad()
        let z = try v * 2
        let y2 = try sum(z + 1)
        try mulInPlace(z, .wrapped(3, dtype: .int64))
        try backward(y2)
        XCTAssertEqual(v.grad?.toDoubles(), [2, 2]) // torch: the gradient of the old z, not 6
    }

    func testLeafThatRequiresGradCannotChangeOutsideNoGrad() throws {
        let w = try ones([3]).setRequiresGrad()
        XCTAssertEqual(message { try addInPlace(w, .wrapped(1, dtype: .int64)) },
                       "add_: a leaf Variable that requires grad is being used in an in-place operation. Change it inside no_grad { ... } (as an optimiser step does), or change a clone().")
        XCTAssertTrue(message { try w.assign(.wrapped(0, dtype: .int64), at: [.at(0)]) }
            .hasPrefix("index_put_: a view of a leaf Variable that requires grad is being used in an in-place operation."))
        XCTAssertTrue(message { try zeroInPlace(w.indexed([.slice(start: 1)])) }.contains("a view of a leaf Variable"))
        try noGrad {
            try w.assign(.wrapped(5, dtype: .int64), at: [.at(0)])
            try zeroInPlace(w.indexed([.at(2)]))
        }
        XCTAssertEqual(w.toDoubles(), [5, 1, 0])
        XCTAssertEqual(w.storage.version, 2)
        XCTAssertTrue(w.isLeaf && w.requiresGrad)
    }

    func testViewsShareTheVersionCounter() throws {
        let x = try zeros([2, 3])
        let row = try x.indexed([.at(1)]), alias = x.detached()
        try fillInPlace(row, .wrapped(2, dtype: .float64))
        try addInPlace(alias, .wrapped(1, dtype: .int64))
        XCTAssertEqual(x.storage.version, 2)
        XCTAssertEqual(x.toDoubles(), [1, 1, 1, 3, 3, 3])
        XCTAssertEqual(try x.cloned().storage.version, 0)
    }

    /// x = torch.zeros(3); v = x[:2]; x[0] = w * 5 → x is a non-leaf with CopySlices, v requires grad.
    func testAssigningAValueThatRequiresGradGivesHistory() throws {
        let x = try zeros([3]), w = try ones([1]).setRequiresGrad()
        let v = try x.indexed([.slice(end: 2)])
        try x.assign(w * 5, at: [.slice(end: 1)])
        XCTAssertEqual(x.gradFn?.op, "CopySlices")
        XCTAssertFalse(x.isLeaf)
        XCTAssertTrue(v.requiresGrad)
        XCTAssertEqual(v.gradFn?.op, "AsStrided")
        try backward(sum(v * v))
        XCTAssertEqual(w.grad?.toDoubles(), [50]) // d(25 w²)/dw at 1
    }

    /// b = w * 2; v2 = b[1:]; b[1] = 5; v2.sum().backward() → w.grad = [0, 0, 2].
    func testEarlierViewsSeeTheChange() throws {
        let w = try ones([3]).setRequiresGrad()
        let b = try w * 2
        let v2 = try b.indexed([.slice(start: 1)])
        try b.assign(.wrapped(5, dtype: .int64), at: [.at(1)])
        try backward(sum(v2))
        XCTAssertEqual(w.grad?.toDoubles(), [0, 0, 2])
    }

    /// b = w * 2; b[1:].mul_(3); (b * b).sum().backward() → w.grad = [8, 72, 72].
    func testInPlaceThroughAViewRewritesTheBase() throws {
        let w = try ones([3]).setRequiresGrad()
        let b = try w * 2
        try mulInPlace(b.indexed([.slice(start: 1)]), .wrapped(3, dtype: .int64))
        XCTAssertEqual(b.gradFn?.op, "CopySlices")
        try backward(sum(b * b))
        XCTAssertEqual(w.grad?.toDoubles(), [8, 72, 72])
    }

    /// a = w * 2; a.mul_(b); a.sum().backward() → w.grad = [6, 6], b.grad = [2, 2] (the old a).
    func testMulInPlaceUsesTheOldValues() throws {
        let w = try ones([2]).setRequiresGrad(), b = try full([2], 3).setRequiresGrad()
        let a = try w * 2
        try mulInPlace(a, b)
        XCTAssertEqual(a.gradFn?.op, "Mul")
        try backward(sum(a))
        XCTAssertEqual(w.grad?.toDoubles(), [6, 6])
        XCTAssertEqual(b.grad?.toDoubles(), [2, 2])
    }

    /// z = w * 1; y = z * 2; z.add_(y) → z = 3·w: the graph has no cycle.
    func testAddingATensorDerivedFromItself() throws {
        let w = try ones([2]).setRequiresGrad()
        let z = try w * 1
        let y = try z * 2
        try addInPlace(z, y)
        try backward(sum(z))
        XCTAssertEqual(w.grad?.toDoubles(), [3, 3])
    }

    func testSavedIndicesAndConditionsAreChecked() throws {
        let x = try testTensor([3, 2], seed: 4).setRequiresGrad()
        let (values, indices) = try max(x, dim: 0)
        try zeroInPlace(indices)
        XCTAssertTrue(message { try backward(sum(values)) }.contains("modified by an inplace operation: [i64 tensor [2]] is at version 1"))
        let cond = try gt(x.detached(), .wrapped(0, dtype: .int64))
        let picked = try `where`(cond, x, .wrapped(0, dtype: .int64))
        try fillInPlace(cond, .wrapped(1, dtype: .bool))
        XCTAssertTrue(message { try backward(sum(picked)) }.contains("modified by an inplace operation: [bool tensor [3, 2]]"))
    }

    func testOverlappingAndOutOfShapeWritesAreErrors() throws {
        let x = try zeros([1, 3]).expanded([2, 3])
        XCTAssertTrue(message { try zeroInPlace(x) }.contains("more than one element of the written-to tensor refers to a single memory location"))
        let y = try zeros([3])
        XCTAssertEqual(message { try addInPlace(y, ones([2, 3])) }, "add_: output with shape [3] doesn't match the broadcast shape [2, 3]")
        XCTAssertEqual(message { try addInPlace(zeros([2], dtype: .int64), .wrapped(1.5, dtype: .float64)) },
                       "add_: result type f32 can't be cast to the desired output type i64")
        XCTAssertTrue(message { try fillInPlace(y, ones([2])) }.contains("fill_ only supports a 0-d value tensor"))
        XCTAssertTrue(message { try y.assign(ones([2]), at: [.slice(end: 3)]) }.contains("shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [3]"))
    }

    func testCopyBetweenOverlappingRegionsUsesTheOldValues() throws {
        let x = try arange(0, 5)
        try x.assign(x.indexed([.slice(end: 4)]), at: [.slice(start: 1)])
        XCTAssertEqual(x.toDoubles(), [0, 0, 1, 2, 3])
        let y = try arange(0, 5, dtype: .int64)
        try y.assign(y.indexed([.slice(start: 1)]), at: [.tensor(Tensor([0, 1, 2, 3], shape: [4], dtype: .int64))])
        XCTAssertEqual(y.toDoubles(), [1, 2, 3, 4, 4])
    }

    /// The optimiser step keeps a leaf a leaf; a second step sees the new version.
    func testTrainingLoopStillWorks() throws {
        let w = try full([2], 3).setRequiresGrad()
        for _ in 0..<3 {
            let loss = try sum(w * w)
            try backward(loss)
            let g = try XCTUnwrap(w.grad)
            try updateInPlace(w, with: w.detached() - g * 0.25)
            w.grad = nil
        }
        XCTAssertEqual(w.toDoubles(), [0.375, 0.375])
        XCTAssertTrue(w.isLeaf)
    }

    /// A value computed from the changed tensor must not make its new history hold
    /// the tensor (a reference cycle): everything is freed with the last reference.
    func testReadModifyWriteLeavesNoCycle() throws {
        weak var probe: Tensor?
        weak var probeView: Tensor?
        do {
            let w = try testTensor([4, 3], seed: 2).setRequiresGrad()
            let y = try w * 1
            probe = y
            let mask = try gt(y.detached(), .wrapped(0, dtype: .int64))
            try y.assign(y.indexed([.tensor(mask)]) * 2, at: [.tensor(mask)])
            try y.assign(y.indexed([.slice(end: 3)]) * 3, at: [.slice(start: 1)])
            let row = try y.indexed([.at(0)])
            probeView = row
            try addInPlace(y, row) // Add keeps the view object for its gradient's shape
            try backward(sum(y))
            XCTAssertNotNil(w.grad)
        }
        XCTAssertNil(probe, "the changed tensor was not freed")
        XCTAssertNil(probeView, "its view was not freed")
    }

    /// y[m] = y[m] * 2 against torch: the gradient through the doubled elements is doubled.
    func testReadModifyWriteGradient() throws {
        let w = try Tensor([1, -2, 3, -4], shape: [4]).setRequiresGrad()
        let y = try w * 1
        let mask = try gt(y.detached(), .wrapped(0, dtype: .int64))
        try y.assign(y.indexed([.tensor(mask)]) * 2, at: [.tensor(mask)])
        XCTAssertEqual(y.toDoubles(), [2, -2, 6, -4])
        XCTAssertEqual(y.gradFn?.op, "IndexPut")
        try backward(sum(y * y))
        XCTAssertEqual(w.grad?.toDoubles(), [8, -4, 24, -8]) // torch: d(Σ y²)/dw
    }
}
