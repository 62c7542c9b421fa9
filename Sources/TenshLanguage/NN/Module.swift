import TenshEngine

/// A layer or a container, held as data the way PyTorch's `nn.Module` holds
/// it: ordered parameters, buffers and children, a training flag, and either a
/// layer's own computation or a user's `forward`. Parameter order, state_dict
/// keys and the repr all follow from this data (NN/ModuleTree.swift,
/// NN/ModuleRepr.swift); no layer has code of its own for them.
public final class Module {
    /// PyTorch's class name: `Conv2d`, `Sequential`, `Module`.
    public let typeName: String
    /// Registered parameters in order; nil is a slot registered as None
    /// (the bias of a `bias=false` layer), which state_dict skips.
    var parameters: [(name: String, tensor: Tensor?)]
    /// Registered buffers (running statistics, `num_batches_tracked`).
    var buffers: [(name: String, tensor: Tensor?)]
    /// Children in order: modules, or (in a Sequential) plain functions.
    private(set) var children: [(name: String, child: ModuleChild)]
    /// `train()` / `eval()`: dropout and batch norm read it.
    public internal(set) var training = true
    /// The computation of a built-in layer, with its settings (nil for containers).
    let layer: Layer?
    /// `Module(..., forward=f)`: calling the module calls `f(module, inputs...)`.
    let forward: Value?
    /// Levels of modules below this one (0 for a leaf); bounded so walks cannot run away.
    private(set) var depth = 0

    /// Deeper nesting than this is refused when a container is built.
    static let maxDepth = 200

    init(_ typeName: String, layer: Layer? = nil, parameters: [(String, Tensor?)] = [], buffers: [(String, Tensor?)] = [],
         forward: Value? = nil) {
        self.typeName = typeName
        self.layer = layer
        self.parameters = parameters.map { (name: $0.0, tensor: $0.1) }
        self.buffers = buffers.map { (name: $0.0, tensor: $0.1) }
        self.children = []
        self.forward = forward
    }

    /// A container of `children` (a Sequential's are named "0", "1", ...).
    convenience init(container typeName: String, children: [(String, ModuleChild)], forward: Value? = nil) throws {
        self.init(typeName, forward: forward)
        for (name, child) in children { try setChild(name, child) }
    }

    /// Adds or replaces the child `name` (`net.fc = Linear(...)` replaces in place, as PyTorch does).
    func setChild(_ name: String, _ child: ModuleChild) throws {
        if case .module(let m) = child {
            guard !m.contains(self) else {
                throw RuntimeError("cannot add module '\(name)': it contains this module (a module cannot contain itself)")
            }
            guard m.depth < Module.maxDepth else {
                throw RuntimeError("modules nested more than \(Module.maxDepth) deep are not supported")
            }
            depth = Swift.max(depth, m.depth + 1)
        }
        if let i = children.firstIndex(where: { $0.name == name }) { children[i].child = child } else { children.append((name, child)) }
    }

    func child(_ name: String) -> ModuleChild? { children.first { $0.name == name }?.child }
    func parameter(_ name: String) -> Tensor?? { parameters.first { $0.name == name }.map(\.tensor) }
    func buffer(_ name: String) -> Tensor?? { buffers.first { $0.name == name }.map(\.tensor) }

    /// Whether `other` is this module or one of its descendants.
    func contains(_ other: Module) -> Bool {
        modulesPreOrder().contains { $0.module === other }
    }

    /// The child modules in order (functions in a Sequential are not modules).
    var childModules: [(name: String, module: Module)] {
        children.compactMap { entry in
            if case .module(let m) = entry.child { return (entry.name, m) }
            return nil
        }
    }
}

/// What a container holds: a module, or a function standing in a Sequential.
enum ModuleChild {
    case module(Module)
    case function(Value)

    var value: Value {
        switch self {
        case .module(let m): return .module(m)
        case .function(let f): return f
        }
    }
}
