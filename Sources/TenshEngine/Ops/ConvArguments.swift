import TenshText

/// Argument checking shared by the convolution ops. Every failure is a thrown
/// EngineError naming the op, the argument and the shapes involved.

/// Padding of conv1d/conv2d: explicit sizes, TensorFlow-style "same", or none.
public enum ConvPadding: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// conv2d: 1 value (all sides), 2 values [height, width] (torch order), or
    /// 4 values [left, right, top, bottom]. conv1d: 1 value or [left, right].
    case explicit([Int])
    /// Output size ceil(input / stride) for any stride; odd totals put the extra
    /// padding at the bottom/right, like TensorFlow.
    case same
    /// No padding.
    case valid

    public init(integerLiteral value: Int) { self = .explicit([value]) }
    public init(arrayLiteral elements: Int...) { self = .explicit(elements) }
}

/// Edge padding of `pad` and conv's `paddingMode` (torch's zeros = constant).
public enum PadMode: String, CaseIterable, Sendable {
    case constant, reflect, replicate, circular
}

/// Amounts of padding on the four sides of an image.
struct Padding4: Equatable {
    var left = 0, right = 0, top = 0, bottom = 0
    var isZero: Bool { left == 0 && right == 0 && top == 0 && bottom == 0 }
    /// torch `pad` order for the last two dims.
    var torchOrder: [Int] { [left, right, top, bottom] }
}

enum ConvArguments {
    /// Largest stride, dilation, padding or kernel size accepted: far beyond any
    /// real use, small enough that shape arithmetic on it cannot overflow.
    static let maxArgument = 1 << 20

    /// `values` as a (height, width) pair: one value for both, or two. Checks positivity.
    static func positivePair(_ values: [Int], _ name: String, op: String) throws -> (Int, Int) {
        let pair = try expandPair(values, name, op: op)
        guard pair.0 > 0 && pair.1 > 0 else {
            throw EngineError.invalid(op, name, "\(name) must be positive, got \(shapeText(values))")
        }
        try checkMagnitude(values, name, op: op)
        return pair
    }

    static func checkMagnitude(_ values: [Int], _ name: String, op: String) throws {
        if values.contains(where: { $0 > maxArgument }) {
            throw EngineError.invalid(op, name, "\(name) \(shapeText(values)) is too large (at most \(maxArgument))")
        }
    }

    static func expandPair(_ values: [Int], _ name: String, op: String) throws -> (Int, Int) {
        switch values.count {
        case 1: return (values[0], values[0])
        case 2: return (values[0], values[1])
        default: throw EngineError.invalid(op, name, "\(name) needs 1 or 2 values, got \(shapeText(values))")
        }
    }

    static func nonNegative(_ values: [Int], _ name: String, op: String) throws {
        if values.contains(where: { $0 < 0 }) {
            throw EngineError.invalid(op, name, "\(name) must be non-negative, got \(shapeText(values))")
        }
        try checkMagnitude(values, name, op: op)
    }

    /// Checks ranks, dtypes, groups and channel counts of a conv-like call.
    static func checkTensors(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, groups: Int, rank: Int, op: String,
                             weightChannelsAreInput: Bool = true, biasSize: Int) throws {
        guard x.rank == rank else {
            let layouts = rank == 4 ? "[N, C, H, W] (or 3-d [C, H, W])" : "[N, C, L] (or 2-d [C, L])"
            throw EngineError.invalid(op, "x", "expected a \(rank)-d input \(layouts), got shape \(shapeText(x.shape))")
        }
        guard w.rank == rank else {
            throw EngineError.invalid(op, "w", "expected a \(rank)-d weight, got shape \(shapeText(w.shape))")
        }
        guard x.dtype.isFloatingPoint else {
            throw EngineError.invalid(op, "x", "expected a float32 or float64 input, got \(x.dtype)")
        }
        guard w.dtype == x.dtype else {
            throw EngineError.invalid(op, "w", "input is \(x.dtype) but weight is \(w.dtype); convert one of them")
        }
        guard groups > 0 else { throw EngineError.invalid(op, "groups", "groups must be positive, got \(groups)") }
        guard groups <= max(x.shape[1], 1) else {
            throw EngineError.invalid(op, "groups", "groups=\(groups) exceeds the \(x.shape[1]) input channels (input \(shapeText(x.shape)))")
        }
        if let bias {
            guard bias.dtype == x.dtype else {
                throw EngineError.invalid(op, "b", "input is \(x.dtype) but bias is \(bias.dtype)")
            }
            guard bias.shape == [biasSize] else {
                throw EngineError.invalid(op, "b", "bias must have shape [\(biasSize)], got \(shapeText(bias.shape)) (weight \(shapeText(w.shape)))")
            }
        }
    }

    /// Rejects kernels that do not fit the padded input.
    static func checkFits(input: Int, padded: Int, kernel: Int, dilation: Int, dim: String, op: String,
                          x: Tensor, w: Tensor) throws {
        let span = dilation * (kernel - 1) + 1
        guard padded >= span else {
            throw EngineError.invalid(op, "w",
                "kernel \(dim) \(kernel) (dilated to \(span)) is larger than the padded input \(dim) \(padded) (input \(shapeText(x.shape)), weight \(shapeText(w.shape)))")
        }
    }

    /// Resolves conv2d padding to four sides for the given input, kernel, stride, dilation.
    static func resolve(_ padding: ConvPadding, inputHW: (Int, Int), kernel: (Int, Int), stride: (Int, Int),
                        dilation: (Int, Int), op: String) throws -> Padding4 {
        switch padding {
        case .valid: return Padding4()
        case .same:
            let (top, bottom) = samePadding(inputHW.0, kernel.0, stride.0, dilation.0)
            let (left, right) = samePadding(inputHW.1, kernel.1, stride.1, dilation.1)
            return Padding4(left: left, right: right, top: top, bottom: bottom)
        case .explicit(let v):
            try nonNegative(v, "padding", op: op)
            switch v.count {
            case 1: return Padding4(left: v[0], right: v[0], top: v[0], bottom: v[0])
            case 2: return Padding4(left: v[1], right: v[1], top: v[0], bottom: v[0])
            case 4: return Padding4(left: v[0], right: v[1], top: v[2], bottom: v[3])
            default:
                throw EngineError.invalid(op, "padding", "padding needs 1, 2 ([height, width]) or 4 ([left, right, top, bottom]) values, got \(shapeText(v))")
            }
        }
    }

    /// TensorFlow "same": total = max((ceil(n/s) − 1)·s + d·(k − 1) + 1 − n, 0), extra at the end.
    static func samePadding(_ n: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
        let out = (n + s - 1) / s
        let total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
        return (total / 2, total - total / 2)
    }
}
