import TenshText

/// An n-dimensional array of `dtype` elements with reference semantics, like
/// a PyTorch tensor: views (`view`, `permute`, `expand`, slicing) share `storage`;
/// autograd state (`requiresGrad`, `grad`, `gradFn`) lives on the object.
///
/// Layout: element `[i0, i1, ...]` is at `offset + Σ ik * strides[k]` (in elements).
public final class Tensor {
    public let storage: Storage
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int
    public let dtype: DType

    /// Whether gradients flow to this tensor. Leaves set it; op outputs inherit it.
    public internal(set) var requiresGrad: Bool {
        get { refreshViewHistory(); return storedRequiresGrad }
        set { storedRequiresGrad = newValue }
    }
    /// Accumulated gradient of a leaf after `backward`.
    public var grad: Tensor?
    /// The autograd node that produced this tensor (nil for leaves and constants).
    /// A view whose base was changed in place since reads a fresh node from the base.
    public internal(set) var gradFn: Node? {
        get { refreshViewHistory(); return storedGradFn }
        set { storedGradFn = newValue; historyVersion = storage.version }
    }
    var storedRequiresGrad: Bool
    var storedGradFn: Node?
    /// For a view made by a view op: its base and its place in the base (ViewHistory.swift).
    var viewOrigin: ViewOrigin?
    /// The handle views hold on this tensor as their base, made by the first view.
    private var token: BaseToken?
    var baseToken: BaseToken {
        if let token { return token }
        let made = BaseToken(self)
        token = made
        return made
    }
    /// The storage version when `gradFn` was last set (views compare it to see in-place changes).
    var historyVersion = 0
    /// True for a 0-d tensor made from a plain number: it does not raise the
    /// dtype of a tensor it meets (`x_f32 * 2.5` stays f32), as in PyTorch.
    public internal(set) var isWrappedNumber = false
    /// Set by `retainGrad()` on an op's output: backward and grad also
    /// accumulate its gradient into `.grad`, as PyTorch's `retain_grad()` does.
    public internal(set) var retainsGrad = false
    /// The values are a picture in [0, 1] (what `load_image` returns): `show`
    /// draws a [3, H, W] one in true colour. Results of ops do not inherit it.
    public var isImage = false
    /// The element type a file stored the values as, when it is not `dtype` (`"f16"`
    /// for half-precision data loaded as f32): set by the file readers so `inspect`
    /// can show `f16→f32`. Results of ops do not inherit it.
    public var storedDType: String?

    init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType, requiresGrad: Bool = false) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.storedRequiresGrad = requiresGrad
    }

    deinit { token?.isAlive = false }

    /// A zero-filled contiguous tensor.
    public convenience init(zeros shape: [Int], dtype: DType = .float32, op: String = "zeros") throws {
        let n = try ShapeMath.count(shape, op: op)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else {
            throw EngineError(.resourceLimit, op: op, argument: "size", "shape \(shapeText(shape)) is too large")
        }
        let storage = try Storage(byteCount: bytes, op: op)
        self.init(storage: storage, shape: shape, strides: ShapeMath.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// An uninitialised contiguous tensor, for kernels that write every element.
    static func empty(_ shape: [Int], _ dtype: DType, op: String) throws -> Tensor {
        try empty(shape, dtype, op: op, strides: nil)
    }

    /// `empty(shape, dtype)` whose strides array is the one of `a` or `b` when
    /// either is a contiguous tensor of `shape`: an elementwise result shares it
    /// instead of allocating its own.
    static func empty(_ shape: [Int], _ dtype: DType, op: String, sharingStridesOf a: Tensor, _ b: Tensor) throws -> Tensor {
        try empty(shape, dtype, op: op, strides: a.contiguousStrides(ifShape: shape) ?? b.contiguousStrides(ifShape: shape))
    }

    private static func empty(_ shape: [Int], _ dtype: DType, op: String, strides: [Int]?) throws -> Tensor {
        let n = try ShapeMath.count(shape, op: op)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else {
            throw EngineError(.resourceLimit, op: op, argument: "size", "shape \(shapeText(shape)) is too large")
        }
        let storage = try Storage(byteCount: bytes, op: op, zeroed: false)
        return Tensor(storage: storage, shape: shape, strides: strides ?? ShapeMath.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// This tensor's strides when it has `shape` and exactly the row-major strides of it.
    private func contiguousStrides(ifShape shape: [Int]) -> [Int]? {
        self.shape == shape && ShapeMath.areContiguousStrides(strides, of: shape) ? strides : nil
    }

    /// A tensor from values given in row-major order, converted to `dtype`.
    public convenience init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
        try self.init(zeros: shape, dtype: dtype, op: "tensor")
        guard values.count == count else {
            throw EngineError.invalid("tensor", "data", "\(values.count) values do not fill shape \(shapeText(shape)) (\(count) elements)")
        }
        storeDoubles(values)
    }

    public convenience init(_ values: [Float], shape: [Int]) throws {
        try self.init(values.map(Double.init), shape: shape, dtype: .float32)
    }

    /// A 0-d tensor.
    public convenience init(scalar: Double, dtype: DType = .float32) {
        self.init(storage: Storage(smallByteCount: 8), shape: [], strides: [], offset: 0, dtype: dtype)
        // Stored directly: every plain number meeting a tensor (`x * 0.5`) is made here.
        switch dtype {
        case .float32: pointer(Float.self)[0] = Float(scalar)
        case .float64: pointer(Double.self)[0] = scalar
        case .int64: pointer(Int64.self)[0] = Int64(fromDouble: scalar)
        case .bool: pointer(Bool.self)[0] = Bool(fromDouble: scalar)
        }
    }

    /// A 0-d tensor made from a plain number (see `isWrappedNumber`).
    public static func wrapped(_ value: Double, dtype: DType) -> Tensor {
        let t = Tensor(scalar: value, dtype: dtype)
        t.isWrappedNumber = true
        return t
    }

    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.reduce(1, &*) }
    public var isLeaf: Bool { gradFn == nil }

    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected = expected &* shape[i]
        }
        return true
    }

    /// Typed pointer to element `[0, 0, ...]`. Callers index with `strides`.
    @inline(__always)
    func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.bytes.assumingMemoryBound(to: T.self) + offset
    }

    /// A new tensor object over the same storage with a different layout (no autograd).
    func aliased(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// This tensor's values without its autograd history (shares storage).
    public func detached() -> Tensor {
        let t = aliased(shape: shape, strides: strides, offset: offset)
        t.isWrappedNumber = isWrappedNumber
        return t
    }
}

