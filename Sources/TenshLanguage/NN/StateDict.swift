import TenshEngine
import TenshText

/// `state_dict` and `load_state_dict` with PyTorch's keys, checks and error report.
extension Module {
    /// `state_dict(m)`: parameters and buffers under their dotted keys, detached
    /// (sharing storage with the module, as PyTorch's are).
    func stateDict() throws -> DictBox {
        try DictBox(stateEntries().map { (.string($0.key), .tensor($0.tensor.detached())) })
    }

    /// `load_state_dict(m, d, strict)`: copies each entry into the tensor of the
    /// same key (converting dtype). Nothing is copied when any check fails.
    /// Returns the (missing, unexpected) keys when not strict.
    func loadStateDict(_ dict: DictBox, strict: Bool) throws -> (missing: [String], unexpected: [String]) {
        let slots = stateSlots()
        var given: [String: Tensor] = [:]
        var givenOrder: [String] = []
        for (key, value) in dict.entries {
            guard case .string(let k) = key else { throw RuntimeError("load_state_dict: keys must be strings, got \(key.typeNameWithArticle)") }
            guard case .tensor(let t) = value else {
                throw RuntimeError("load_state_dict: the value of \(Escaping.pythonRepr(k)) must be a tensor, got \(value.typeNameWithArticle)")
            }
            given[k] = t
            givenOrder.append(k)
        }
        let expected = Set(slots.map(\.key))
        let missing = slots.map(\.key).filter { given[$0] == nil }
        let unexpected = givenOrder.filter { !expected.contains($0) }
        var errors: [String] = []
        if strict && !missing.isEmpty { errors.append("Missing key(s) in state_dict: \(quoted(missing)).") }
        if strict && !unexpected.isEmpty { errors.append("Unexpected key(s) in state_dict: \(quoted(unexpected)).") }
        var copies: [(Tensor, Tensor)] = []
        for slot in slots {
            guard let source = given[slot.key], let target = (slot.isBuffer ? slot.module.buffer(slot.name) : slot.module.parameter(slot.name)) ?? nil else { continue }
            guard source.shape == target.shape else {
                errors.append("size mismatch for \(Escaping.printable(slot.key)): copying a param with shape \(shapeText(source.shape)) "
                              + "from checkpoint, the shape in current model is \(shapeText(target.shape)).")
                continue
            }
            copies.append((target, source))
        }
        guard errors.isEmpty else {
            // One line: a diagnostic shows a message on one line (PyTorch puts each on its own).
            throw RuntimeError("Error(s) in loading state_dict for \(typeName): " + errors.joined(separator: " "))
        }
        try GradMode.noGrad {
            for (target, source) in copies { try copyInPlace(into: target, from: source) }
        }
        return (missing, unexpected)
    }
}

private func quoted(_ keys: [String]) -> String {
    keys.map { "\"\(Escaping.printable($0))\"" }.joined(separator: ", ")
}
