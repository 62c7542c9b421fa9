/// A `width` × `height` grid of cells that widgets draw into (ratatui's model):
/// widgets never talk to a terminal; a backend paints `diff(from:)` of two buffers.
/// Every write is clipped to the buffer, so widgets cannot trap on odd sizes.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// A buffer holding these lines (unstyled), padded with blanks to the widest line.
    /// Handy in tests: `Buffer(lines: [" ▁▂▃"])`.
    public init(lines: [String]) {
        let widest = lines.map { DisplayWidth.of($0) }.max() ?? 0
        self.init(width: widest, height: lines.count)
        for (row, line) in lines.enumerated() { setString(x: 0, y: row, line) }
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), or nil outside the buffer.
    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Writes a cell; writes outside the buffer are ignored. Overwriting half of a
    /// double-width grapheme blanks its other half so no half-character remains.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = y * width + x
        if cells[index].isContinuation, !cell.isContinuation, x > 0 {
            cells[index - 1].symbol = " "
        }
        if x + 1 < width, cells[index + 1].isContinuation, DisplayWidth.of(cell.symbol) < 2 {
            cells[index + 1].symbol = " "
        }
        cells[index] = cell
    }

    /// Changes only the style of a cell (keeps its symbol).
    public mutating func setStyle(x: Int, y: Int, _ style: Style) {
        guard var cell = self[x, y] else { return }
        cell.style = style
        set(x: x, y: y, cell)
    }

    /// Writes `text` from (x, y) rightwards, clipped to `clip` (default: the
    /// whole buffer). A double-width grapheme that would straddle the clip edge is
    /// dropped rather than split. Returns the column after the last cell written.
    @discardableResult
    public mutating func setString(x: Int, y: Int, _ text: String, style: Style = .plain, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.bottom else { return x }
        var column = x
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if column + w > bounds.right { break }
            if column >= bounds.x {
                set(x: column, y: y, Cell(String(ch), style: style))
                if w == 2 { set(x: column + 1, y: y, Cell("", style: style)) }
            }
            column += w
        }
        return column
    }

    /// Fills a rectangle (clipped) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for row in r.y..<r.bottom {
            for column in r.x..<r.right { cells[row * width + column] = cell }
        }
    }

    /// Copies the `source` region of `other` (starting at `sourceOrigin`) into `target`,
    /// clipped on both sides — used to show a scrolled window of a larger drawing.
    public mutating func blit(_ other: Buffer, sourceX: Int, sourceY: Int, into target: Rect) {
        let t = target.intersection(area)
        guard !t.isEmpty else { return }
        for row in t.y..<t.bottom {
            for column in t.x..<t.right {
                let sx = sourceX + (column - target.x), sy = sourceY + (row - target.y)
                if let cell = other[sx, sy] { set(x: column, y: row, cell) }
            }
        }
    }

    /// The text of each row (continuation cells omitted), styles dropped — what tests compare.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width { line += cells[row * width + column].symbol }
            return line
        }
    }
}
