import XCTest
@testable import TenshEngine

final class BatchNormTests: XCTestCase {
    func testBatchNormMatchesPyTorchIncludingRunningStats() throws {
        let cases = try NNCase.load(op: "batch_norm")
        XCTAssertEqual(cases.count, 10)
        for c in cases {
            let runningMean = try XCTUnwrap(c.constants["running_mean"]).cloned()
            let runningVar = try XCTUnwrap(c.constants["running_var"]).cloned()
            let training = try XCTUnwrap(c.bool("training"))
            try c.check {
                try batchNorm(XCTUnwrap($0["x"]), runningMean: runningMean, runningVar: runningVar, weight: $0["weight"],
                              bias: $0["bias"], training: training, momentum: XCTUnwrap(c.double("momentum")),
                              eps: XCTUnwrap(c.double("eps")))
            }
            // check() runs the op once, so the stats were updated exactly once.
            assertClose(runningMean, try XCTUnwrap(c.extra["running_mean"]), "\(c.name) running_mean")
            assertClose(runningVar, try XCTUnwrap(c.extra["running_var"]), "\(c.name) running_var")
        }
    }

    func testTrainingNormalisesEachChannelAndUpdatesStatsWithUnbiasedVariance() throws {
        let x = try Tensor([1, 10, 3, 20, 5, 30], shape: [3, 2], dtype: .float64)
        let rm = try zeros([2], dtype: .float64), rv = try ones([2], dtype: .float64)
        let y = try batchNorm(x, runningMean: rm, runningVar: rv, training: true, momentum: 0.5, eps: 0)
        let v = y.toDoubles()
        let s = (8.0 / 3).squareRoot()
        XCTAssertEqual(v[0], -2 / s, accuracy: 1e-12)
        XCTAssertEqual(v[4], 2 / s, accuracy: 1e-12)
        XCTAssertEqual(rm.toDoubles(), [1.5, 10])
        // unbiased var of channel 0 = 4; running = 0.5·1 + 0.5·4
        XCTAssertEqual(rv.toDoubles()[0], 2.5, accuracy: 1e-12)
        XCTAssertFalse(rm.requiresGrad)
    }

    func testEvalUsesRunningStatsAndLeavesThemAlone() throws {
        let x = try testTensor([2, 3, 2, 2], seed: 1)
        let rm = try Tensor([0.5, -0.5, 0], shape: [3], dtype: .float64), rv = try Tensor([4, 1, 0.25], shape: [3], dtype: .float64)
        let y = try batchNorm(x, runningMean: rm, runningVar: rv, training: false, eps: 0)
        XCTAssertEqual(y.toDoubles()[0], (x.toDoubles()[0] - 0.5) / 2, accuracy: 1e-12)
        XCTAssertEqual(rm.toDoubles(), [0.5, -0.5, 0])
    }

    func testFastAndComposedGradientsAgree() throws {
        // A plain backward uses the typed kernel; createGraph uses the rule built from public ops.
        for dtype in [DType.float32, .float64] {
            let x = try mul(testTensor([4, 3, 2, 5], seed: 9, dtype: dtype), .wrapped(3, dtype: .float64)).detached().setRequiresGrad()
            let w = try testTensor([3], seed: 10, dtype: dtype).setRequiresGrad(), b = try testTensor([3], seed: 11, dtype: dtype).setRequiresGrad()
            let g = try testTensor([4, 3, 2, 5], seed: 12, dtype: dtype)
            let y = try batchNorm(x, weight: w, bias: b, training: true)
            let fast = try grad([y], [x, w, b], gradOutputs: [g])
            let composed = try grad([y], [x, w, b], gradOutputs: [g], createGraph: true)
            for (f, c) in zip(fast, composed) {
                let f = try XCTUnwrap(f), c = try XCTUnwrap(c)
                XCTAssertEqual(f.dtype, dtype)
                assertClose(f, c.detached(), rtol: dtype == .float32 ? 1e-4 : 1e-10, atol: dtype == .float32 ? 1e-5 : 1e-10)
            }
        }
    }

    func testBothModesAreOneBatchNormNode() throws {
        let x = try testTensor([4, 2], seed: 13).setRequiresGrad(), w = try testTensor([2], seed: 14).setRequiresGrad()
        let train = try batchNorm(x, weight: w, training: true)
        let eval = try batchNorm(x, runningMean: zeros([2], dtype: .float64), runningVar: ones([2], dtype: .float64), weight: w, training: false)
        for y in [train, eval] {
            XCTAssertEqual(y.gradFn?.op, "BatchNorm")
            XCTAssertEqual(y.gradFn?.inputs.count, 2)
        }
        XCTAssertEqual(train.gradFn?.attributes.first?.value, "true")
        XCTAssertEqual(eval.gradFn?.attributes.first?.value, "false")
    }

    func testBatchNormErrors() throws {
        let x = try testTensor([4, 3], seed: 2)
        assertEngineErrorContains(try batchNorm(x, training: false), contains: "needs running_mean and running_var")
        assertEngineErrorContains(try batchNorm(testTensor([1, 3], seed: 1), training: true), contains: "expected more than 1 value per channel")
        assertEngineErrorContains(try batchNorm(x, weight: testTensor([4], seed: 1), training: true),
                          contains: "weight must be a float tensor of shape [3] for input [4, 3]")
        assertEngineErrorContains(try batchNorm(testTensor([3], seed: 1), training: true), contains: "expected a float [N, C] or [N, C, H, W] input")
    }

    func testGradcheckTrainingAndEval() throws {
        let x = try testTensor([3, 2, 2, 3], seed: 3), w = try add(testTensor([2], seed: 4), .wrapped(1.5, dtype: .float64))
        let b = try testTensor([2], seed: 5)
        assertGradcheck({ try batchNorm($0[0], weight: $0[1], bias: $0[2], training: true) }, [x, w, b], second: true)
        assertGradcheck({ try batchNorm($0[0], training: true) }, [try testTensor([5, 3], seed: 6)], second: true)
        let rm = try testTensor([2], seed: 7), rv = try add(testTensor([2], seed: 8), .wrapped(2, dtype: .float64))
        assertGradcheck({ try batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: false) },
                        [x, w, b], second: true)
    }
}
