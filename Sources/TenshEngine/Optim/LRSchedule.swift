#if canImport(Glibc)
import Glibc
#endif

/// Learning-rate schedules of `torch.optim.lr_scheduler`, stepped as PyTorch
/// steps them: each `step()` raises the epoch by one and computes the new rate
/// from the group's current rate with the scheduler's recursive `get_lr` form
/// (not the closed form), so the rates equal torch's to the last bit.
public enum LRSchedule: Sendable, Equatable {
    /// StepLR: times `gamma` every `stepSize` epochs.
    case step(stepSize: Int, gamma: Double)
    /// MultiStepLR: times `gamma` at each milestone (a repeated milestone multiplies again).
    case multiStep(milestones: [Int], gamma: Double)
    /// ExponentialLR: times `gamma` every epoch.
    case exponential(gamma: Double)
    /// CosineAnnealingLR: half a cosine from the base rate to `etaMin` over `tMax` epochs, and back.
    case cosineAnnealing(tMax: Int, etaMin: Double)
    /// LinearLR: the factor goes linearly from `startFactor` to `endFactor` over `totalIters` epochs.
    case linear(startFactor: Double, endFactor: Double, totalIters: Int)

    /// The rate at `epoch` (0 when the scheduler is made), given the group's
    /// current rate and its `initial_lr`.
    public func rate(epoch: Int, current lr: Double, base: Double) -> Double {
        switch self {
        case .step(let size, let gamma):
            return epoch == 0 || epoch % size != 0 ? lr : lr * gamma
        case .multiStep(let milestones, let gamma):
            let hits = milestones.filter { $0 == epoch }.count
            return hits == 0 ? lr : lr * pow(gamma, Double(hits))
        case .exponential(let gamma):
            return epoch == 0 ? lr : lr * gamma
        case .cosineAnnealing(let tMax, let etaMin):
            return cosineRate(epoch: epoch, lr: lr, base: base, tMax: tMax, etaMin: etaMin)
        case .linear(let start, let end, let total):
            if epoch == 0 { return lr * start }
            if epoch > total { return lr }
            return lr * (1.0 + (end - start) / (Double(total) * start + Double(epoch - 1) * (end - start)))
        }
    }

    private func cosineRate(epoch: Int, lr: Double, base: Double, tMax: Int, etaMin: Double) -> Double {
        if epoch == 0 { return lr }
        let t = Double(tMax)
        let period = 2 * tMax
        // Python's modulo: the result takes the divisor's sign.
        if ((epoch - 1 - tMax) % period + period) % period == 0 {
            return lr + (base - etaMin) * (1 - cos(Double.pi / t)) / 2
        }
        return (1 + cos(Double.pi * Double(epoch) / t)) / (1 + cos(Double.pi * Double(epoch - 1) / t)) * (lr - etaMin) + etaMin
    }

    /// Rejects what PyTorch's constructors reject (or what would divide by zero), naming the argument.
    public func validate(op: String) throws {
        switch self {
        case .step(let size, _):
            guard size > 0 else { throw EngineError.invalid(op, "step_size", "step_size must be a positive integer, got \(size)") }
        case .multiStep(let milestones, _):
            guard milestones == milestones.sorted() else {
                throw EngineError.invalid(op, "milestones", "milestones should be a list of increasing integers, got \(milestones)")
            }
        case .exponential:
            return
        case .cosineAnnealing(let tMax, _):
            guard tMax > 0 else { throw EngineError.invalid(op, "T_max", "T_max must be a positive integer, got \(tMax)") }
        case .linear(let start, let end, let total):
            guard start > 0 && start <= 1 else {
                throw EngineError.invalid(op, "start_factor", "start_factor must be greater than 0 and at most 1, got \(start)")
            }
            guard end >= 0 && end <= 1 else {
                throw EngineError.invalid(op, "end_factor", "end_factor must be between 0 and 1, got \(end)")
            }
            guard total > 0 else { throw EngineError.invalid(op, "total_iters", "total_iters must be a positive integer, got \(total)") }
        }
    }
}
