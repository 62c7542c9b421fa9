import Foundation
import TenshEngine
import TenshRender
import TenshText

/// What the feature-map view draws for one tensor and one sample, as plain
/// values: `[N, C, H, W]` sample n gives C channel matrices, `[C, H, W]` gives
/// C, `[H, W]` one, and `[L]` (or a 0-d number) a row of bars.
public struct FeatureMaps {
    public let shape: [Int]
    public let dtype: DType
    /// Samples of a 4-d tensor (1 otherwise).
    public let sampleCount: Int
    public let sample: Int
    /// One matrix per channel (empty for bars).
    public let channels: [Matrix]
    /// The values of a 1-d tensor (empty for channels).
    public let bars: [Double]

    public var isBars: Bool { channels.isEmpty }
    /// A 2-d tensor: one heatmap whose pixels the cursor moves over without zooming.
    public var isImage: Bool { shape.count == 2 }

    /// Reads sample `sample` of `tensor`. Throws for ranks above 4, empty tensors
    /// and samples out of range; messages name `show`, the argument and the shape.
    public init(_ tensor: Tensor, sample: Int = 0) throws {
        let shape = tensor.shape
        let text = shapeText(shape)
        guard shape.count <= 4 else {
            throw EngineError(op: "show", argument: "x", "expects a tensor with 1 to 4 dimensions, got shape \(text)")
        }
        guard !shape.contains(0) else {
            throw EngineError(op: "show", argument: "x", "cannot show a tensor with no elements (shape \(text))")
        }
        let n = shape.count == 4 ? shape[0] : 1
        guard sample >= 0, sample < n else {
            throw EngineError(op: "show", argument: "sample", "sample \(sample) is out of range for \(n) sample(s) (shape \(text))")
        }
        self.shape = shape
        self.dtype = tensor.dtype
        self.sampleCount = n
        self.sample = sample
        switch shape.count {
        case 4: channels = Self.channels(tensor, leading: [sample], c: shape[1], h: shape[2], w: shape[3])
        case 3: channels = Self.channels(tensor, leading: [], c: shape[0], h: shape[1], w: shape[2])
        case 2: channels = [Matrix(rows: shape[0], columns: shape[1], values: TensorValues.doubles(tensor))]
        default: channels = []
        }
        bars = shape.count <= 1 ? TensorValues.doubles(tensor) : []
    }

    private static func channels(_ t: Tensor, leading: [Int], c: Int, h: Int, w: Int) -> [Matrix] {
        (0..<c).map { Matrix(rows: h, columns: w, values: TensorValues.doubles(t, leading: leading + [$0])) }
    }

    /// Value ranges per channel, or one global range repeated.
    public func ranges(global: Bool) -> [ValueRange] {
        isBars ? [ValueRange(of: bars)] : ChannelGrid.ranges(for: channels, global: global)
    }

    /// `x[n, c, y, x]`-style index text for the element under a cursor, in the
    /// tensor's own rank: `w[0, 2, 1, 1]`, `m[3, 4]`, `v[7]`, `s` for 0-d.
    public func indexText(name: String, channel: Int, row: Int, column: Int) -> String {
        let indices: [Int]
        switch shape.count {
        case 4: indices = [sample, channel, row, column]
        case 3: indices = [channel, row, column]
        case 2: indices = [row, column]
        case 1: indices = [column]
        default: indices = []
        }
        let base = name.isEmpty ? "x" : name
        return indices.isEmpty ? base : base + "[" + indices.map(String.init).joined(separator: ", ") + "]"
    }

    /// The value at a cursor position (NaN outside).
    public func value(channel: Int, row: Int, column: Int) -> Double {
        if isBars { return column >= 0 && column < bars.count ? bars[column] : .nan }
        guard channel >= 0, channel < channels.count else { return .nan }
        return channels[channel][row, column]
    }
}
