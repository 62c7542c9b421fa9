/// Variables: globals, plus one frame of locals per active function call.
/// Blocks do not open scopes; a function assigns to its own locals and reads
/// globals (as in Python without `global`).
///
/// Each global lives in a cell that a `.name` node remembers once it has found
/// it, so a loop reading and rebinding globals does not hash their names on
/// every statement.
struct Environment {
    private var cells: [String: GlobalCell] = [:]
    /// Marks the cells of this set of globals: `reset` starts a new set, and a
    /// node's remembered cell counts only while its owner is the current one.
    private var owner = CellOwner()
    private var frames: [[String: Value]] = []

    var depth: Int { frames.count }

    /// The bound globals.
    var globals: [String: Value] { cells.compactMapValues(\.value) }

    func lookup(_ name: String) -> Value? {
        if let frame = frames.last, let v = frame[name] { return v }
        return cells[name]?.value
    }

    /// `lookup(name)` for the node `node` (a `.name`, or a method call `x.sum()`),
    /// which remembers the global's cell, made unbound when there is none: a loop
    /// then hashes the name once, not on every statement, even to find that no
    /// variable hides a builtin of that name.
    mutating func lookup(_ name: String, at node: Expr) -> Value? {
        if let frame = frames.last, let v = frame[name] { return v }
        if let cell = node.globalCell, cell.owner === owner { return cell.value }
        let cell = globalCell(name)
        node.globalCell = cell
        return cell.value
    }

    mutating func assign(_ name: String, _ value: Value) {
        if frames.isEmpty { globalCell(name).value = value } else { frames[frames.count - 1][name] = value }
    }

    /// `assign(name, value)` for the target node `node`, which remembers the global's cell.
    mutating func assign(_ name: String, _ value: Value, at node: Expr) {
        guard frames.isEmpty else { return assign(name, value) }
        if let cell = node.globalCell, cell.owner === owner { cell.value = value; return }
        let cell = globalCell(name)
        node.globalCell = cell
        cell.value = value
    }

    /// The value bound to `name` in the innermost scope (a function's locals, else the globals).
    func lookupLocal(_ name: String) -> Value? {
        frames.isEmpty ? cells[name]?.value : frames[frames.count - 1][name]
    }

    /// Binds `name` in the innermost scope to `value`, or unbinds it when nil.
    mutating func restore(_ name: String, _ value: Value?) {
        if frames.isEmpty { globalCell(name).value = value } else { frames[frames.count - 1][name] = value }
    }

    mutating func push(_ locals: [String: Value]) { frames.append(locals) }
    mutating func pop() { _ = frames.popLast() }

    /// Every name visible here (for "did you mean" and completion).
    var visibleNames: [String] {
        Array(Set(globals.keys).union(frames.last?.keys ?? [:].keys))
    }

    mutating func reset() {
        // Nodes may still hold the old cells: their values go now, not with the nodes.
        for cell in cells.values { cell.value = nil }
        cells = [:]
        owner = CellOwner()
        frames = []
    }

    /// The cell of global `name`, made (unbound) on first use.
    private mutating func globalCell(_ name: String) -> GlobalCell {
        if let cell = cells[name] { return cell }
        let cell = GlobalCell(owner: owner)
        cells[name] = cell
        return cell
    }
}

/// One global variable's binding; nil when unbound (`del x`).
final class GlobalCell {
    /// Read and written only by Environment, never across a call that could reach it again.
    @exclusivity(unchecked) var value: Value?
    let owner: CellOwner

    init(owner: CellOwner) { self.owner = owner }
}

/// The identity of one set of globals (see `Environment.owner`).
final class CellOwner {}
