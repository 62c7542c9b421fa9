import TenshEngine

/// A built-in layer's computation and settings. The settings are kept as
/// the user gave them (an int or a tuple), because PyTorch's repr shows them so.
enum Layer {
    case conv(ConvSettings)
    case linear(inFeatures: Int, outFeatures: Int)
    case batchNorm(BatchNormSettings)
    /// Dropout (elements) or Dropout2d (whole channels).
    case dropout(p: Double, channels: Bool)
    case activation(Activation)
    case maxPool2d(PoolSettings)
    case avgPool2d(PoolSettings)
    case adaptiveAvgPool2d(outputSize: SizeArgument)
    case flatten(startDim: Int, endDim: Int)
    case upsample(size: SizeArgument?, scaleFactor: [Double]?, scaleIsTuple: Bool, mode: InterpolationMode)
    /// Softmax or LogSoftmax over `dim`.
    case softmax(dim: Int, log: Bool)
}

/// Elementwise layers without parameters.
enum Activation: Equatable {
    case relu, sigmoid, tanh, identity, gelu
    case leakyRelu(slope: Double)
}

/// An int or a tuple of ints, as given (`MaxPool2d(2)` prints `kernel_size=2`).
struct SizeArgument: Equatable {
    let values: [Int]
    let isTuple: Bool

    /// Python's repr: `2`, `(2, 3)`, `(3,)`.
    var repr: String {
        guard isTuple else { return String(values.first ?? 0) }
        return values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    /// `count` values: one int repeated, or the tuple itself.
    func expanded(_ count: Int) -> [Int] {
        isTuple ? values : Array(repeating: values.first ?? 0, count: count)
    }

    static func tuple(_ values: [Int]) -> SizeArgument { SizeArgument(values: values, isTuple: true) }
}

struct ConvSettings {
    /// 1 for Conv1d, 2 for Conv2d / ConvTranspose2d.
    let dims: Int
    let transposed: Bool
    let inChannels: Int
    let outChannels: Int
    let kernelSize: [Int]
    let stride: [Int]
    /// Explicit sizes, or PyTorch's "same" / "valid".
    let padding: ConvPaddingSetting
    let dilation: [Int]
    let outputPadding: [Int]
    let groups: Int
    /// "zeros", "reflect", "replicate" or "circular".
    let paddingMode: String
}

enum ConvPaddingSetting: Equatable {
    case sizes([Int])
    case named(String)
}

struct BatchNormSettings {
    /// 1 for BatchNorm1d ([N, C] or [N, C, L]), 2 for BatchNorm2d ([N, C, H, W]).
    let dims: Int
    let features: Int
    let eps: Double
    /// nil: a cumulative average over the batches seen (PyTorch's momentum=None).
    let momentum: Double?
    let affine: Bool
    let trackRunningStats: Bool
}

struct PoolSettings {
    let kernelSize: SizeArgument
    let stride: SizeArgument
    let padding: SizeArgument
    let dilation: SizeArgument
    let ceilMode: Bool
    /// AvgPool2d only.
    let countIncludePad: Bool
}
