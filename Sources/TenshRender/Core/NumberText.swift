import Foundation

/// Short, deterministic number labels for colour bars and axes (`%.4g` style:
/// `0.25`, `-1.5`, `1.234e+05`), with `nan`/`inf` spelled like torch.
public enum NumberText {
    public static func short(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }  // also folds -0
        return String(format: "%.4g", value)
    }
}
