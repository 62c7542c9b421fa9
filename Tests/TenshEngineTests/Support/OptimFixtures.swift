import Foundation
import XCTest
@testable import TenshEngine

/// Fixtures/optim.json, written by scripts/fixtures/optim.py: PyTorch training
/// records (gradients, parameters and learning rates after each step) for each
/// optimizer variant with its scheduler.
struct OptimFixture: Decodable {
    let steps: Int
    let batchSize: Int
    let data: [String: [String: FixtureTensor]]
    let initial: [String: [String: FixtureTensor]]
    let variants: [OptimVariant]

    enum CodingKeys: String, CodingKey {
        case steps, data, initial, variants
        case batchSize = "batch_size"
    }

    static func load() throws -> OptimFixture {
        guard let url = Bundle.module.url(forResource: "optim", withExtension: "json", subdirectory: "Fixtures") else {
            throw EngineError(.io, op: "fixtures", "fixture file optim.json is missing")
        }
        return try JSONDecoder().decode(OptimFixture.self, from: Data(contentsOf: url))
    }

    /// The state_dict keys in the network's order.
    static let keys = ["0.weight", "0.bias", "2.weight", "2.bias"]
}

struct OptimVariant: Decodable {
    struct Optimizer: Decodable {
        struct Group: Decodable { let keys: [String]; let kwargs: [String: OptimKwarg] }
        let type: String
        let kwargs: [String: OptimKwarg]
        let groups: [Group]?
    }
    struct Scheduler: Decodable { let type: String; let kwargs: [String: OptimKwarg] }
    struct Step: Decodable {
        let grads: [String: FixtureTensor]
        let params: [String: FixtureTensor]
        let lrs: [Double]
    }
    let name: String
    let dtype: String
    let optimizer: Optimizer
    let scheduler: Scheduler
    let steps: [Step]
}

enum OptimKwarg: Decodable {
    case number(Double), bool(Bool), numbers([Double])
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let d = try? c.decode(Double.self) { self = .number(d) } else {
            self = .numbers(try c.decode([Double].self))
        }
    }
    var number: Double? { if case .number(let d) = self { return d }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var numbers: [Double]? { if case .numbers(let l) = self { return l }; return nil }
}

extension Dictionary where Key == String, Value == OptimKwarg {
    func number(_ k: String, _ d: Double) -> Double { self[k]?.number ?? d }
    func flag(_ k: String) -> Bool { self[k]?.bool ?? false }
}

/// The engine rule for a fixture optimizer with PyTorch's defaults.
func optimizerRule(_ type: String, _ kw: [String: OptimKwarg]) throws -> OptimizerRule {
    let betas = kw["betas"]?.numbers ?? [0.9, 0.999]
    switch type {
    case "SGD":
        return .sgd(SGDRule(lr: kw.number("lr", 1e-3), momentum: kw.number("momentum", 0), dampening: kw.number("dampening", 0),
                            weightDecay: kw.number("weight_decay", 0), nesterov: kw.flag("nesterov"), maximize: kw.flag("maximize")))
    case "Adam", "AdamW":
        let adamW = type == "AdamW"
        return .adam(AdamRule(lr: kw.number("lr", 1e-3), beta1: betas[0], beta2: betas[1], eps: kw.number("eps", 1e-8),
                              weightDecay: kw.number("weight_decay", adamW ? 1e-2 : 0), amsgrad: kw.flag("amsgrad"),
                              maximize: kw.flag("maximize"), decoupledWeightDecay: adamW))
    case "RMSprop":
        return .rmsprop(RMSpropRule(lr: kw.number("lr", 1e-2), alpha: kw.number("alpha", 0.99), eps: kw.number("eps", 1e-8),
                                    weightDecay: kw.number("weight_decay", 0), momentum: kw.number("momentum", 0),
                                    centered: kw.flag("centered"), maximize: kw.flag("maximize")))
    case "Adagrad":
        return .adagrad(AdagradRule(lr: kw.number("lr", 1e-2), lrDecay: kw.number("lr_decay", 0),
                                    weightDecay: kw.number("weight_decay", 0),
                                    initialAccumulatorValue: kw.number("initial_accumulator_value", 0),
                                    eps: kw.number("eps", 1e-10), maximize: kw.flag("maximize")))
    default:
        throw EngineError(.io, op: "fixtures", "unknown optimizer \(type)")
    }
}

/// The engine schedule for a fixture scheduler with PyTorch's defaults.
func lrSchedule(_ type: String, _ kw: [String: OptimKwarg]) throws -> LRSchedule {
    switch type {
    case "StepLR": return .step(stepSize: Int(kw.number("step_size", 1)), gamma: kw.number("gamma", 0.1))
    case "MultiStepLR": return .multiStep(milestones: (kw["milestones"]?.numbers ?? []).map { Int($0) }, gamma: kw.number("gamma", 0.1))
    case "ExponentialLR": return .exponential(gamma: kw.number("gamma", 0.1))
    case "CosineAnnealingLR": return .cosineAnnealing(tMax: Int(kw.number("T_max", 1)), etaMin: kw.number("eta_min", 0))
    case "LinearLR":
        return .linear(startFactor: kw.number("start_factor", 1.0 / 3), endFactor: kw.number("end_factor", 1),
                       totalIters: Int(kw.number("total_iters", 5)))
    default: throw EngineError(.io, op: "fixtures", "unknown scheduler \(type)")
    }
}
