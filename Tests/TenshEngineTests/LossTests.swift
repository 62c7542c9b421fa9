import XCTest
import TenshIO
@testable import TenshEngine

final class LossTests: XCTestCase {
    // MARK: PyTorch fixtures

    func testRegressionLossesMatchPyTorch() throws {
        let mse = try NNCase.load(op: "mse_loss"), l1 = try NNCase.load(op: "l1_loss")
        XCTAssertEqual(mse.count, 6)
        XCTAssertEqual(l1.count, 6)
        for c in mse { try c.check { try mseLoss(XCTUnwrap($0["input"]), XCTUnwrap($0["target"]), reduction: c.reduction) } }
        for c in l1 { try c.check { try l1Loss(XCTUnwrap($0["input"]), XCTUnwrap($0["target"]), reduction: c.reduction) } }
    }

    func testBinaryCrossEntropyMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "binary_cross_entropy")
        XCTAssertEqual(cases.count, 8)
        for c in cases {
            try c.check { try binaryCrossEntropy(XCTUnwrap($0["input"]), XCTUnwrap($0["target"]), weight: c.constants["weight"],
                                                 reduction: c.reduction) }
        }
    }

    func testNllLossMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "nll_loss")
        XCTAssertEqual(cases.count, 16)
        for c in cases {
            try c.check { try nllLoss(XCTUnwrap($0["input"]), XCTUnwrap($0["target"]), weight: c.constants["weight"],
                                      ignoreIndex: c.arg("ignore_index")?.int ?? -100, reduction: c.reduction) }
        }
    }

    func testCrossEntropyMatchesPyTorch() throws {
        let cases = try NNCase.load(op: "cross_entropy")
        XCTAssertEqual(cases.count, 22)
        for c in cases {
            try c.check { try crossEntropy(XCTUnwrap($0["input"]), XCTUnwrap($0["target"]), weight: c.constants["weight"],
                                           ignoreIndex: c.arg("ignore_index")?.int ?? -100, reduction: c.reduction) }
        }
    }

    // MARK: Semantics

    func testCrossEntropyIsStableForHugeLogits() throws {
        let logits = try Tensor([1000, 0, -1000, 5e4, 5e4 - 1, 0], shape: [2, 3], dtype: .float32)
        let loss = try crossEntropy(logits, Tensor([0, 1], shape: [2], dtype: .int64), reduction: .none)
        let v = loss.toDoubles()
        XCTAssertEqual(v[0], 0, accuracy: 1e-6)
        XCTAssertEqual(v[1], 1.3132616, accuracy: 1e-5) // log(1 + e)
    }

    func testClassificationLossesAreOneGraphNode() throws {
        let x = try testTensor([3, 4], seed: 12).setRequiresGrad(), t = try Tensor([0, 3, 1], shape: [3], dtype: .int64)
        let ce = try crossEntropy(x, t)
        XCTAssertEqual(ce.gradFn?.op, "CrossEntropyLoss")
        XCTAssertTrue(ce.gradFn?.inputs.first === x)
        XCTAssertEqual(try nllLoss(x, t, reduction: .sum).gradFn?.op, "NllLoss")
        XCTAssertNil(try noGrad { try crossEntropy(x, t) }.gradFn)
        let p = try sigmoid(x.detached()).setRequiresGrad(), y = try testTensor([3, 4], seed: 13)
        XCTAssertEqual(try mseLoss(x, y).gradFn?.op, "MseLoss")
        XCTAssertEqual(try l1Loss(x, y).gradFn?.op, "L1Loss")
        XCTAssertEqual(try binaryCrossEntropy(p, y).gradFn?.op, "BinaryCrossEntropy")
        // Mixed dtypes: each gradient comes back in its own input's dtype.
        let x32 = try testTensor([3, 4], seed: 14, dtype: .float32).setRequiresGrad(), y64 = try testTensor([3, 4], seed: 15).setRequiresGrad()
        let g = try grad([mseLoss(x32, y64)], [x32, y64])
        XCTAssertEqual(g[0]?.dtype, .float32)
        XCTAssertEqual(g[1]?.dtype, .float64)
    }

    func testBinaryCrossEntropyClampsTheLogAtMinus100() throws {
        let p = try Tensor([0, 1], shape: [2], dtype: .float64).setRequiresGrad(), t = try Tensor([1, 0], shape: [2], dtype: .float64)
        let loss = try binaryCrossEntropy(p, t, reduction: .none)
        XCTAssertEqual(loss.toDoubles(), [100, 100])
        // torch's gradient there: (p - t)/max(p(1-p), 1e-12) = ∓1e12.
        XCTAssertEqual(try XCTUnwrap(grad([sum(loss)], [p])[0]).toDoubles(), [-1e12, 1e12])
    }

    func testAllIgnoredTargetsGiveNaNMeanLikeTorch() throws {
        let x = try testTensor([2, 3], seed: 1)
        let loss = try nllLoss(x, Tensor([-100, -100], shape: [2], dtype: .int64))
        XCTAssertTrue(try loss.item().isNaN)
    }

    /// The example of Docs/Engine/NN.md, run as written.
    func testDocumentationExampleRuns() throws {
        let url = { (name: String) in try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures")).path }
        let images = try loadNpy(url("digits_images"))
        let labels = try loadNpy(url("digits_labels"))
        let gamma = try ones([1]).setRequiresGrad(), beta = try zeros([1]).setRequiresGrad()
        let rm = try zeros([1]), rv = try ones([1])
        var h = try batchNorm(images, runningMean: rm, runningVar: rv, weight: gamma, bias: beta, training: true)
        h = try maxPool2d(h, kernelSize: [2])
        XCTAssertEqual(h.shape, [1797, 1, 4, 4])
        h = try upsample(h, scaleFactor: [2.5], mode: .bilinear)
        XCTAssertEqual(h.shape, [1797, 1, 10, 10])
        let logits = try adaptiveAvgPool2d(h, outputSize: [1, 10]).reshaped([1797, 10])
        let loss = try crossEntropy(logits, labels)
        try backward(loss)
        XCTAssertTrue(try loss.item().isFinite)
        XCTAssertEqual(try XCTUnwrap(beta.grad).shape, [1])
        XCTAssertEqual(try XCTUnwrap(gamma.grad).shape, [1])
        XCTAssertNotEqual(rm.toDoubles()[0], 0) // running mean moved toward the pixel mean
    }

    // MARK: Errors

    func testOutOfRangeTargetNamesTheIndexAndClassCount() throws {
        let x = try testTensor([3, 4], seed: 2)
        let bad = try Tensor([0, 5, 1], shape: [3], dtype: .int64)
        assertEngineErrorContains(try nllLoss(x, bad), contains: "target 5 (at flat position 1) is out of bounds for 4 classes")
        assertEngineErrorContains(try crossEntropy(x, Tensor([-1, 0, 1], shape: [3], dtype: .int64)), contains: "target -1")
        assertEngineErrorContains(try crossEntropy(x, Tensor([0, 1], shape: [2], dtype: .int64)), contains: "target must be int64 of shape [3]")
        assertEngineErrorContains(try nllLoss(x, Tensor([0, 1, 2], shape: [3], dtype: .int64), weight: testTensor([3], seed: 1)),
                          contains: "weight must be a float tensor of shape [4]")
        assertEngineErrorContains(try mseLoss(x, testTensor([4, 3], seed: 3)), contains: "target shape [4, 3] differs from input shape [3, 4]")
        assertEngineErrorContains(try binaryCrossEntropy(x, x), contains: "should be between 0 and 1")
    }

    // MARK: Gradient checks (float64, first and second order)

    func testGradcheckRegressionLosses() throws {
        let x = try testTensor([3, 4], seed: 4), y = try testTensor([3, 4], seed: 5)
        for r in [LossReduction.mean, .sum, .none] {
            assertGradcheck({ try mseLoss($0[0], $0[1], reduction: r) }, [x, y], second: true)
            assertGradcheck({ try l1Loss($0[0], $0[1], reduction: r) }, [x, y], second: true)
        }
    }

    func testGradcheckBinaryCrossEntropy() throws {
        let p = try sigmoid(testTensor([3, 4], seed: 6)), t = try add(mul(testTensor([3, 4], seed: 7), .wrapped(0.5, dtype: .float64)), .wrapped(0.5, dtype: .float64))
        let w = try add(testTensor([4], seed: 8), .wrapped(2, dtype: .float64))
        assertGradcheck({ try binaryCrossEntropy($0[0], $0[1], weight: w) }, [p, t], second: true)
        assertGradcheck({ try binaryCrossEntropy($0[0], $0[1], reduction: .none) }, [p, t], second: true)
    }

    func testGradcheckClassificationLosses() throws {
        let x = try mul(testTensor([4, 5, 2], seed: 9), .wrapped(3, dtype: .float64))
        let t = try Tensor([0, 4, 2, -100, 1, 3, 3, 0], shape: [4, 2], dtype: .int64)
        let w = try add(testTensor([5], seed: 10), .wrapped(2, dtype: .float64))
        assertGradcheck({ try crossEntropy($0[0], t, weight: w) }, [x], second: true)
        assertGradcheck({ try crossEntropy($0[0], t, reduction: .none) }, [x], second: true)
        assertGradcheck({ try nllLoss($0[0], t, weight: w, reduction: .sum) }, [x], second: true)
        let probs = try sigmoid(testTensor([4, 5, 2], seed: 11))
        assertGradcheck({ try crossEntropy($0[0], $0[1]) }, [x, probs], second: true)
    }
}
