/// A 2-d array of Double in row-major order — one heatmap's data (`[H, W]`).
public struct Matrix: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    public private(set) var values: [Double]

    /// `values` must hold rows × columns entries; a short array is padded with NaN
    /// and a long one truncated, so bad input shows up as NaN instead of trapping.
    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        let count = self.rows * self.columns
        var v = Array(values.prefix(count))
        if v.count < count { v += Array(repeating: .nan, count: count - v.count) }
        self.values = v
    }

    /// From nested rows; ragged rows are padded with NaN to the longest row.
    public init(_ nested: [[Double]]) {
        let width = nested.map(\.count).max() ?? 0
        self.init(rows: nested.count, columns: width,
                  values: nested.flatMap { $0 + Array(repeating: .nan, count: width - $0.count) })
    }

    /// The value at (row, column), NaN outside.
    public subscript(row: Int, column: Int) -> Double {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .nan }
        return values[row * columns + column]
    }

    public var isEmpty: Bool { rows == 0 || columns == 0 }
    public var range: ValueRange { ValueRange(of: values) }
}

extension Matrix {
    /// Splits row-major `[C, H, W]` data (a contiguous tensor's values) into C matrices.
    /// Missing values read as NaN, so a short array cannot trap.
    public static func channels(flat values: [Double], channels: Int, rows: Int, columns: Int) -> [Matrix] {
        let plane = max(0, rows) * max(0, columns)
        return (0..<max(0, channels)).map { c in
            let start = min(values.count, c * plane), end = min(values.count, start + plane)
            return Matrix(rows: rows, columns: columns, values: Array(values[start..<end]))
        }
    }

    /// `[C][H][W]` nested arrays as C matrices.
    public static func channels(_ nested: [[[Double]]]) -> [Matrix] {
        nested.map { Matrix($0) }
    }
}
