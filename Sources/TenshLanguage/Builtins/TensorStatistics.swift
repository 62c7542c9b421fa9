import TenshEngine

/// What `summary` and `inspect` say about a tensor's values: min, max, mean and
/// std (unbiased, as torch's; 0 for one value) of its finite values, with the
/// NaNs and infinities counted apart. All nil when no value is finite.
struct TensorStatistics {
    let min: Double?
    let max: Double?
    let mean: Double?
    let std: Double?
    let nans: Int
    let infs: Int

    init(_ t: Tensor) {
        let values = t.toDoubles()
        let finite = values.filter(\.isFinite)
        nans = values.lazy.filter(\.isNaN).count
        infs = values.count - finite.count - nans
        guard let lo = finite.min(), let hi = finite.max() else {
            (min, max, mean, std) = (nil, nil, nil, nil)
            return
        }
        let average = finite.reduce(0, +) / Double(finite.count)
        let variance = finite.count > 1 ? finite.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(finite.count - 1) : 0
        (min, max, mean, std) = (lo, hi, average, variance.squareRoot())
    }
}
