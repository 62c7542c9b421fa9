import TenshEngine
import TenshText

/// interpolate (F.interpolate) and upsample, its other name with scale_factor first.
enum ResizeBuiltins {
    static let category = PoolingBuiltins.category
    private static let modes = InterpolationMode.allCases.map(\.rawValue)

    static let all: [Builtin] = [
        Builtin("interpolate", category, [.required("x", .tensor), .optional("size", .intPair, "none"),
                                          .optional("scale_factor", .any, "none"), .optional("mode", .string, "\"nearest\""),
                                          .optional("align_corners", .bool, "none")],
                summary: "Resizes H and W of [N, C, H, W] (or one image [C, H, W]) to size or by scale_factor (a number or [fh, fw]); "
                    + "mode \"nearest\", \"bilinear\", \"bicubic\" or \"area\"; align_corners for bilinear and bicubic; as F.interpolate.",
                example: "interpolate(img, size=[224, 224], mode=\"bilinear\")") { a in
            .tensor(try resized(a, interpolate))
        },
        Builtin("upsample", category, [.required("x", .tensor), .optional("scale_factor", .any, "none"),
                                       .optional("mode", .string, "\"nearest\""), .optional("size", .intPair, "none"),
                                       .optional("align_corners", .bool, "none")],
                summary: "interpolate with scale_factor first: resizes H and W by scale_factor (a number or [fh, fw]) or to size.",
                example: "upsample(x, 2, mode=\"bilinear\")") { a in
            .tensor(try resized(a) { x, size, factor, mode, align in
                try upsample(x, scaleFactor: factor, size: size, mode: mode, alignCorners: align)
            })
        },
    ]

    private static func resized(_ a: Arguments,
                                _ f: (Tensor, [Int]?, [Double]?, InterpolationMode, Bool?) throws -> Tensor) throws -> Tensor {
        let size = a.isGiven("size") ? try a.ints("size") : nil
        let align = a.isGiven("align_corners") ? try a.bool("align_corners") : nil
        return try f(try a.tensor("x"), size, try scaleFactor(a), try mode(a), align)
    }

    /// A number or a list of numbers; nil when not given.
    private static func scaleFactor(_ a: Arguments) throws -> [Double]? {
        switch a.value("scale_factor") {
        case .none: return nil
        case .int, .float: return [try a.double("scale_factor")]
        case .tensor(let t) where t.rank <= 1 && t.dtype != .bool: return t.toDoubles()
        case .list, .tuple:
            return try (a.value("scale_factor").sequenceItems ?? []).map { item in
                guard let d = item.number else {
                    throw a.error("scale_factor", "argument 'scale_factor' must contain numbers, got \(item.typeName)")
                }
                return d
            }
        case let v: throw a.error("scale_factor", "argument 'scale_factor' must be a number or a list of numbers, got \(v.typeName)")
        }
    }

    private static func mode(_ a: Arguments) throws -> InterpolationMode {
        let s = try a.string("mode")
        guard let m = InterpolationMode(rawValue: s) else {
            let expected = modes.map { "\"\($0)\"" }.joined(separator: ", ")
            throw a.error("mode", "unknown mode \"\(Escaping.printable(s))\" (expected \(expected))\(Suggestions.hint(for: s, in: modes))")
        }
        return m
    }
}
