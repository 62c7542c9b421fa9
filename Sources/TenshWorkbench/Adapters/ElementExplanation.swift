import TenshEngine
import TenshRender
import TenshText

/// How one element `y[n, c, i, j]` of a convolution or pooling output is made,
/// read from y's graph node (its op, attributes and inputs): the input window
/// it sees (its receptive field), the kernel slice, and the terms — products of
/// input and weight for a convolution, window values for a pooling — whose sum
/// (or maximum, or mean) is the element. Taps that fall on zero padding add
/// nothing and are counted in `outside`.
public struct ElementExplanation {
    public enum Op: String, CaseIterable {
        case conv = "Conv2d", convTranspose = "ConvTranspose2d", maxPool = "MaxPool2d"
        case avgPool = "AvgPool2d", adaptiveAvgPool = "AdaptiveAvgPool2d"
    }

    /// One term: an input element, and for a convolution the weight it meets.
    public struct Term {
        public let input: [Int]
        public let inputValue: Double
        public let weight: [Int]?
        public let weightValue: Double?
        public var product: Double { weightValue.map { inputValue * $0 } ?? inputValue }
    }

    public let op: Op
    /// The node's non-default attributes as the graph shows them (`stride=[2, 2]`).
    public let attributes: [String]
    public let index: [Int]
    /// y's element as computed by the engine.
    public let value: Double
    public let input: Tensor
    public let weight: Tensor?
    /// The input channels the element reads (one for pooling, a group's for a convolution).
    public let channels: Range<Int>
    /// The window's rows and columns in the input (may reach into the padding).
    public let field: PixelRegion
    public let terms: [Term]
    public let outside: Int
    public let bias: (index: Int, value: Double)?
    /// Average pooling divides the sum by this.
    public let divisor: Int?

    /// What the terms give: Σ products + bias, the maximum, or Σ / divisor.
    public var total: Double {
        switch op {
        case .maxPool: return terms.map(\.inputValue).reduce(-.infinity) { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
        case .avgPool, .adaptiveAvgPool: return terms.reduce(0) { $0 + $1.inputValue } / Double(max(1, divisor ?? terms.count))
        case .conv, .convTranspose: return terms.reduce(0) { $0 + $1.product } + (bias?.value ?? 0)
        }
    }

    /// The index into `terms` of the maximum of a max pooling (the first one).
    public var maximumTerm: Int? {
        guard op == .maxPool else { return nil }
        let m = total
        return terms.firstIndex { $0.inputValue == m || ($0.inputValue.isNaN && m.isNaN) }
    }

    /// Explains `y[index]`; throws when y was not made by one of `Op` or the index
    /// is out of range. An unbatched output `[C, H, W]` (a view of the op's
    /// `[1, C, H, W]`) takes `[c, i, j]`.
    public init(_ y: Tensor, index: [Int]) throws {
        if y.rank == 3, index.count == 3, let batched = y.gradFn?.inputs.first, batched.shape == [1] + y.shape,
           let op = batched.gradFn?.op, Op(rawValue: op) != nil {
            try self.init(output: batched, index: [0] + index)
        } else {
            try self.init(output: y, index: index)
        }
    }

    private init(output y: Tensor, index: [Int]) throws {
        guard let node = y.gradFn, let op = Op(rawValue: node.op) else {
            let made = y.gradFn.map { "was made by \($0.op)" }
                ?? "has no recorded graph (make an input require grad, e.g. w = param(w), so the op is recorded)"
            throw EngineError(op: "explain", argument: "y",
                              "explain needs the output of conv2d, conv_transpose2d, max_pool2d or avg_pool2d; y \(made)")
        }
        guard y.rank == 4, index.count == 4, zip(index, y.shape).allSatisfy({ $0 >= 0 && $0 < $1 }),
              let x = node.inputs.first, x.rank == 4 else {
            throw EngineError(op: "explain", argument: "index",
                              "index \(shapeText(index)) is not an element [n, c, i, j] of y (shape \(shapeText(y.shape)))")
        }
        self.op = op
        self.index = index
        self.input = x
        self.value = TensorValues.load(y, at: TensorValues.offset(y, index))
        self.attributes = node.attributes.filter { !AutogradGraph.isDefault($0, of: node) }.map { "\($0.name)=\($0.value)" }
        let window = ExplanationWindow(node: node, op: op, index: index, inputShape: x.shape, outputShape: y.shape)
        weight = op == .conv || op == .convTranspose ? node.inputs.dropFirst().first : nil
        channels = window.channels
        field = window.field
        let read = window.terms(x: x, weight: weight)
        terms = read.terms
        outside = read.outside
        divisor = window.divisor
        if op == .conv || op == .convTranspose, node.inputs.count > 2 {
            let b = node.inputs[2]
            bias = (index[1], TensorValues.load(b, at: TensorValues.offset(b, [index[1]])))
        } else {
            bias = nil
        }
    }
}

/// The arithmetic of which input elements (and weights) an output element reads.
struct ExplanationWindow {
    let op: ElementExplanation.Op
    let index: [Int]
    let kernel: (Int, Int)
    let stride: (Int, Int)
    let padding: (Int, Int)
    let dilation: (Int, Int)
    let groups: Int
    let inputShape: [Int]
    let outputShape: [Int]
    let weightShape: [Int]
    let countIncludePad: Bool

