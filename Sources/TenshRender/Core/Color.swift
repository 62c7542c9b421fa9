/// A terminal colour. `.default` leaves the terminal's own colour in place;
/// `.rgb` is 24-bit; `.indexed` is an xterm-256 palette entry.
public enum Color: Hashable, Sendable {
    case `default`
    case rgb(UInt8, UInt8, UInt8)
    case indexed(UInt8)

    /// `Color(hex: 0x440154)` — convenient for colormap tables and tests.
    public init(hex: UInt32) {
        self = .rgb(UInt8((hex >> 16) & 0xff), UInt8((hex >> 8) & 0xff), UInt8(hex & 0xff))
    }

    /// The colour as 8-bit RGB, or nil for `.default` (whose value only the terminal knows).
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case let .rgb(r, g, b): return (r, g, b)
        case let .indexed(i): return XtermPalette.rgb(of: i)
        }
    }

    /// Relative luminance in [0, 1] (Rec. 709 weights on the 8-bit values), nil for `.default`.
    public var luminance: Double? {
        guard let c = rgbComponents else { return nil }
        return (0.2126 * Double(c.r) + 0.7152 * Double(c.g) + 0.0722 * Double(c.b)) / 255
    }

    /// `#rrggbb`, used in test failure messages and docs.
    public var hexString: String {
        guard let c = rgbComponents else { return "default" }
        return "#" + [c.r, c.g, c.b].map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}

/// The xterm-256 palette: 16 system colours, a 6×6×6 cube (16–231), 24 grays (232–255).
public enum XtermPalette {
    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]
    static let system: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// RGB of a palette index (system colours use xterm's defaults).
    public static func rgb(of index: UInt8) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = Int(index)
        if i < 16 { return system[i] }
        if i >= 232 { let v = UInt8(8 + 10 * (i - 232)); return (v, v, v) }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    /// Nearest palette index (16–255; the system colours are skipped because
    /// terminals theme them) by squared RGB distance; ties go to the lower index.
    public static func nearestIndex(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        var best = 16
        var bestDistance = Int.max
        for candidate in [cubeIndex(r, g, b), grayIndex(r, g, b)] {
            let p = rgb(of: UInt8(candidate))
            let d = sq(Int(p.r) - Int(r)) + sq(Int(p.g) - Int(g)) + sq(Int(p.b) - Int(b))
            if d < bestDistance || (d == bestDistance && candidate < best) { best = candidate; bestDistance = d }
        }
        return UInt8(best)
    }

    private static func sq(_ v: Int) -> Int { v * v }

    /// The cube entry whose levels are nearest per channel (the cube is separable, so this is its nearest entry).
    private static func cubeIndex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for (k, l) in cubeLevels.enumerated() where abs(Int(l) - Int(v)) < abs(Int(cubeLevels[best]) - Int(v)) { best = k }
            return best
        }
        return 16 + 36 * level(r) + 6 * level(g) + level(b)
    }

    /// The gray ramp entry nearest to the channel mean.
    private static func grayIndex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let step = min(23, max(0, (mean - 8 + 5) / 10))
        return 232 + step
    }
}
