import TenshEngine

/// A `torch.optim.lr_scheduler` scheduler: made with its optimizer, it records
/// each group's "initial_lr" and takes its initial step (epoch 0); each
/// `step()` then moves one epoch and writes the new rates into the groups'
/// "lr", computed as torch computes them (engine: LRSchedule).
public final class LRScheduler {
    /// `StepLR`, `CosineAnnealingLR`, ...
    public let typeName: String
    let schedule: LRSchedule
    let optimizer: Optimizer
    private(set) var lastEpoch = -1
    private(set) var baseLRs: [Double] = []
    private(set) var lastLRs: [Double] = []

    init(typeName: String, schedule: LRSchedule, optimizer: Optimizer) throws {
        self.typeName = typeName
        self.schedule = schedule
        self.optimizer = optimizer
        do { try schedule.validate(op: typeName) } catch let e as EngineError { throw RuntimeError(e.message) }
        let groups = try optimizer.groups()
        for group in groups where try group.get(.string("initial_lr")) == nil {
            try group.set(.string("initial_lr"), try group.get(.string("lr")) ?? .none)
        }
        baseLRs = try groups.enumerated().map { i, g in try rate(g, "initial_lr", i) }
        try step()
    }

    private func rate(_ group: DictBox, _ key: String, _ index: Int) throws -> Double {
        let v = try group.get(.string(key)) ?? .none
        if let d = v.number, !v.isBool { return d }
        if case .tensor(let t) = v, t.count == 1 { return try t.item() }
        throw RuntimeError("\(typeName): param_groups[\(index)][\"\(key)\"] must be a number, got \(v.typeName)")
    }

    /// `sched.step()`: the next epoch's rates into the optimizer's groups.
    func step() throws {
        lastEpoch += 1
        let groups = try optimizer.groups()
        guard groups.count == baseLRs.count else {
            throw RuntimeError("\(typeName): the optimizer has \(groups.count) param groups but had \(baseLRs.count) when the scheduler was made")
        }
        var rates: [Double] = []
        for (i, group) in groups.enumerated() {
            let next = schedule.rate(epoch: lastEpoch, current: try rate(group, "lr", i), base: baseLRs[i])
            try group.set(.string("lr"), .float(next))
            rates.append(next)
        }
        lastLRs = rates
    }

    /// `sched.get_last_lr()`.
    var lastRates: [Double] { lastLRs }

    public var repr: String { "<\(typeName) at epoch \(lastEpoch), lr \(lastLRs.map(NumberRepr.format).joined(separator: ", "))>" }
}
