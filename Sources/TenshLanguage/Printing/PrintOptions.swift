/// Print options, PyTorch's defaults (`torch.set_printoptions`).
public struct PrintOptions: Sendable {
    /// Digits after the decimal point (fixed) or in the mantissa (scientific).
    public var precision = 4
    /// Tensors with more elements than this are summarised with `...`.
    public var threshold = 1000
    /// Items shown at each end of a summarised dimension.
    public var edgeItems = 3
    /// Columns a row of elements may use before it wraps.
    public var lineWidth = 80
    /// nil: scientific notation chosen per tensor as torch does; true/false forces it.
    public var sciMode: Bool? = nil
    public init() {}

    /// Precision kept in a range C's formatter accepts; torch itself rejects
    /// negative precisions, and no display needs more than 100 digits.
    var clampedPrecision: Int { min(max(precision, 0), 100) }
}
