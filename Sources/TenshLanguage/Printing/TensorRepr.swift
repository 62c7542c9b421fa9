import TenshEngine

/// Print options, PyTorch's defaults.
public struct PrintOptions: Sendable {
    public var precision = 4
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    public init() {}
}

/// Formats tensors exactly as PyTorch's `repr` does, with tensh's suffixes.
public enum TensorRepr {
    /// `tensor([...])` plus `, dtype=f64`, `, requires_grad=true`, `, grad_fn=<...Backward>`.
    public static func repr(_ t: Tensor, options: PrintOptions = PrintOptions()) -> String {
        // Placeholder body: replaced by the printing work.
        "tensor(\(t.toDoubles()))"
    }
}
