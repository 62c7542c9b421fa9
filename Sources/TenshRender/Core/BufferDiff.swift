/// A horizontal run of changed cells a backend should paint, starting at (x, y).
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]
}

extension Buffer {
    /// Runs of cells that differ from `previous`, row by row, left to right.
    /// If the sizes differ (a resize) every row is one run: the backend repaints all.
    /// A changed double-width grapheme always carries its continuation cell in the same run.
    public func diff(from previous: Buffer) -> [CellRun] {
        guard previous.width == width, previous.height == height else {
            return (0..<height).map { row in
                CellRun(x: 0, y: row, cells: Array(cells[(row * width)..<(row * width + width)]))
            }
        }
        var runs: [CellRun] = []
        for row in 0..<height {
            var current: CellRun?
            for column in 0..<width {
                let index = row * width + column
                let changed = cells[index] != previous.cells[index]
                    || (current != nil && cells[index].isContinuation)
                if changed {
                    if current == nil, cells[index].isContinuation, column > 0 {
                        // Repaint the grapheme this continuation belongs to.
                        current = CellRun(x: column - 1, y: row, cells: [cells[index - 1]])
                    }
                    if current == nil { current = CellRun(x: column, y: row, cells: []) }
                    current?.cells.append(cells[index])
                } else if let run = current {
                    runs.append(run)
                    current = nil
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
