/// Every builtin, by name. Adding a builtin is one entry in one of the
/// category files (`Builtins/*Builtins.swift`) and its name in `standard`.
public struct BuiltinRegistry: @unchecked Sendable {
    public let all: [Builtin]
    private let byName: [String: Builtin]

    public init(_ builtins: [Builtin]) {
        all = builtins
        var table: [String: Builtin] = [:]
        for b in builtins { table[b.name] = b }
        byName = table
    }

    public subscript(name: String) -> Builtin? { byName[name] }
    public var names: [String] { all.map(\.name) }

    /// The registry every session uses, category by category.
    public static let standard = BuiltinRegistry(Array([
        CoreBuiltins.all, CreationBuiltins.all, RandomBuiltins.all, ElementwiseBuiltins.all, NumericBuiltins.all, ReductionBuiltins.all,
        SortingBuiltins.all, ShapeBuiltins.all, IndexingBuiltins.all, InPlaceBuiltins.all, LinalgBuiltins.all, ConvBuiltins.all,
        PoolingBuiltins.all, ResizeBuiltins.all, LossBuiltins.all, LayerBuiltins.all,
        AutogradBuiltins.all, InspectionBuiltins.all, DisplayBuiltins.all, ViewBuiltins.all, IOBuiltins.all, PythonBuiltins.all,
        NNBuiltins.all, ModuleBuiltins.all, OptimBuiltins.all,
    ].joined()))

    /// Categories in documentation order.
    public var categories: [String] {
        var seen: [String] = []
        for b in all where !seen.contains(b.category) { seen.append(b.category) }
        return seen
    }
}
