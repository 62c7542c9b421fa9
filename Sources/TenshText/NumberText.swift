import Foundation

/// Short, deterministic number labels, with `nan`/`inf` spelled as torch does.
public enum NumberText {
    /// Four significant digits (`%.4g`: `0.25`, `-1.5`, `1.234e+05`), for colour
    /// bars, axes, summaries and graph boxes. `-0` prints as `0`.
    public static func short(_ value: Double) -> String {
        format(value, digits: 4)
    }

    /// Six significant digits (`%.6g`), for the value under a cursor.
    public static func precise(_ value: Double) -> String {
        format(value, digits: 6)
    }

    private static func format(_ value: Double, digits: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        return String(format: "%.\(digits)g", value)
    }
}
