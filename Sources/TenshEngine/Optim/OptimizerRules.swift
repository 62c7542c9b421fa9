/// The update rules of PyTorch's optimizers with their hyperparameters, as
/// `torch.optim` names and defaults them. One rule per parameter group: the
/// language keeps the group's values and builds a rule before each step.

/// `torch.optim.SGD`: momentum, dampening, Nesterov, weight decay, maximize.
public struct SGDRule: Sendable, Equatable {
    public var lr: Double
    public var momentum = 0.0
    public var dampening = 0.0
    public var weightDecay = 0.0
    public var nesterov = false
    public var maximize = false
    public init(lr: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false, maximize: Bool = false) {
        (self.lr, self.momentum, self.dampening, self.weightDecay) = (lr, momentum, dampening, weightDecay)
        (self.nesterov, self.maximize) = (nesterov, maximize)
    }
}

/// `torch.optim.Adam`, and `AdamW` when `decoupledWeightDecay` is set.
public struct AdamRule: Sendable, Equatable {
    public var lr = 1e-3
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var eps = 1e-8
    public var weightDecay = 0.0
    public var amsgrad = false
    public var maximize = false
    public var decoupledWeightDecay = false
    public init(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) {
        (self.lr, self.beta1, self.beta2, self.eps) = (lr, beta1, beta2, eps)
        (self.weightDecay, self.amsgrad, self.maximize) = (weightDecay, amsgrad, maximize)
        self.decoupledWeightDecay = decoupledWeightDecay
    }
}

/// `torch.optim.RMSprop`: centered and momentum variants.
public struct RMSpropRule: Sendable, Equatable {
    public var lr = 1e-2
    public var alpha = 0.99
    public var eps = 1e-8
    public var weightDecay = 0.0
    public var momentum = 0.0
    public var centered = false
    public var maximize = false
    public init(lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false, maximize: Bool = false) {
        (self.lr, self.alpha, self.eps, self.weightDecay) = (lr, alpha, eps, weightDecay)
        (self.momentum, self.centered, self.maximize) = (momentum, centered, maximize)
    }
}

/// `torch.optim.Adagrad`: learning-rate decay and an initial accumulator value.
public struct AdagradRule: Sendable, Equatable {
    public var lr = 1e-2
    public var lrDecay = 0.0
    public var weightDecay = 0.0
    public var initialAccumulatorValue = 0.0
    public var eps = 1e-10
    public var maximize = false
    public init(lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) {
        (self.lr, self.lrDecay, self.weightDecay) = (lr, lrDecay, weightDecay)
        (self.initialAccumulatorValue, self.eps, self.maximize) = (initialAccumulatorValue, eps, maximize)
    }
}

public enum OptimizerRule: Sendable, Equatable {
    case sgd(SGDRule)
    case adam(AdamRule)
    case rmsprop(RMSpropRule)
    case adagrad(AdagradRule)

    /// The learning rate the rule steps with.
    public var lr: Double {
        get {
            switch self {
            case .sgd(let r): return r.lr
            case .adam(let r): return r.lr
            case .rmsprop(let r): return r.lr
            case .adagrad(let r): return r.lr
            }
        }
        set {
            switch self {
            case .sgd(var r): r.lr = newValue; self = .sgd(r)
            case .adam(var r): r.lr = newValue; self = .adam(r)
            case .rmsprop(var r): r.lr = newValue; self = .rmsprop(r)
            case .adagrad(var r): r.lr = newValue; self = .adagrad(r)
            }
        }
    }

    /// Rejects the values PyTorch's constructors reject, naming the argument.
    public func validate(op: String) throws {
        func check(_ ok: Bool, _ arg: String, _ value: Double, _ why: String) throws {
            guard ok else { throw EngineError.invalid(op, arg, "invalid \(arg) \(value): \(why)") }
        }
        try check(lr >= 0, "lr", lr, "must be >= 0")
        switch self {
        case .sgd(let r):
            try check(r.momentum >= 0, "momentum", r.momentum, "must be >= 0")
            try check(r.weightDecay >= 0, "weight_decay", r.weightDecay, "must be >= 0")
            guard !r.nesterov || (r.momentum > 0 && r.dampening == 0) else {
                throw EngineError.invalid(op, "nesterov", "Nesterov momentum requires a momentum and zero dampening")
            }
        case .adam(let r):
            try check(r.eps >= 0, "eps", r.eps, "must be >= 0")
            try check(r.beta1 >= 0 && r.beta1 < 1, "betas[0]", r.beta1, "must be in [0, 1)")
            try check(r.beta2 >= 0 && r.beta2 < 1, "betas[1]", r.beta2, "must be in [0, 1)")
            try check(r.weightDecay >= 0, "weight_decay", r.weightDecay, "must be >= 0")
        case .rmsprop(let r):
            try check(r.eps >= 0, "eps", r.eps, "must be >= 0")
            try check(r.momentum >= 0, "momentum", r.momentum, "must be >= 0")
            try check(r.weightDecay >= 0, "weight_decay", r.weightDecay, "must be >= 0")
            try check(r.alpha >= 0, "alpha", r.alpha, "must be >= 0")
        case .adagrad(let r):
            try check(r.lrDecay >= 0, "lr_decay", r.lrDecay, "must be >= 0")
            try check(r.weightDecay >= 0, "weight_decay", r.weightDecay, "must be >= 0")
            try check(r.initialAccumulatorValue >= 0, "initial_accumulator_value", r.initialAccumulatorValue, "must be >= 0")
            try check(r.eps >= 0, "eps", r.eps, "must be >= 0")
        }
    }
}
