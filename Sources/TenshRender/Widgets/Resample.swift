/// Fitting a matrix into a pixel box while keeping its aspect ratio.
/// Larger images are shrunk by area averaging (every source pixel contributes in
/// proportion to the area it covers); smaller ones are magnified by an integer
/// factor with nearest-neighbour, so pixels stay square and crisp.
public enum Resample {
    /// Output size (rows, columns) for `matrix` inside `maxRows` × `maxColumns` pixels.
    public static func fittedSize(rows: Int, columns: Int, maxRows: Int, maxColumns: Int) -> (rows: Int, columns: Int) {
        guard rows > 0, columns > 0, maxRows > 0, maxColumns > 0 else { return (0, 0) }
        if rows <= maxRows && columns <= maxColumns {
            let factor = min(maxRows / rows, maxColumns / columns)
            return (rows * factor, columns * factor)
        }
        let scale = min(Double(maxRows) / Double(rows), Double(maxColumns) / Double(columns))
        return (max(1, min(maxRows, Int(Double(rows) * scale))), max(1, min(maxColumns, Int(Double(columns) * scale))))
    }

    /// `matrix` resampled to exactly `rows` × `columns`.
    public static func resampled(_ matrix: Matrix, rows: Int, columns: Int) -> Matrix {
        guard !matrix.isEmpty, rows > 0, columns > 0 else { return Matrix(rows: 0, columns: 0, values: []) }
        let rowWeights = weights(source: matrix.rows, target: rows)
        let columnWeights = weights(source: matrix.columns, target: columns)
        var out = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                var sum = 0.0, area = 0.0
                for (sr, wr) in rowWeights[r] {
                    for (sc, wc) in columnWeights[c] {
                        sum += matrix[sr, sc] * (wr * wc)
                        area += wr * wc
                    }
                }
                out[r * columns + c] = sum / area
            }
        }
        return Matrix(rows: rows, columns: columns, values: out)
    }

    /// For each target index, the source indices it covers with their overlap lengths.
    /// Magnification (target ≥ source) uses nearest neighbour: one source, weight 1.
    /// Only positive overlaps are kept, so an Inf never meets a zero weight (→ NaN).
    static func weights(source: Int, target: Int) -> [[(Int, Double)]] {
        if target >= source {
            return (0..<target).map { t in [(min(source - 1, t * source / target), 1.0)] }
        }
        let step = Double(source) / Double(target)
        return (0..<target).map { t in
            let start = Double(t) * step, end = Double(t + 1) * step
            var list: [(Int, Double)] = []
            var s = Int(start)
            while s < source && Double(s) < end {
                let overlap = min(end, Double(s + 1)) - max(start, Double(s))
                if overlap > 1e-12 { list.append((s, overlap)) }
                s += 1
            }
            return list
        }
    }

    /// The resampled pixel that shows source pixel (row, column) — for cursors.
    public static func targetIndex(ofSource index: Int, source: Int, target: Int) -> ClosedRange<Int> {
        guard source > 0, target > 0 else { return 0...0 }
        if target >= source {
            // Nearest-neighbour magnification: the block of targets mapping to `index`.
            let first = (index * target + source - 1) / source
            let last = max(first, ((index + 1) * target + source - 1) / source - 1)
            return first...min(target - 1, last)
        }
        let t = min(target - 1, index * target / source)
        return t...t
    }
}
