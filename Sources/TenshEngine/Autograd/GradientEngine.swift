import TenshText

/// Reverse-mode differentiation over the recorded graph: an iterative
/// depth-first walk (no recursion, so graphs of any depth are safe) gives a
/// topological order; gradients then flow from outputs to inputs in that order.
enum GradientEngine {
    /// Gradients of `outputs` (weighted by `gradOutputs`) with respect to every
    /// tensor in `targets`. Returns the accumulated gradient per target identity.
    static func run(outputs: [Tensor], gradOutputs: [Tensor?], targets: [Tensor], op: String,
                    createGraph: Bool) throws -> [ObjectIdentifier: Tensor] {
        let seeds = try seedGradients(outputs, gradOutputs, op: op)
        let order = topologicalOrder(outputs)
        let targetIDs = Set(targets.map(ObjectIdentifier.init))
        let needed = tensorsLeadingTo(targetIDs, order: order)

        var grads: [ObjectIdentifier: Tensor] = [:]
        return try GradMode.with(enabled: createGraph) {
            for (t, g) in zip(outputs, seeds) { try accumulate(&grads, ObjectIdentifier(t), g) }
            // Reverse post-order: every consumer of a tensor runs before the tensor itself.
            for tensor in order.reversed() {
                try Cancellation.check(op)
                let id = ObjectIdentifier(tensor)
                guard let node = tensor.gradFn, needed.contains(id), let gOut = grads[id] else { continue }
                let needs = node.inputs.map { $0.requiresGrad && needed.contains(ObjectIdentifier($0)) }
                guard needs.contains(true) else { continue }
                let ctx = Node.Context(gradOutput: gOut, output: tensor, inputs: node.inputs, needsGrad: needs)
                guard let rule = node.backward else { continue }
                let inputGrads = try rule(ctx)
                for (i, input) in node.inputs.enumerated() where needs[i] {
                    guard i < inputGrads.count, let g = inputGrads[i] else { continue }
                    guard g.shape == input.shape else {
                        throw EngineError(.autograd, op: node.gradFnName,
                            "gradient for input \(i) has shape \(shapeText(g.shape)) but the input has shape \(shapeText(input.shape))")
                    }
                    try accumulate(&grads, ObjectIdentifier(input), g)
                }
                if !targetIDs.contains(id) { grads[id] = nil } // free intermediate gradients early
            }
            return grads.filter { targetIDs.contains($0.key) }
        }
    }

    /// The gradient each output starts with: `gradOutputs[i]`, or 1 for a scalar.
    private static func seedGradients(_ outputs: [Tensor], _ gradOutputs: [Tensor?], op: String) throws -> [Tensor] {
        guard gradOutputs.isEmpty || gradOutputs.count == outputs.count else {
            throw EngineError(.autograd, op: op, argument: "grad_output",
                              "\(gradOutputs.count) gradients given for \(outputs.count) outputs")
        }
        return try outputs.enumerated().map { i, out in
            guard out.requiresGrad else {
                throw EngineError(.autograd, op: op, "output \(i) does not require grad and has no grad_fn (was it computed from tensors with requires_grad=true, outside no_grad?)")
            }
            if i < gradOutputs.count, let g = gradOutputs[i] {
                guard g.shape == out.shape else {
                    throw EngineError(.autograd, op: op, argument: "grad_output",
                                      "grad_output has shape \(shapeText(g.shape)) but the output has shape \(shapeText(out.shape))")
                }
                return try g.to(out.dtype)
            }
            guard out.count == 1 else {
                throw EngineError(.autograd, op: op, argument: "grad_output",
                                  "output of shape \(shapeText(out.shape)) is not a scalar: pass grad_output")
            }
            return try full(out.shape, 1, dtype: out.dtype)
        }
    }

    private static func accumulate(_ grads: inout [ObjectIdentifier: Tensor], _ id: ObjectIdentifier, _ g: Tensor) throws {
        if let existing = grads[id] { grads[id] = try add(existing, g) } else { grads[id] = g }
    }

