import XCTest
@testable import TenshEngine

/// The fused step kernels and the schedules against PyTorch's training records:
/// each step is fed PyTorch's gradients, and the parameters after the step and
/// the learning rates must match (f64 1e-10, f32 1e-5).
final class OptimizerFixtureTests: XCTestCase {
    func testEveryVariantMatchesPyTorchForTwentySteps() throws {
        let fixture = try OptimFixture.load()
        XCTAssertEqual(fixture.variants.count, 22)
        for variant in fixture.variants {
            try replay(variant, initial: XCTUnwrap(fixture.initial[variant.dtype]))
        }
    }

    private struct Group { var rule: OptimizerRule; let keys: [String]; var lr: Double; let base: Double }

    private func groups(_ v: OptimVariant) throws -> [Group] {
        let specs = v.optimizer.groups ?? [.init(keys: OptimFixture.keys, kwargs: [:])]
        return try specs.map { spec in
            let rule = try optimizerRule(v.optimizer.type, v.optimizer.kwargs.merging(spec.kwargs) { $1 })
            return Group(rule: rule, keys: spec.keys, lr: rule.lr, base: rule.lr)
        }
    }

    private func replay(_ v: OptimVariant, initial: [String: FixtureTensor]) throws {
        var params: [String: Tensor] = [:]
        for k in OptimFixture.keys { params[k] = try XCTUnwrap(initial[k]).tensor().setRequiresGrad() }
        let schedule = try lrSchedule(v.scheduler.type, v.scheduler.kwargs)
        try schedule.validate(op: v.scheduler.type)
        var groups = try groups(v)
        for i in groups.indices { groups[i].lr = schedule.rate(epoch: 0, current: groups[i].lr, base: groups[i].base) }
        let state = OptimizerState()
        for (n, step) in v.steps.enumerated() {
            for (k, g) in step.grads { params[k]?.grad = try g.tensor() }
            for group in groups {
                var rule = group.rule
                rule.lr = group.lr
                for k in group.keys { try optimizerStep(XCTUnwrap(params[k]), state: state.state(for: XCTUnwrap(params[k])), rule: rule) }
            }
            for i in groups.indices { groups[i].lr = schedule.rate(epoch: n + 1, current: groups[i].lr, base: groups[i].base) }
            XCTAssertEqual(groups.map(\.lr), step.lrs, "\(v.name) \(v.dtype) step \(n + 1) lrs")
            for (k, want) in step.params {
                assertClose(try XCTUnwrap(params[k]), try want.tensor(), "\(v.name) \(v.dtype) step \(n + 1) \(k)")
            }
        }
    }

    func testStateIsCreatedLazilyUnderPyTorchNames() throws {
        let p = try Tensor([1, 2], shape: [2], dtype: .float64).setRequiresGrad()
        let state = OptimizerState()
        XCTAssertFalse(try optimizerStep(p, state: state.state(for: p), rule: .adam(AdamRule())), "no grad: no step")
        XCTAssertTrue(state.state(for: p).buffers.isEmpty)
        p.grad = try Tensor([0.5, -0.5], shape: [2], dtype: .float64)
        try optimizerStep(p, state: state.state(for: p), rule: .adam(AdamRule(amsgrad: true)))
        XCTAssertEqual(state.state(for: p).buffers.map(\.name), ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        XCTAssertEqual(state.state(for: p).step, 1)
        let q = try Tensor([1], shape: [1]).setRequiresGrad()
        q.grad = try Tensor([2], shape: [1])
        try optimizerStep(q, state: state.state(for: q), rule: .sgd(SGDRule(lr: 0.1, momentum: 0.9)))
        XCTAssertEqual(state.state(for: q).buffer("momentum_buffer")?.toDoubles(), [2], "the first buffer is the gradient")
        try optimizerStep(q, state: state.state(for: q), rule: .sgd(SGDRule(lr: 0.1, momentum: 0.9)))
        assertValues(state.state(for: q).buffer("momentum_buffer")?.toDoubles() ?? [], [3.8], accuracy: 1e-6)
    }

    func testAStepChangesValuesInPlaceWithoutAGraph() throws {
        let p = try Tensor([1, 2, 3], shape: [3]).setRequiresGrad()
        let storage = p.storage, version = p.storage.version
        p.grad = try Tensor([1, 1, 1], shape: [3])
        try optimizerStep(p, state: ParameterState(), rule: .sgd(SGDRule(lr: 0.5)))
        XCTAssertTrue(p.storage === storage)
        XCTAssertEqual(p.toDoubles(), [0.5, 1.5, 2.5])
        XCTAssertTrue(p.isLeaf)
        XCTAssertGreaterThan(p.storage.version, version, "an in-place change bumps the version counter")
    }

    func testBadParametersAndHyperparametersAreErrors() throws {
        let p = try Tensor([1, 2, 3, 4], shape: [2, 2]).setRequiresGrad()
        p.grad = try Tensor([1, 1], shape: [2])
        XCTAssertThrowsError(try optimizerStep(p, state: ParameterState(), rule: .sgd(SGDRule(lr: 0.1)), op: "SGD.step", index: 3)) {
            XCTAssertEqual("\($0)", "SGD.step: parameter 3 has shape [2, 2] but its grad has shape [2]")
        }
        XCTAssertThrowsError(try OptimizerRule.sgd(SGDRule(lr: -1)).validate(op: "SGD")) {
            XCTAssertEqual("\($0)", "SGD: invalid lr -1.0: must be >= 0")
        }
        XCTAssertThrowsError(try OptimizerRule.sgd(SGDRule(lr: 0.1, nesterov: true)).validate(op: "SGD"))
        XCTAssertThrowsError(try OptimizerRule.adam(AdamRule(beta2: 1)).validate(op: "Adam"))
        XCTAssertThrowsError(try LRSchedule.cosineAnnealing(tMax: 0, etaMin: 0).validate(op: "CosineAnnealingLR"))
        XCTAssertThrowsError(try LRSchedule.linear(startFactor: 0, endFactor: 1, totalIters: 5).validate(op: "LinearLR"))
    }
}
