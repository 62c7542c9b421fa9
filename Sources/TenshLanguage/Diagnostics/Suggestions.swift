/// "did you mean" hints from edit distance, like swift-argument-parser.
/// The work is bounded whatever the names: a candidate whose length differs
/// by more than the allowed distance is skipped before any comparison, and
/// the distance is computed only in a band that far from the diagonal, so a
/// 100,000-character name costs a few hundred thousand steps at most.
enum Suggestions {
    /// The candidate closest to `name`, when it is close enough to be a typo.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name)
        let limit = max(1, min(3, target.count / 3 + 1))
        var best: (String, Int)?
        for c in candidates where c != name {
            let other = Array(c)
            guard abs(other.count - target.count) <= limit,
                  let d = distance(target, other, atMost: best.map { min($0.1, limit) } ?? limit) else { continue }
            if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
            best = (c, d)
        }
        return best?.0
    }

    /// NumPy's and PyTorch's keyword spellings for tensh's parameter names.
    static let keywordSpellings: [String: String] = [
        "axis": "dim", "axes": "dim", "keepdims": "keepdim", "input": "x", "other": "y", "size": "shape",
    ]

    /// `; did you mean 'x'?` or the empty string.
    static func hint(for name: String, in candidates: [String]) -> String {
        nearest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Edit distance with insertions, deletions, substitutions and swaps of two
    /// neighbours (a swap is the commonest typo: `zerso` is one step from `zeros`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        return distance(a, b, atMost: max(a.count, b.count)) ?? max(a.count, b.count)
    }

    /// The distance when it is at most `limit`, else nil. Only cells within
    /// `limit` of the diagonal can hold such a distance, so only they are computed.
    static func distance(_ a: [Character], _ b: [Character], atMost limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let outside = limit + 1
        var beforePrevious = [Int](repeating: outside, count: b.count + 1)
        var previous = (0...b.count).map { $0 <= limit ? $0 : outside }
        var current = [Int](repeating: outside, count: b.count + 1)
        for i in 1...a.count {
            let low = max(1, i - limit), high = min(b.count, i + limit)
            current[0] = i <= limit ? i : outside
            if low > 1 { current[low - 1] = outside }
            var rowMinimum = current[0]
            for j in low...high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                let above = j <= i - 1 + limit ? previous[j] : outside
                var d = min(above + 1, current[j - 1] + 1, previous[j - 1] + cost, outside)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, beforePrevious[j - 2] + 1)
                }
                current[j] = d
                rowMinimum = min(rowMinimum, d)
            }
            if high < b.count { current[high + 1] = outside }
            // No path gets cheaper further down: once a whole row is over the limit, so is the answer.
            if rowMinimum > limit { return nil }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
