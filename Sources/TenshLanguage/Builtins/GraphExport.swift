import TenshEngine
#if canImport(Glibc)
import Glibc
import TenshText
#endif

/// `dot(y, "file.dot")`: the autograd graph behind y in Graphviz format. The
/// graph is the engine's own data (each node's op, attributes and inputs);
/// this only reads it, walking with an explicit stack (deep graphs are fine).
enum GraphExport {
    static let builtin = Builtin("dot", InspectionBuiltins.category, [.required("y", .tensor), .required("path", .string)],
                                 summary: "Writes the autograd graph that produced y as a Graphviz .dot file.",
                                 example: "dot(loss, \"loss.dot\")") { a in
        let text = dot(try a.tensor("y"))
        let path = try a.string("path")
        try AtomicWrite.write(Array(text.utf8), to: path, op: "dot")
        return .none
    }

    /// The DOT text: ops as boxes (name, attributes, output shape), leaves that
    /// require grad as ellipses, constants in grey; edges point from inputs to ops.
    static func dot(_ root: Tensor) -> String {
        var lines = ["digraph tensh {", "  rankdir=BT;", "  node [shape=box, fontname=\"monospace\"];"]
        var ids: [ObjectIdentifier: Int] = [:]
        var declared = Set<ObjectIdentifier>()
        /// A stable number per op node (or per tensor, for leaves and constants).
        func number(_ t: Tensor) -> (Int, ObjectIdentifier) {
            let key = t.gradFn.map { ObjectIdentifier($0) } ?? ObjectIdentifier(t)
            if let n = ids[key] { return (n, key) }
            ids[key] = ids.count
            return (ids.count - 1, key)
        }
        var pending = [root]
        while let t = pending.popLast() {
            let (n, key) = number(t)
            guard declared.insert(key).inserted else { continue }
            let described = "\(shapeText(t.shape)) \(t.dtype)"
            guard let node = t.gradFn else {
                let style = t.requiresGrad ? "shape=ellipse" : "shape=ellipse, color=gray, fontcolor=gray"
                lines.append("  n\(n) [label=\"\(t.requiresGrad ? "leaf" : "const") \(described)\", \(style)];")
                continue
            }
            let attributes = node.attributes.map { "\\n\($0.name)=\($0.value)" }.joined()
            lines.append("  n\(n) [label=\"\(node.gradFnName)\(attributes)\\n\(described)\"];")
            for input in node.inputs {
                lines.append("  n\(number(input).0) -> n\(n);")
                pending.append(input)
            }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }
}
