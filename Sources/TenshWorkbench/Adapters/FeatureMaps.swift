import Foundation
import TenshEngine
import TenshRender
import TenshText

/// What the feature-map view draws for one tensor and one sample, as plain
/// values: `[N, C, H, W]` sample n gives C channel matrices, `[C, H, W]` gives
/// C, `[H, W]` one, and `[L]` (or a 0-d number) a row of bars. A display reads
/// no more than it can draw: at most `maxChannels` channels and `valueBudget`
/// values in all, taking every `step`-th row and column (or bar) of a larger
/// tensor — exact elements, so the cursor still shows true values and indices.
public struct FeatureMaps {
    public let shape: [Int]
    public let dtype: DType
    /// Samples of a 4-d tensor (1 otherwise).
    public let sampleCount: Int
    public let sample: Int
    /// One matrix per channel read (empty for bars).
    public let channels: [Matrix]
    /// The values of a 1-d tensor (empty for channels).
    public let bars: [Double]
    /// The tensor's channels: more than `channels.count` when the rest were not read.
    public let channelCount: Int
    /// 1 when every element was read, else the stride of the rows and columns (or bars) read.
    public let step: Int

    /// Values read at most, over all channels (32 MiB of Double), and fewer under
    /// a smaller allocation limit: a terminal draws far fewer pixels than this.
    public static let valueBudget = 1 << 22
    /// Channels read at most (a grid has room for a few hundred on screen).
    public static let maxChannels = 4096

    public var isBars: Bool { channels.isEmpty }
    /// A 2-d tensor: one heatmap whose pixels the cursor moves over without zooming.
    public var isImage: Bool { shape.count == 2 }

    /// Reads sample `sample` of `tensor`. Throws for ranks above 4, empty tensors
    /// and samples out of range; messages name `show`, the argument and the shape.
    public init(_ tensor: Tensor, sample: Int = 0) throws {
        let layout = try FeatureLayout(tensor.shape, op: "show")
        guard sample >= 0, sample < layout.samples else {
            throw EngineError(op: "show", argument: "sample",
                              "sample \(sample) is out of range for \(layout.samples) sample(s) (shape \(shapeText(tensor.shape)))")
        }
        shape = tensor.shape
        dtype = tensor.dtype
        sampleCount = layout.samples
        self.sample = sample
        channelCount = layout.channels
        let read = min(layout.channels, Self.maxChannels)
        let budget = max(1, min(Self.valueBudget, EngineConfig.maxTensorBytes / MemoryLayout<Double>.size))
        step = Self.step(rows: layout.rows, columns: layout.columns, within: max(1, budget / read))
        if layout.isBars {
            channels = []
            bars = TensorValues.line(tensor, step: step)
        } else {
            channels = (0..<read).map { [step] c in
                TensorValues.plane(tensor, leading: layout.leading(sample: sample, channel: c), step: step)
            }
            bars = []
        }
    }

    /// The smallest stride at which a `rows` × `columns` plane has at most `budget` values.
    static func step(rows: Int, columns: Int, within budget: Int) -> Int {
        func count(_ s: Int) -> Int { ((rows + s - 1) / s) * ((columns + s - 1) / s) }
        // count is non-increasing in s, and 1 at s = max(rows, columns).
        var (low, high) = (1, max(1, rows, columns))
        while low < high {
            let mid = (low + high) / 2
            if count(mid) <= budget { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Value ranges per channel, or one global range repeated.
    public func ranges(global: Bool) -> [ValueRange] {
        isBars ? [ValueRange(of: bars)] : ChannelGrid.ranges(for: channels, global: global)
    }

    /// `x[n, c, y, x]`-style index text for the element under a cursor, in the
    /// tensor's own rank and its own indices: `w[0, 2, 1, 1]`, `m[3, 4]`, `v[7]`, `s` for 0-d.
    public func indexText(name: String, channel: Int, row: Int, column: Int) -> String {
        let (row, column) = (row * step, column * step)
        let indices: [Int]
        switch shape.count {
        case 4: indices = [sample, channel, row, column]
        case 3: indices = [channel, row, column]
        case 2: indices = [row, column]
        case 1: indices = [column]
        default: indices = []
        }
        return ElementExplanation.indexText(name.isEmpty ? "x" : name, indices)
    }

    /// The value at a cursor position (NaN outside).
    public func value(channel: Int, row: Int, column: Int) -> Double {
        if isBars { return column >= 0 && column < bars.count ? bars[column] : .nan }
        guard channel >= 0, channel < channels.count else { return .nan }
        return channels[channel][row, column]
    }

    /// What the header adds when not everything was read: `c0–4095 of 10000`, `[::3, ::3]`.
    public var samplingNote: String {
        var parts: [String] = []
        if !isBars, channels.count < channelCount { parts.append("c0–\(channels.count - 1) of \(channelCount)") }
        if step > 1 { parts.append(isBars ? "[::\(step)]" : "[::\(step), ::\(step)]") }
        return parts.joined(separator: "  ")
    }
}

/// How a shape splits into what is drawn: samples of channels of rows × columns,
/// or one row of bars (1-d and 0-d). Shared by the views and `save_image`.
struct FeatureLayout {
    let samples: Int
    let channels: Int
    let rows: Int
    let columns: Int
    let rank: Int

    var isBars: Bool { rank <= 1 }

    /// Throws for ranks above 4 and empty tensors, naming `op`.
    init(_ shape: [Int], op: String) throws {
        let text = shapeText(shape)
        guard shape.count <= 4 else {
            throw EngineError(op: op, argument: "x", "expects a tensor with 1 to 4 dimensions, got shape \(text)")
        }
        guard !shape.contains(0) else {
            throw EngineError(op: op, argument: "x", "cannot show a tensor with no elements (shape \(text))")
        }
        rank = shape.count
        samples = rank == 4 ? shape[0] : 1
        channels = rank >= 3 ? shape[rank - 3] : 1
        rows = rank >= 2 ? shape[rank - 2] : 1
        columns = rank >= 1 ? shape[rank - 1] : 1
    }

    /// The fixed leading indices of channel `channel` of sample `sample`.
    func leading(sample: Int, channel: Int) -> [Int] {
        switch rank {
        case 4: return [sample, channel]
        case 3: return [channel]
        default: return []
        }
    }
}
