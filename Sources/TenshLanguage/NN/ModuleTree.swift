import TenshEngine

/// The walks over a module tree that PyTorch's `named_modules`,
/// `named_parameters`, `state_dict` and `train`/`eval` make: pre-order, own
/// entries before children's, keys joined with dots. Explicit stacks, no recursion.
extension Module {
    /// This module and every descendant, pre-order, with its dotted prefix ("" for self).
    func modulesPreOrder() -> [(prefix: String, module: Module)] {
        var out: [(prefix: String, module: Module)] = []
        var stack: [(String, Module)] = [("", self)]
        while let (prefix, m) = stack.popLast() {
            out.append((prefix, m))
            for (name, child) in m.childModules.reversed() {
                stack.append((prefix.isEmpty ? name : prefix + "." + name, child))
            }
        }
        return out
    }

    /// `named_parameters()`: every parameter once (a shared one under its first name).
    func namedParameters() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, tensor: Tensor)] = []
        for (prefix, m) in modulesPreOrder() {
            for case let (name, t?) in m.parameters where seen.insert(ObjectIdentifier(t)).inserted {
                out.append((dotted(prefix, name), t))
            }
        }
        return out
    }

    /// `named_buffers()`.
    func namedBuffers() -> [(name: String, tensor: Tensor)] {
        modulesPreOrder().flatMap { prefix, m in
            m.buffers.compactMap { entry in entry.tensor.map { (dotted(prefix, entry.name), $0) } }
        }
    }

    /// The state_dict entries: for each module, its parameters then its
    /// buffers, under dotted keys, holding the module's own tensors (callers
    /// detach them, as `state_dict()` does).
    func stateEntries() -> [(key: String, tensor: Tensor)] {
        modulesPreOrder().flatMap { prefix, m in
            (m.parameters + m.buffers).compactMap { entry in entry.tensor.map { (dotted(prefix, entry.name), $0) } }
        }
    }

    /// The slots of the state_dict with their owners, for loading in place.
    func stateSlots() -> [(key: String, module: Module, name: String, isBuffer: Bool)] {
        modulesPreOrder().flatMap { prefix, m in
            m.parameters.compactMap { $0.tensor == nil ? nil : (dotted(prefix, $0.name), m, $0.name, false) }
                + m.buffers.compactMap { $0.tensor == nil ? nil : (dotted(prefix, $0.name), m, $0.name, true) }
        }
    }

    /// `train(mode)` on this module and all below it.
    func setTraining(_ mode: Bool) {
        for (_, m) in modulesPreOrder() { m.training = mode }
    }

    /// Replaces every floating-point parameter and buffer by its conversion to
    /// `dtype`, keeping requires_grad (`m.double()`, `m.float()`, `m.to("f64")`).
    /// Parameters become new leaf tensors, as PyTorch's `_apply` gives new `.data`.
    func convertFloats(to dtype: DType) throws {
        for (_, m) in modulesPreOrder() {
            for i in m.parameters.indices {
                guard let t = m.parameters[i].tensor, t.dtype.isFloatingPoint, t.dtype != dtype else { continue }
                let converted = try GradMode.noGrad { try t.detached().to(dtype) }
                m.parameters[i].tensor = try converted.setRequiresGrad(t.requiresGrad)
            }
            for i in m.buffers.indices {
                guard let t = m.buffers[i].tensor, t.dtype.isFloatingPoint, t.dtype != dtype else { continue }
                m.buffers[i].tensor = try GradMode.noGrad { try t.detached().to(dtype) }
            }
        }
    }

    /// Number of parameter elements (shared parameters counted once).
    var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.tensor.count } }
}

private func dotted(_ prefix: String, _ name: String) -> String {
    prefix.isEmpty ? name : prefix + "." + name
}
