/// One tile of a channel grid: a label row above a heatmap area.
public struct ChannelTile: Hashable, Sendable {
    public var channel: Int
    public var label: Rect
    public var image: Rect
}

/// The C channels of a `[C, H, W]` array as a grid of labelled heatmaps.
/// The grid picks the column count that shows the most channels at the largest
/// pixel size; when not all fit, it scrolls by whole rows to keep `selected` visible.
public struct ChannelGrid: Sendable {
    public var channels: [Matrix]
    public var colormap: Colormap
    /// One range per channel (the caller decides per-channel or global normalisation);
    /// a missing entry falls back to that channel's own range.
    public var ranges: [ValueRange]
    public var selected: Int?
    /// Columns between tiles.
    public var gap = 1

    public init(channels: [Matrix], colormap: Colormap, ranges: [ValueRange], selected: Int? = nil) {
        self.channels = channels
        self.colormap = colormap
        self.ranges = ranges
        self.selected = selected
    }

    /// Per-channel ranges, or the same global range repeated.
    public static func ranges(for channels: [Matrix], global: Bool) -> [ValueRange] {
        let own = channels.map(\.range)
        return global ? Array(repeating: ValueRange.union(own), count: own.count) : own
    }

    public func scale(ofChannel c: Int) -> ColorScale {
        let range = c < ranges.count ? ranges[c] : (c < channels.count ? channels[c].range : ValueRange(min: 0, max: 0))
        return ColorScale(colormap: colormap, range: range)
    }

    /// Tiles for the channels that fit in `area`, in channel order.
    public func layout(in area: Rect) -> [ChannelTile] {
        guard let best = bestArrangement(in: area) else { return [] }
        let perRow = best.columns
        let start: Int = {
            // An out-of-range selection scrolls no further than the last channel.
            guard let s = selected.map({ min($0, channels.count - 1) }), s >= best.visibleRows * perRow else { return 0 }
            return (s / perRow - best.visibleRows + 1) * perRow
        }()
        // Tiles shrink to the fitted image (but keep room for the label) so the grid is compact.
        let labelWidth = "c\(channels.count - 1)".count
        let tileWidth = min(best.tileWidth, max(best.imageWidth, labelWidth))
        let tileHeight = min(best.tileHeight, best.imageHeight)
        var tiles: [ChannelTile] = []
        for c in start..<min(channels.count, start + best.visibleRows * perRow) {
            let slot = c - start
            let x = area.x + (slot % perRow) * (tileWidth + gap)
            let y = area.y + (slot / perRow) * (tileHeight + 1)
            tiles.append(ChannelTile(channel: c, label: Rect(x: x, y: y, width: tileWidth, height: 1),
                                     image: Rect(x: x, y: y + 1, width: tileWidth, height: tileHeight)))
        }
        return tiles
    }

    @discardableResult
    public func draw(into buffer: inout Buffer, area: Rect) -> [ChannelTile] {
        let tiles = layout(in: area)
        for tile in tiles {
            let isSelected = tile.channel == selected
            let style = isSelected ? Style(attributes: [.reverse, .bold]) : Style(attributes: [.dim])
            if isSelected { buffer.fill(tile.label, with: Cell(" ", style: style)) }
            buffer.setString(x: tile.label.x, y: tile.label.y, "c\(tile.channel)", style: style, clip: tile.label)
            Heatmap(channels[tile.channel], scale: scale(ofChannel: tile.channel)).draw(into: &buffer, area: tile.image)
        }
        return tiles
    }

    struct Arrangement {
        var columns: Int
        var visibleRows: Int
        var tileWidth: Int
        var tileHeight: Int
        /// The fitted heatmap inside a tile, in cells.
        var imageWidth: Int
        var imageHeight: Int
    }

    /// Tries every column count; prefers showing more channels, then bigger pixels,
    /// then more columns (terminals are wider than tall). Deterministic.
    func bestArrangement(in area: Rect) -> Arrangement? {
        let count = channels.count
        guard count > 0, area.width > 0, area.height >= 2 else { return nil }
        let h = channels.map(\.rows).max() ?? 1, w = channels.map(\.columns).max() ?? 1
        var best: (arrangement: Arrangement, shown: Int, pixels: Int)?
        for columns in 1...count {
            let tileWidth = (area.width - (columns - 1) * gap) / columns
            guard tileWidth >= 2 else { break }
            let rowsNeeded = (count + columns - 1) / columns
            let visibleRows = min(rowsNeeded, area.height / 2)
            let tileHeight = area.height / visibleRows - 1  // ≥ 1: visibleRows ≤ height / 2
            let size = Resample.fittedSize(rows: h, columns: w, maxRows: 2 * tileHeight, maxColumns: tileWidth)
            let shown = min(count, visibleRows * columns)
            let pixels = size.rows * size.columns
            if let b = best, (shown, pixels) < (b.shown, b.pixels) { continue }
            best = (Arrangement(columns: columns, visibleRows: visibleRows, tileWidth: tileWidth, tileHeight: tileHeight,
                                imageWidth: size.columns, imageHeight: (size.rows + 1) / 2), shown, pixels)
        }
        return best?.arrangement
    }
}
