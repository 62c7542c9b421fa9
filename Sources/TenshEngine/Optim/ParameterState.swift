import TenshText

/// What an optimizer keeps for one parameter (PyTorch's `optimizer.state[p]`):
/// the step count and named buffers (`momentum_buffer`, `exp_avg`, ...), each
/// created on the parameter's first step, as PyTorch creates them.
public final class ParameterState {
    /// Steps taken (PyTorch keeps it as a float tensor; SGD keeps none).
    public internal(set) var step = 0.0
    /// Buffers in the order they were created, under PyTorch's names.
    public private(set) var buffers: [(name: String, tensor: Tensor)] = []

    public init() {}

    public func buffer(_ name: String) -> Tensor? {
        buffers.first { $0.name == name }?.tensor
    }

    /// The buffer `name`, made like `param` and filled with `fill` when missing.
    func buffer(_ name: String, like param: Tensor, fill: Double) throws -> Tensor {
        if let t = buffer(name) { return t }
        let t = try Tensor(zeros: param.shape, dtype: param.dtype, op: "optimizer state")
        if fill != 0 { withTypedPointer(t) { p, n in for i in 0..<n { p.store(i, fill) } } }
        buffers.append((name, t))
        return t
    }
}

/// Per-parameter state of one optimizer, keyed by the parameter object (as
/// PyTorch's `optimizer.state` is). Holds the parameters it has seen alive.
public final class OptimizerState {
    private var states: [ObjectIdentifier: (param: Tensor, state: ParameterState)] = [:]

    public init() {}

    /// The state of `param`, made empty on first use.
    public func state(for param: Tensor) -> ParameterState {
        if let s = states[ObjectIdentifier(param)] { return s.state }
        let s = ParameterState()
        states[ObjectIdentifier(param)] = (param, s)
        return s
    }

    /// The state of `param` if it has stepped.
    public func existingState(for param: Tensor) -> ParameterState? {
        states[ObjectIdentifier(param)]?.state
    }

    public var count: Int { states.count }
}

/// A contiguous float tensor's elements, to the step kernels.
struct FloatPointer {
    let raw: UnsafeMutableRawPointer
    let isDouble: Bool
    func store(_ i: Int, _ v: Double) {
        if isDouble { raw.assumingMemoryBound(to: Double.self)[i] = v } else { raw.assumingMemoryBound(to: Float.self)[i] = Float(v) }
    }
}

func withTypedPointer(_ t: Tensor, _ body: (FloatPointer, Int) -> Void) {
    body(FloatPointer(raw: t.storage.bytes + t.offset * t.dtype.itemSize, isDouble: t.dtype == .float64), t.count)
}

/// Checks that `param` can be stepped in place and returns its gradient in the
/// parameter's layout (contiguous, same shape and dtype).
func steppableGradient(_ param: Tensor, op: String, index: Int) throws -> Tensor? {
    guard let grad = param.grad else { return nil }
    guard param.dtype.isFloatingPoint else {
        throw EngineError.invalid(op, "params", "parameter \(index) has dtype \(param.dtype); only f32 and f64 parameters can be optimized")
    }
    guard param.isContiguous else {
        throw EngineError.invalid(op, "params", "parameter \(index) (shape \(shapeText(param.shape))) is not contiguous; pass the tensor itself, not a view")
    }
    guard grad.shape == param.shape else {
        throw EngineError.invalid(op, "params", "parameter \(index) has shape \(shapeText(param.shape)) but its grad has shape \(shapeText(grad.shape))")
    }
    let g = grad.dtype == param.dtype ? grad : try grad.to(param.dtype)
    return g.isContiguous ? g : try g.contiguous()
}
