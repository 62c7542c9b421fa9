/// The colormaps of the feature-map view. `m` in the workbench cycles through them.
public enum Colormap: String, CaseIterable, Hashable, Sendable {
    /// matplotlib's perceptually uniform default (dark purple → yellow).
    case viridis
    /// Black → white.
    case gray
    /// Blue → white → red, meant to be centred on zero (the default for gradients).
    case diverging

    /// The colour at position `t` in [0, 1] (clamped; NaN maps to 0).
    public func rgb(at t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        let u = t.isNaN ? 0 : min(1, max(0, t))
        switch self {
        case .viridis: return Self.interpolate(Self.viridisControlPoints, u)
        case .gray:
            let v = UInt8((u * 255).rounded())
            return (v, v, v)
        case .diverging: return Self.interpolate(Self.divergingControlPoints, u)
        }
    }

    public func color(at t: Double) -> Color {
        let c = rgb(at: t)
        return .rgb(c.r, c.g, c.b)
    }

    /// The next colormap in `allCases` order (wraps), for the `m` key.
    public var next: Colormap {
        let all = Colormap.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }

    /// Viridis sampled from matplotlib's 256-entry table at entries 0, 8, …, 248 and 255
    /// (8-bit rounded). Linear interpolation between them stays within 1.7/255 of every
    /// table entry and hits both endpoints (#440154, #fde725) exactly.
    static let viridisControlPoints: [UInt32] = [
        0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
        0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e,
        0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b,
        0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b,
        0xfde725,
    ]

    /// ColorBrewer RdBu ends with pure white in the middle, so zero reads as "nothing".
    static let divergingControlPoints: [UInt32] = [0x2166ac, 0x92c5de, 0xffffff, 0xf4a582, 0xb2182b]

    /// Control point `k` sits at entry 8k of a 256-entry table (the last at 255) for
    /// viridis, and at evenly spaced positions for the others.
    private static func position(of k: Int, in points: [UInt32]) -> Double {
        if points.count == viridisControlPoints.count {
            return min(255, Double(8 * k)) / 255
        }
        return Double(k) / Double(points.count - 1)
    }

    private static func interpolate(_ points: [UInt32], _ t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        var k = 0
        while k + 2 < points.count && position(of: k + 1, in: points) < t { k += 1 }
        let t0 = position(of: k, in: points), t1 = position(of: k + 1, in: points)
        let f = t1 > t0 ? (t - t0) / (t1 - t0) : 0
        func channel(_ shift: UInt32) -> UInt8 {
            let a = Double((points[k] >> shift) & 0xff), b = Double((points[k + 1] >> shift) & 0xff)
            return UInt8(min(255, max(0, (a + (b - a) * f).rounded())))
        }
        return (channel(16), channel(8), channel(0))
    }
}
