/// A scrolling transcript: lines are wrapped to the pane width and the last
/// lines stay visible; `scrollBack` rows scroll towards older output.
public struct TextPane: Sendable {
    public struct Line: Hashable, Sendable {
        public var text: String
        public var style: Style
        public init(_ text: String, style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    public var lines: [Line]
    /// Rows scrolled back from the bottom (0 = follow the newest output); clamped.
    public var scrollBack: Int

    public init(lines: [Line], scrollBack: Int = 0) {
        self.lines = lines
        self.scrollBack = scrollBack
    }

    /// Splits `text` into rows of at most `width` columns (hard wrap, by display width).
    /// Embedded newlines start new rows; tabs become 4 spaces.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var rows: [String] = []
        for paragraph in text.replacingTabs().split(separator: "\n", omittingEmptySubsequences: false) {
            var row = "", used = 0
            for ch in paragraph {
                let w = DisplayWidth.of(ch)
                if used + w > width { rows.append(row); row = ""; used = 0 }
                row.append(ch)
                used += w
            }
            rows.append(row)
        }
        return rows
    }

    /// All wrapped rows for `width` with their styles.
    public func wrappedRows(width: Int) -> [Line] {
        lines.flatMap { line in Self.wrap(line.text, width: width).map { Line($0, style: line.style) } }
    }

    /// The largest useful `scrollBack` for this area.
    public func maxScrollBack(in area: Rect) -> Int {
        max(0, wrappedRows(width: area.width).count - area.height)
    }

    public func draw(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let rows = wrappedRows(width: area.width)
        let back = min(max(0, scrollBack), max(0, rows.count - area.height))
        let end = rows.count - back
        let start = max(0, end - area.height)
        for (i, row) in rows[start..<end].enumerated() {
            buffer.setString(x: area.x, y: area.y + i, row.text, style: row.style, clip: area)
        }
    }
}

extension String {
    func replacingTabs() -> String {
        contains("\t") ? split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ") : self
    }
}
