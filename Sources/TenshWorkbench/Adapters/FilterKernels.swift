import TenshEngine
import TenshRender
import TenshText

/// The kernels of a 4-d convolution weight `[C_out, C_in, kh, kw]` as plain
/// matrices for the filter view: at most `maxOut` × `maxIn` kernels, and within
/// the display's value budget (every `step`-th row and column of a kernel that
/// would not fit), read through the strides without a copy.
public struct FilterKernels {
    public let shape: [Int]
    public let dtype: DType
    /// `kernels[o][i]`, for the output and input channels read.
    public let kernels: [[Matrix]]
    public let step: Int

    public static let maxOut = 256
    public static let maxIn = 256

    public init(_ tensor: Tensor) throws {
        guard tensor.rank == 4 else {
            throw EngineError(op: "show", argument: "x",
                              "filters=true needs a 4-d weight [C_out, C_in, kh, kw], got shape \(shapeText(tensor.shape))")
        }
        guard !tensor.shape.contains(0) else {
            throw EngineError(op: "show", argument: "x", "cannot show a tensor with no elements (shape \(shapeText(tensor.shape)))")
        }
        let (outs, ins) = (min(tensor.shape[0], Self.maxOut), min(tensor.shape[1], Self.maxIn))
        let budget = max(1, min(FeatureMaps.valueBudget, EngineConfig.maxTensorBytes / MemoryLayout<Double>.size))
        let step = FeatureMaps.step(rows: tensor.shape[2], columns: tensor.shape[3], within: max(1, budget / (outs * ins)))
        shape = tensor.shape
        dtype = tensor.dtype
        self.step = step
        kernels = (0..<outs).map { o in (0..<ins).map { i in TensorValues.plane(tensor, leading: [o, i], step: step) } }
    }

    /// Colour pictures need three input channels.
    public var hasColorChannels: Bool { shape[1] == 3 }

    /// One range per kernel, or the range of every kernel read repeated.
    public func ranges(global: Bool) -> [[ValueRange]] {
        let own = kernels.map { row in row.map(\.range) }
        guard global else { return own }
        let all = ValueRange.union(own.flatMap { $0 })
        return own.map { row in row.map { _ in all } }
    }

    /// The ranges of colour pictures: per output channel over its three kernels, or global.
    public func colorRanges(global: Bool) -> [[ValueRange]] {
        let perFilter = kernels.map { [ValueRange.union($0.map(\.range))] }
        guard global else { return perFilter }
        let all = ValueRange.union(perFilter.flatMap { $0 })
        return perFilter.map { _ in [all] }
    }

    /// What the header adds when not everything was read: `o0–255 of 512`, `[::2, ::2]`.
    public var samplingNote: String {
        var parts: [String] = []
        if kernels.count < shape[0] { parts.append("o0–\(kernels.count - 1) of \(shape[0])") }
        if let first = kernels.first, first.count < shape[1] { parts.append("i0–\(first.count - 1) of \(shape[1])") }
        if step > 1 { parts.append("[::\(step), ::\(step)]") }
        return parts.joined(separator: "  ")
    }
}
