/// `[2, 3, 4]`: the one way shapes appear in messages, graph boxes and status lines.
public func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
