import TenshEngine
import TenshIO
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
        let context = a.context
        let text = dot(try a.tensor("y"), name: { context.variableName(of: $0) })
        let path = try a.string("path")
        try AtomicFile.write(Array(text.utf8), to: path, op: "dot")
        return .none
    }

    /// The DOT text: ops as boxes (name, attributes, output shape), leaves that
    /// require grad as ellipses, constants in grey; edges point from inputs to ops.
    /// Leaves are labelled with their variable names (`w`), op outputs held by a
    /// variable name it on a second line (`h = ReluBackward`).
    static func dot(_ root: Tensor, name: (Tensor) -> String? = { _ in nil }) -> String {
        var lines = ["digraph tensh {", "  rankdir=BT;", "  node [shape=box, fontname=\"monospace\"];"]
        let walk = GraphWalk(root: root)
        for (n, entry) in walk.entries.enumerated() {
            let t = entry.tensor
            let described = "\(shapeText(t.shape)) \(t.dtype)"
            let label = name(t).map { Escaping.printable($0).replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") }
            guard let node = entry.node else {
                let style = t.requiresGrad ? "shape=ellipse" : "shape=ellipse, color=gray, fontcolor=gray"
                let title = label ?? (t.requiresGrad ? "leaf" : "const")
                lines.append("  n\(n) [label=\"\(title) \(described)\", \(style)];")
                continue
            }
            let attributes = node.attributes.map { "\\n\($0.name)=\($0.value)" }.joined()
            let title = label.map { "\($0) = \(node.gradFnName)" } ?? node.gradFnName
            lines.append("  n\(n) [label=\"\(title)\(attributes)\\n\(described)\"];")
            for input in entry.inputs { lines.append("  n\(input) -> n\(n);") }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }
}
