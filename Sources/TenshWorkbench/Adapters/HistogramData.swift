import TenshEngine
import TenshRender
import TenshText

/// What `hist(x, bins=, log=)` draws: counts of x's finite values in `bins`
/// equal bins from the smallest to the largest (NumPy's edges: the largest value
/// falls in the last bin; one value everywhere gets the bin [v - 0.5, v + 0.5]),
/// with the mean, the zeros and the values that are not finite. The tensor is
/// read twice through its strides, without a copy; Ctrl-C stops it.
public struct HistogramData {
    public let shape: [Int]
    public let dtype: DType
    public let counts: [Int]
    /// The lower edge of the first bin and the upper edge of the last.
    public let range: ValueRange
    /// The mean of the finite values (NaN when there are none).
    public let mean: Double
    public let count: Int
    public let zeros: Int
    public let nans: Int
    public let infinities: Int

    public init(_ tensor: Tensor, bins: Int) throws {
        let bins = max(1, bins)
        var low = Double.infinity, high = -Double.infinity, sum = 0.0
        var finite = 0, zeros = 0, nans = 0, infinities = 0, seen = 0
        for v in TensorValues.elements(tensor) {
            seen += 1
            if seen & 0xFFFFF == 0 { try Cancellation.check("hist") }
            if v.isNaN { nans += 1; continue }
            if v.isInfinite { infinities += 1; continue }
            finite += 1
            sum += v
            if v == 0 { zeros += 1 }
            low = min(low, v)
            high = max(high, v)
        }
        if finite == 0 { (low, high) = (0, 0) }
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        var counts = [Int](repeating: 0, count: bins)
        for v in TensorValues.elements(tensor) where v.isFinite {
            counts[Self.bin(of: v, low: low, high: high, bins: bins)] += 1
        }
        self.shape = tensor.shape
        self.dtype = tensor.dtype
        self.counts = counts
        self.range = ValueRange(min: low, max: high)
        self.mean = finite > 0 ? sum / Double(finite) : .nan
        self.count = tensor.count
        self.zeros = zeros
        self.nans = nans
        self.infinities = infinities
    }

    /// The bin of `v` as `numpy.histogram` computes it: scaled, then corrected
    /// against the edges `low + k * (high - low) / bins` (the last edge is `high`).
    static func bin(of v: Double, low: Double, high: Double, bins: Int) -> Int {
        func edge(_ k: Int) -> Double { k == bins ? high : low + Double(k) * ((high - low) / Double(bins)) }
        var i = min(bins - 1, max(0, Int((v - low) * (Double(bins) / (high - low)))))
        if v < edge(i), i > 0 { i -= 1 } else if v >= edge(i + 1), i < bins - 1 { i += 1 }
        return i
    }

    /// `[1200] f32  30 bins  range -0.21…0.48  mean 0.013  zeros 37 (3.1%)`, plus non-finite counts when there are any.
    public func summary(bins: Int) -> String {
        let percent = count > 0 ? " (" + NumberText.short(100 * Double(zeros) / Double(count)) + "%)" : ""
        var parts = [shapeText(shape) + " " + dtype.rawValue, "\(bins) bins",
                     "range \(NumberText.short(range.min))…\(NumberText.short(range.max))",
                     "mean \(NumberText.short(mean))", "zeros \(zeros)\(percent)"]
        if nans > 0 { parts.append("nan \(nans)") }
        if infinities > 0 { parts.append("inf \(infinities)") }
        return parts.joined(separator: "  ")
    }
}
