import TenshEngine
import TenshRender
import TenshText

extension ExplanationWindow {
    /// The terms of the element and the taps that fell on padding.
    func terms(x: Tensor, weight: Tensor?) -> (terms: [ElementExplanation.Term], outside: Int) {
        let (n, c) = (index[0], index[1])
        let (rows, columns) = (inputShape[2], inputShape[3])
        var terms: [ElementExplanation.Term] = []
        var outside = 0
        func read(_ t: Tensor, _ i: [Int]) -> Double { TensorValues.load(t, at: TensorValues.offset(t, i)) }
        func add(_ at: [Int], weight w: [Int]? = nil) {
            guard (0..<rows).contains(at[2]), (0..<columns).contains(at[3]) else { outside += 1; return }
            terms.append(.init(input: at, inputValue: read(x, at), weight: w, weightValue: w.flatMap { i in weight.map { read($0, i) } }))
        }
        let top = field.rows.lowerBound, left = field.columns.lowerBound
        switch op {
        case .conv:
            for ci in channels {
                for a in 0..<kernel.0 {
                    for b in 0..<kernel.1 {
                        add([n, ci, top + a * dilation.0, left + b * dilation.1], weight: [c, ci - channels.lowerBound, a, b])
                    }
                }
            }
        case .convTranspose:
            let local = c % max(1, weightShape.count > 1 ? weightShape[1] : 1)
            for ci in channels {
                for (a, r) in taps(index[2], axis: 0) {
                    for (b, s) in taps(index[3], axis: 1) { add([n, ci, r, s], weight: [ci, local, a, b]) }
                }
            }
        case .maxPool, .avgPool:
            for a in 0..<kernel.0 {
                for b in 0..<kernel.1 { add([n, c, top + a * dilation.0, left + b * dilation.1]) }
            }
        case .adaptiveAvgPool:
            for r in field.rows { for s in field.columns { add([n, c, r, s]) } }
        }
        return (terms, outside)
    }

    /// Average pooling's divisor, as PyTorch computes it: the window clipped to
    /// the padded input (count_include_pad) or to the input itself.
    var divisor: Int? {
        switch op {
        case .adaptiveAvgPool: return field.rows.count * field.columns.count
        case .avgPool:
            func extent(_ start: Int, _ k: Int, _ size: Int, _ pad: Int) -> (padded: Int, inside: Int) {
                let end = min(start + k, size + pad)
                return (end - start, min(end, size) - max(start, 0))
            }
            let r = extent(field.rows.lowerBound, kernel.0, inputShape[2], padding.0)
            let c = extent(field.columns.lowerBound, kernel.1, inputShape[3], padding.1)
            return countIncludePad ? r.padded * c.padded : r.inside * c.inside
        default: return nil
        }
    }
}

extension ElementExplanation {
    /// `x[0, 1, 2, 3]`, named after a variable when one holds the tensor; `x` alone for 0-d.
    static func indexText(_ name: String, _ index: [Int]) -> String {
        index.isEmpty ? name : name + shapeText(index)
    }

    /// The explanation as text (plain mode prints it; at most `maxTerms` terms are listed).
    public func lines(title: String, inputName xName: String = "x", weightName wName: String = "w",
                      maxTerms: Int = 1000) -> [String] {
        let head = "\(Self.indexText(title, index)) = \(NumberText.precise(value))  (\(([op.rawValue] + attributes).joined(separator: " ")))"
        let r = field.rows, c = field.columns
        let window = "\(xName)[\(index[0]), \(channels.lowerBound):\(channels.upperBound), \(r.lowerBound):\(r.upperBound), \(c.lowerBound):\(c.upperBound)]"
        var out = [head, (weight == nil ? "window: " : "receptive field: ") + window]
        let maxIndex = maximumTerm
        for (k, t) in terms.prefix(maxTerms).enumerated() {
            var line = "  " + Self.indexText(xName, t.input) + " = " + NumberText.precise(t.inputValue)
            if let w = t.weight, let v = t.weightValue {
                line += "  × " + Self.indexText(wName, w) + " = " + NumberText.precise(v) + "  → " + NumberText.precise(t.product)
            }
            if k == maxIndex { line += "  ← max" }
            out.append(line)
        }
        if terms.count > maxTerms { out.append("  … \(terms.count - maxTerms) more terms") }
        if outside > 0 { out.append("  (\(outside) taps fall on the padding and add nothing)") }
        out += summaryLines
        return out
    }

    /// How the terms make the element.
    var summaryLines: [String] {
        let sum = terms.reduce(0) { $0 + $1.product }
        switch op {
        case .conv, .convTranspose:
            var lines = ["  sum of \(terms.count) products = " + NumberText.precise(sum)]
            if let bias { lines.append("  + bias[\(bias.index)] = " + NumberText.precise(bias.value)) }
            return lines + ["  = " + NumberText.precise(total)]
        case .maxPool:
            return ["  max of \(terms.count) values = " + NumberText.precise(total)]
        case .avgPool, .adaptiveAvgPool:
            return ["  sum of \(terms.count) values = \(NumberText.precise(sum)), / \(divisor ?? terms.count) = " + NumberText.precise(total)]
        }
    }
}