    /// Post-order of every tensor reachable from `roots` through tensors that require grad.
    static func topologicalOrder(_ roots: [Tensor]) -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(tensor: Tensor, nextInput: Int)] = []
        for root in roots where visited.insert(ObjectIdentifier(root)).inserted {
            stack.append((root, 0))
            while let top = stack.last {
                let inputs = top.tensor.gradFn?.inputs ?? []
                if top.nextInput < inputs.count {
                    stack[stack.count - 1].nextInput += 1
                    let child = inputs[top.nextInput]
                    if child.requiresGrad, visited.insert(ObjectIdentifier(child)).inserted {
                        stack.append((child, 0))
                    }
                } else {
                    order.append(top.tensor)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// Tensors from which some target is reachable (the only ones worth differentiating).
    private static func tensorsLeadingTo(_ targets: Set<ObjectIdentifier>, order: [Tensor]) -> Set<ObjectIdentifier> {
        var needed = targets
        for t in order { // post-order: inputs are decided before their consumers
            let id = ObjectIdentifier(t)
            if let inputs = t.gradFn?.inputs, inputs.contains(where: { needed.contains(ObjectIdentifier($0)) }) {
                needed.insert(id)
            }
        }
        return needed
    }
}

/// Gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`).
/// - gradOutputs: weights for non-scalar outputs (nil entries mean ones for scalars).
/// - createGraph: record the backward pass so the results can be differentiated again.
/// - allowUnused: return nil for an input the outputs do not depend on, instead of an error.
public func grad(_ outputs: [Tensor], _ inputs: [Tensor], gradOutputs: [Tensor?] = [],
                 createGraph: Bool = false, allowUnused: Bool = false) throws -> [Tensor?] {
    for (i, x) in inputs.enumerated() where !x.requiresGrad {
        throw EngineError(.autograd, op: "grad", argument: "inputs",
                          "input \(i) (shape \(shapeText(x.shape))) does not require grad")
    }
    let grads = try GradientEngine.run(outputs: outputs, gradOutputs: gradOutputs, targets: inputs,
                                       op: "grad", createGraph: createGraph)
    return try inputs.enumerated().map { i, x in
        if let g = grads[ObjectIdentifier(x)] { return createGraph ? g : g.detached() }
        guard allowUnused else {
            throw EngineError(.autograd, op: "grad", argument: "inputs",
                "input \(i) (shape \(shapeText(x.shape))) was not used to compute the output; pass allow_unused=true to get none")
        }
        return nil
    }
}

/// Single-output, single-input convenience form of `grad`.
public func grad(_ output: Tensor, _ input: Tensor, gradOutput: Tensor? = nil,
                 createGraph: Bool = false, allowUnused: Bool = false) throws -> Tensor? {
    try grad([output], [input], gradOutputs: [gradOutput], createGraph: createGraph, allowUnused: allowUnused)[0]
}

/// Accumulates d(output)/d(leaf) into `.grad` of every leaf that requires grad.
public func backward(_ output: Tensor, gradOutput: Tensor? = nil, createGraph: Bool = false) throws {
    let leaves = GradientEngine.topologicalOrder([output]).filter { $0.isLeaf && $0.requiresGrad }
    let grads = try GradientEngine.run(outputs: [output], gradOutputs: [gradOutput], targets: leaves,
                                       op: "backward", createGraph: createGraph)
    try GradMode.with(enabled: createGraph) {
        for leaf in leaves {
            guard let computed = grads[ObjectIdentifier(leaf)] else { continue }
            let g = createGraph ? computed : computed.detached()
            // `.grad` is settable; a wrong-shaped one would otherwise broadcast silently.
            if let existing = leaf.grad, existing.shape != leaf.shape {
                throw EngineError(.autograd, op: "backward", argument: "grad",
                    "the existing .grad has shape \(shapeText(existing.shape)) but the tensor has shape \(shapeText(leaf.shape))")
            }
            // A fresh copy: `.grad` must never alias a tensor the user holds.
            leaf.grad = try leaf.grad.map { try add($0.detached(), g) } ?? g.cloned()
        }
    }
}
