import TenshRender

/// `--color=auto|always|never` to the encoding plain output uses.
public enum ColorChoice: String, Sendable, CaseIterable {
    case auto, always, never

    /// The plain-mode encoding. `auto` colours only a terminal, honours NO_COLOR
    /// (any non-empty value) and TERM=dumb; 24-bit needs COLORTERM=truecolor/24bit,
    /// otherwise the 256-colour palette (which 16-colour terminals approximate).
    public func plainMode(isTerminal: Bool, environment: [String: String]) -> AnsiEncoder.Mode {
        switch self {
        case .never: return .none
        case .auto:
            if !isTerminal || !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb" { return .none }
        case .always: break
        }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        return colorterm == "truecolor" || colorterm == "24bit" ? .trueColor : .palette256
    }

    /// Whether the workbench may use colours at all (its terminal is always a TTY).
    public func allowsWorkbenchColor(environment: [String: String]) -> Bool {
        switch self {
        case .never: return false
        case .always: return true
        case .auto: return (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
