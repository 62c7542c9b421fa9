/// The element types a tensor can hold.
public enum DType: String, CaseIterable, Sendable, CustomStringConvertible {
    case float32 = "f32"
    case float64 = "f64"
    case int64 = "i64"
    case bool = "bool"

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64: return 8
        case .bool: return 1
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// tensh's short name (`f32`, `f64`, `i64`, `bool`).
    public var description: String { rawValue }

    /// Parses `f32`/`float32`/`float`, `f64`/`float64`/`double`, `i64`/`int64`/`long`, `bool`.
    public init?(name: String) {
        switch name {
        case "f32", "float32", "float": self = .float32
        case "f64", "float64", "double": self = .float64
        case "i64", "int64", "long", "int": self = .int64
        case "bool": self = .bool
        default: return nil
        }
    }

    /// bool < integer < floating point, as in PyTorch's type promotion.
    var category: Int {
        switch self {
        case .bool: return 0
        case .int64: return 1
        case .float32, .float64: return 2
        }
    }

    /// The smallest type both promote to.
    static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        return .float64 // the only same-category pair of distinct types
    }
}

/// Float and Double: the element types of every differentiable op.
/// Math functions route to libm so that generic kernels specialise to direct calls.
// Codable: the compiler asks for it because SIMD vectors of the scalar are Codable.
public protocol TensorFloat: BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    static var dtype: DType { get }
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Float: TensorFloat {
    public static var dtype: DType { .float32 }
    @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always) public static func sin(_ x: Float) -> Float { sinf(x) }
    @inline(__always) public static func cos(_ x: Float) -> Float { cosf(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) public static func erf(_ x: Float) -> Float { erff(x) }
    @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inline(__always) public static func log1p(_ x: Float) -> Float { log1pf(x) }
    @inline(__always) public static func expm1(_ x: Float) -> Float { expm1f(x) }
}

extension Double: TensorFloat {
    public static var dtype: DType { .float64 }
    @inline(__always) public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    @inline(__always) public static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inline(__always) public static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inline(__always) public static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inline(__always) public static func log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    @inline(__always) public static func expm1(_ x: Double) -> Double { Glibc.expm1(x) }
}