    init(node: Node, op: ElementExplanation.Op, index: [Int], inputShape: [Int], outputShape: [Int]) {
        func pair(_ name: String, _ fallback: (Int, Int)) -> (Int, Int) {
            guard let text = node.attributes.first(where: { $0.name == name })?.value else { return fallback }
            let numbers = text.split(whereSeparator: { !"-0123456789".contains($0) }).compactMap { Int($0) }
            return numbers.count >= 2 ? (numbers[0], numbers[1]) : numbers.first.map { ($0, $0) } ?? fallback
        }
        self.op = op
        self.index = index
        self.inputShape = inputShape
        self.outputShape = outputShape
        weightShape = node.inputs.count > 1 ? node.inputs[1].shape : []
        let kernelSize = pair("kernel_size", weightShape.count == 4 ? (weightShape[2], weightShape[3]) : (1, 1))
        kernel = op == .adaptiveAvgPool ? (1, 1) : kernelSize
        stride = pair("stride", op == .maxPool || op == .avgPool ? kernelSize : (1, 1))
        padding = pair("padding", (0, 0))
        dilation = pair("dilation", (1, 1))
        groups = Int(node.attributes.first { $0.name == "groups" }?.value ?? "1") ?? 1
        countIncludePad = node.attributes.first { $0.name == "count_include_pad" }?.value != "false"
    }

    /// Input channels read: the element's own for pooling, its group's for a convolution.
    var channels: Range<Int> {
        let c = index[1], inputChannels = inputShape[1]
        switch op {
        case .maxPool, .avgPool, .adaptiveAvgPool: return c..<c + 1
        case .conv:
            let perGroup = inputChannels / max(1, groups), group = c / max(1, outputShape[1] / max(1, groups))
            return group * perGroup..<(group + 1) * perGroup
        case .convTranspose:
            let perGroup = inputChannels / max(1, groups), group = c / max(1, weightShape.count > 1 ? weightShape[1] : 1)
            return group * perGroup..<(group + 1) * perGroup
        }
    }

    /// The window's rows and columns in the input (before clipping to it).
    var field: PixelRegion {
        let (i, j) = (index[2], index[3])
        switch op {
        case .adaptiveAvgPool:
            return PixelRegion(rows: Self.adaptive(i, inputShape[2], outputShape[2]),
                               columns: Self.adaptive(j, inputShape[3], outputShape[3]))
        case .convTranspose:
            let rows = taps(i, axis: 0).map(\.position), columns = taps(j, axis: 1).map(\.position)
            return PixelRegion(rows: (rows.min() ?? 0)..<((rows.max() ?? -1) + 1),
                               columns: (columns.min() ?? 0)..<((columns.max() ?? -1) + 1))
        default:
            let top = i * stride.0 - padding.0, left = j * stride.1 - padding.1
            return PixelRegion(rows: top..<top + (kernel.0 - 1) * dilation.0 + 1,
                               columns: left..<left + (kernel.1 - 1) * dilation.1 + 1)
        }
    }

    /// PyTorch's adaptive window: floor(i·in/out) ..< ceil((i+1)·in/out).
    static func adaptive(_ i: Int, _ input: Int, _ output: Int) -> Range<Int> {
        (i * input / output)..<(((i + 1) * input + output - 1) / output)
    }

    /// For a transposed convolution: the (kernel tap, input position) pairs along one
    /// axis that land on output position `o` (p·stride − pad + k·dilation = o).
    func taps(_ o: Int, axis: Int) -> [(tap: Int, position: Int)] {
        let (k, s, p, d) = axis == 0 ? (kernel.0, stride.0, padding.0, dilation.0) : (kernel.1, stride.1, padding.1, dilation.1)
        let size = inputShape[2 + axis]
        return (0..<k).compactMap { t in
            let numerator = o + p - t * d
            guard numerator >= 0, numerator % max(1, s) == 0, numerator / max(1, s) < size else { return nil }
            return (t, numerator / max(1, s))
        }
    }
}
