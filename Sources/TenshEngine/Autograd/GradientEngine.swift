import TenshText

/// Reverse-mode differentiation over the recorded graph: an iterative
/// depth-first walk (no recursion, so graphs of any depth are safe) gives a
/// topological order; gradients then flow from outputs to inputs in that order.
///
/// Gradients collect at *positions*: the output of a node (keyed by the node)
/// or a leaf tensor (keyed by the tensor). Edges are the `inputNodes` each node
/// recorded, so a tensor changed in place after it was used still sends the
/// gradient of its old use to its old history.
enum GradientEngine {
    /// A place in the graph: a node's output, seen through some tensor object
    /// holding it (the rule's `output`), or a leaf tensor (`node` nil).
    struct Position {
        let tensor: Tensor
        let node: Node?
        var id: ObjectIdentifier { node.map(ObjectIdentifier.init) ?? ObjectIdentifier(tensor) }

        /// Where `t`'s gradient goes now: its current node, or itself as a leaf.
        init(_ t: Tensor) {
            tensor = t
            node = t.gradFn
        }

        init(tensor: Tensor, node: Node?) {
            self.tensor = tensor
            self.node = node
        }

        /// The positions input i of this node's rule sends gradients to (nil when it did not require grad).
        func input(_ i: Int) -> Position? {
            guard let n = node, n.edges[i].requiredGrad else { return nil }
            return Position(tensor: n.inputs[i], node: n.edges[i].node)
        }
    }

    /// Gradients of `outputs` (weighted by `gradOutputs`) with respect to every
    /// position in `targets`. Returns the accumulated gradient per position id.
    /// `retaining` receives the gradient of every op output on the way (cleared first).
    static func run(outputs: [Tensor], gradOutputs: [Tensor?], targets: [Position], op: String,
                    createGraph: Bool, retaining store: RetainedGradients? = nil) throws -> [ObjectIdentifier: Tensor] {
        let seeds = try seedGradients(outputs, gradOutputs, op: op)
        let roots = outputs.map(Position.init)
        let order = topologicalOrder(roots)
        let targetIDs = Set(targets.map(\.id))
        let needed = positionsLeadingTo(targetIDs, order: order)

        var grads: [ObjectIdentifier: Tensor] = [:]
        store?.clear()
        return try GradMode.with(enabled: createGraph) {
            for (p, g) in zip(roots, seeds) { try accumulate(&grads, p.id, g) }
            // Reverse post-order: every consumer of a position runs before the position itself.
            for position in order.reversed() {
                try Cancellation.check(op)
                let id = position.id
                guard let node = position.node, needed.contains(id), let gOut = grads[id] else { continue }
                try retain(gOut, of: position.tensor, node: node, into: store, createGraph: createGraph)
                var next: [Position?] = [], needs: [Bool] = []
                next.reserveCapacity(node.inputs.count)
                needs.reserveCapacity(node.inputs.count)
                for i in node.inputs.indices {
                    let p = position.input(i)
                    next.append(p)
                    needs.append(p.map { needed.contains($0.id) } ?? false)
                }
                guard needs.contains(true), let rule = node.backward else { continue }
                for s in node.saved { try s.check(in: node, op: op) }
                let ctx = Node.Context(gradOutput: gOut, output: position.tensor, inputs: node.inputs, needsGrad: needs)
                let inputGrads = try rule(ctx)
                for (i, input) in node.inputs.enumerated() where needs[i] {
                    guard i < inputGrads.count, let g = inputGrads[i], let target = next[i] else { continue }
                    guard g.shape == input.shape else {
                        throw EngineError(.autograd, op: node.gradFnName,
                            "gradient for input \(i) has shape \(shapeText(g.shape)) but the input has shape \(shapeText(input.shape))")
                    }
                    try accumulate(&grads, target.id, g)
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

    /// Post-order of every position reachable from `roots` along recorded edges.
    static func topologicalOrder(_ roots: [Position]) -> [Position] {
        var order: [Position] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(position: Position, nextInput: Int)] = []
        for root in roots where visited.insert(root.id).inserted {
            stack.append((root, 0))
            while let top = stack.last {
                let inputCount = top.position.node?.inputs.count ?? 0
                if top.nextInput < inputCount {
                    stack[stack.count - 1].nextInput += 1
                    if let child = top.position.input(top.nextInput), visited.insert(child.id).inserted {
                        stack.append((child, 0))
                    }
                } else {
                    order.append(top.position)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// Positions from which some target is reachable (the only ones worth differentiating).
    private static func positionsLeadingTo(_ targets: Set<ObjectIdentifier>, order: [Position]) -> Set<ObjectIdentifier> {
        var needed = targets
        for p in order { // post-order: inputs are decided before their consumers
            guard let node = p.node else { continue }
            if node.inputs.indices.contains(where: { p.input($0).map { needed.contains($0.id) } ?? false }) {
                needed.insert(p.id)
            }
        }
        return needed
    }
}

/// Gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`).
/// - gradOutputs: weights for non-scalar outputs (nil entries mean ones for scalars).
/// - createGraph: record the backward pass so the results can be differentiated again.
/// - allowUnused: return nil for an input the outputs do not depend on, instead of an error.
/// - retaining: receives the gradient of every op output the pass computes (for display).
public func grad(_ outputs: [Tensor], _ inputs: [Tensor], gradOutputs: [Tensor?] = [],
                 createGraph: Bool = false, allowUnused: Bool = false,
                 retaining store: RetainedGradients? = nil) throws -> [Tensor?] {
    for (i, x) in inputs.enumerated() where !x.requiresGrad {
        throw EngineError(.autograd, op: "grad", argument: "inputs",
                          "input \(i) (shape \(shapeText(x.shape))) does not require grad")
    }
    let targets = inputs.map(GradientEngine.Position.init)
    let grads = try GradientEngine.run(outputs: outputs, gradOutputs: gradOutputs, targets: targets,
                                       op: "grad", createGraph: createGraph, retaining: store)
    return try inputs.enumerated().map { i, x in
        if let g = grads[targets[i].id] { return createGraph ? g : g.detached() }
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
/// `retaining` receives the gradient of every op output on the way (for display).
public func backward(_ output: Tensor, gradOutput: Tensor? = nil, createGraph: Bool = false,
                     retaining store: RetainedGradients? = nil) throws {
    let leaves = GradientEngine.topologicalOrder([GradientEngine.Position(output)]).filter { $0.node == nil }
    let grads = try GradientEngine.run(outputs: [output], gradOutputs: [gradOutput], targets: leaves,
                                       op: "backward", createGraph: createGraph, retaining: store)
    try GradMode.with(enabled: createGraph) {
        for position in leaves {
            let leaf = position.tensor
            guard leaf.requiresGrad, let computed = grads[position.id] else { continue }
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
