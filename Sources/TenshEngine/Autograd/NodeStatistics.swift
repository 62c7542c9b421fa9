import TenshText

/// The statistics `stats(y)` gives for one node of the graph behind y: its
/// output's moments and extremes, its gradient's size, dead ReLU units and
/// non-finite values. Moments follow torch: `std` is the unbiased one, and a
/// NaN anywhere makes mean, std, min and max NaN.
public struct NodeStatistics {
    /// Position in topological order (inputs before the ops that use them).
    public let index: Int
    /// The node's output (an op's) or the leaf itself.
    public let tensor: Tensor
    /// A variable name when the session knows one, else the op's name (`Relu`) or `tensor`.
    public let name: String
    /// The op (`Conv2d`), or `param` / `input` for a leaf that does / does not require grad.
    public let op: String
    public let shape: [Int]
    public let dtype: DType
    public let mean: Double
    public let std: Double
    public let min: Double
    public let max: Double
    /// The Euclidean norm of the output.
    public let norm: Double
    /// The gradient of the output (a leaf's `.grad`, an op's kept gradient) and
    /// its norm; nil when there is none.
    public let gradient: Tensor?
    public let gradientNorm: Double?
    /// After a ReLU: the fraction of units that are zero for every sample of the
    /// batch (the first dimension; a tensor of rank 0 or 1 is one sample).
    public let deadFraction: Double?
    public let nanCount: Int
    public let infCount: Int
    /// The first node, in topological order, whose output holds a NaN or an Inf.
    public internal(set) var isOrigin = false

    /// `|grad| / |value|`: how large the update is relative to the value (inf when the value is zero).
    public var gradientRatio: Double? { gradientNorm.map { $0 / norm } }
}

extension NodeStatistics {
    /// Every node of the graph behind `root`, in topological order.
    /// - name: a variable name for a tensor when the session knows one.
    /// - gradient: the gradient of a node's output, when there is one.
    public static func of(_ root: Tensor, name: (Tensor) -> String? = { _ in nil },
                          gradient: (Tensor) -> Tensor? = { $0.grad }, maxNodes: Int = 10_000) throws -> [NodeStatistics] {
        let walk = GraphWalk(root: root, maxNodes: maxNodes)
        var rows: [NodeStatistics] = []
        for (index, entry) in walk.topologicalOrder.enumerated() {
            try Cancellation.check("stats")
            rows.append(row(walk.entries[entry].tensor, node: walk.entries[entry].node, index: index, name: name,
                            gradient: gradient))
        }
        if let first = rows.firstIndex(where: { $0.nanCount + $0.infCount > 0 }) { rows[first].isOrigin = true }
        return rows
    }

    static func row(_ t: Tensor, node: Node?, index: Int, name: (Tensor) -> String?,
                    gradient: (Tensor) -> Tensor?) -> NodeStatistics {
        let moments = Moments(t)
        let op = node?.op ?? (t.requiresGrad ? "param" : "input")
        let dead = node?.op == "Relu" ? deadFraction(t) : nil
        let g = gradient(t)
        return NodeStatistics(index: index, tensor: t, name: name(t) ?? fallbackName(t, node: node), op: op, shape: t.shape,
                              dtype: t.dtype, mean: moments.mean, std: moments.std, min: moments.min, max: moments.max,
                              norm: moments.sumOfSquares.squareRoot(), gradient: g,
                              gradientNorm: g.map { Moments($0).sumOfSquares.squareRoot() },
                              deadFraction: dead, nanCount: moments.nanCount, infCount: moments.infCount)
    }

    /// An unnamed node: its op, the value of a 0-d constant (`1`), or `tensor`.
    public static func fallbackName(_ t: Tensor, node: Node?) -> String {
        if let node { return node.op }
        return t.rank == 0 ? NumberText.short(t.toDoubles().first ?? .nan) : "tensor"
    }

    /// Units (positions after the batch dimension) that are zero in every sample.
    static func deadFraction(_ t: Tensor) -> Double {
        let samples = t.rank >= 2 ? t.shape[0] : 1
        let units = samples == 0 ? 0 : t.count / samples
        guard units > 0 else { return 0 }
        let alive = withElementType(t.dtype) { T in aliveUnits(t, T, units: units) }
        return Double(alive.lazy.filter { !$0 }.count) / Double(units)
    }

    private static func aliveUnits<T: Element>(_ t: Tensor, _: T.Type, units: Int) -> [Bool] {
        var alive = [Bool](repeating: false, count: units)
        var i = 0
        let p = t.pointer(T.self)
        forEachOffset(t.shape, t.strides) { offset in
            if p[offset].asDouble != 0 { alive[i % units] = true }
            i += 1
        }
        return alive
    }
}

/// One pass over a tensor's elements: the sum, the variance of the finite
/// values (Welford, in Double), extremes, the sum of squares and non-finite counts.
struct Moments {
    private(set) var count = 0
    private(set) var sum = 0.0
    private var finiteCount = 0
    private var finiteMean = 0.0
    private var m2 = 0.0
    private var low = Double.infinity
    private var high = -Double.infinity
    private(set) var sumOfSquares = 0.0
    private(set) var nanCount = 0
    private(set) var infCount = 0

    init(_ t: Tensor) {
        self = withElementType(t.dtype) { T in Self.read(t, T) }
    }

    private init() {}

    private static func read<T: Element>(_ t: Tensor, _: T.Type) -> Moments {
        var m = Moments()
        let p = t.pointer(T.self)
        forEachOffset(t.shape, t.strides) { m.add(p[$0].asDouble) }
        return m
    }

    private mutating func add(_ v: Double) {
        count += 1
        sum += v
        sumOfSquares += v * v
        if v.isNaN { nanCount += 1; return }
        low = Swift.min(low, v)
        high = Swift.max(high, v)
        if v.isInfinite { infCount += 1; return }
        finiteCount += 1
        let delta = v - finiteMean
        finiteMean += delta / Double(finiteCount)
        m2 += delta * (v - finiteMean)
    }

    /// NaN for no elements, as `torch.mean` of an empty tensor.
    var mean: Double { count > 0 ? sum / Double(count) : .nan }
    var min: Double { nanCount > 0 || count == 0 ? .nan : low }
    var max: Double { nanCount > 0 || count == 0 ? .nan : high }

    /// Unbiased, as `torch.std`: NaN for a single element or any non-finite value.
    var std: Double {
        guard count > 1, nanCount + infCount == 0 else { return .nan }
        return (m2 / Double(count - 1)).squareRoot()
    }
}
