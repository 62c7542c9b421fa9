import TenshEngine

/// `torch.optim.lr_scheduler`'s schedulers, and the methods of optimizers and schedulers.
enum SchedulerBuiltins {
    static let category = OptimBuiltins.category
    static let optimizer = BuiltinParameter.required("optimizer", .any)

    static let all: [Builtin] = [
        scheduler("StepLR", [.required("step_size", .int), .optional("gamma", .number, "0.1")],
                  summary: "Multiplies each group's lr by gamma every step_size epochs.", example: "sched = StepLR(opt, 5, gamma=0.5)") { a in
            .step(stepSize: try a.int("step_size"), gamma: try a.double("gamma"))
        },
        scheduler("MultiStepLR", [.required("milestones", .dims), .optional("gamma", .number, "0.1")],
                  summary: "Multiplies each group's lr by gamma at each milestone epoch.",
                  example: "sched = MultiStepLR(opt, [30, 80], gamma=0.1)") { a in
            .multiStep(milestones: try a.ints("milestones"), gamma: try a.double("gamma"))
        },
        scheduler("ExponentialLR", [.required("gamma", .number)], summary: "Multiplies each group's lr by gamma every epoch.",
                  example: "sched = ExponentialLR(opt, 0.95)") { a in
            .exponential(gamma: try a.double("gamma"))
        },
        scheduler("CosineAnnealingLR", [.required("T_max", .int), .optional("eta_min", .number, "0")],
                  summary: "Anneals each group's lr along a half cosine to eta_min over T_max epochs (and back up after), "
                      + "in torch's recursive form.",
                  example: "sched = CosineAnnealingLR(opt, T_max=20)") { a in
            .cosineAnnealing(tMax: try a.int("T_max"), etaMin: try a.double("eta_min"))
        },
        scheduler("LinearLR", [.optional("start_factor", .number, "0.3333333333333333"), .optional("end_factor", .number, "1.0"),
                               .optional("total_iters", .int, "5")],
                  summary: "Scales each group's lr by a factor going linearly from start_factor to end_factor over total_iters epochs.",
                  example: "sched = LinearLR(opt, start_factor=0.1, total_iters=10)") { a in
            .linear(startFactor: try a.double("start_factor"), endFactor: try a.double("end_factor"), totalIters: try a.int("total_iters"))
        },
    ]

    static func scheduler(_ name: String, _ parameters: [BuiltinParameter], summary: String, example: String,
                          _ schedule: @escaping (Arguments) throws -> LRSchedule) -> Builtin {
        Builtin(name, category, [optimizer] + parameters,
                summary: summary + " sched.step() once per epoch; sched.get_last_lr().", example: example) { a in
            guard case .optimizer(let opt) = a.value("optimizer") else {
                throw a.error("optimizer", "\(name) needs an optimizer, got \(a.value("optimizer").typeNameWithArticle)")
            }
            return .scheduler(try LRScheduler(typeName: name, schedule: try schedule(a), optimizer: opt))
        }
    }

    static let receiver = BuiltinParameter.required("self", .any)

    /// `opt.step()`, `opt.zero_grad()`.
    static let optimizerMethods: [String: Builtin] = table([
        Builtin("step", "Optimizer methods", [receiver],
                summary: "One in-place update of every parameter that has a gradient.", example: "opt.step()") { a in
            try optimizerValue(a).step()
            return .none
        },
        Builtin("zero_grad", "Optimizer methods", [receiver],
                summary: "Sets the gradients of the optimizer's parameters to none.", example: "opt.zero_grad()") { a in
            try optimizerValue(a).zeroGrad()
            return .none
        },
    ])

    /// `sched.step()`, `sched.get_last_lr()`.
    static let schedulerMethods: [String: Builtin] = table([
        Builtin("step", "Scheduler methods", [receiver],
                summary: "Moves to the next epoch and writes its learning rates into the optimizer's groups.", example: "sched.step()") { a in
            try schedulerValue(a).step()
            return .none
        },
        Builtin("get_last_lr", "Scheduler methods", [receiver],
                summary: "The learning rates of the groups after the last step, as a list.", example: "sched.get_last_lr()") { a in
            .list(try schedulerValue(a).lastRates.map(Value.float))
        },
    ])

    private static func table(_ builtins: [Builtin]) -> [String: Builtin] {
        Dictionary(uniqueKeysWithValues: builtins.map { ($0.name, $0) })
    }

    private static func optimizerValue(_ a: Arguments) throws -> Optimizer {
        guard case .optimizer(let o) = a.value("self") else { throw a.error("self", "expected an optimizer") }
        return o
    }

    private static func schedulerValue(_ a: Arguments) throws -> LRScheduler {
        guard case .scheduler(let s) = a.value("self") else { throw a.error("self", "expected a scheduler") }
        return s
    }
}
