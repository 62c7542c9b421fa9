/// Where the workbench's parts go for a terminal size: the visualisation pane
/// (on top, or at the right on terminals at least 160 columns wide), the
/// transcript, the one-line input and the status line at the bottom.
public struct ScreenLayout: Hashable, Sendable {
    public enum PanePosition: String, Hashable, Sendable {
        case top, right
    }

    /// Smaller terminals fall back to the plain REPL (SPEC §3).
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// From this width on, the pane goes to the right of the transcript.
    public static let sideBySideWidth = 160

    public var pane: Rect?
    public var panePosition: PanePosition?
    public var transcript: Rect
    public var input: Rect
    public var status: Rect

    /// nil when the terminal is smaller than 80 × 24. With `paneVisible` false the
    /// transcript takes the pane's space. The pane gets 60% of the rows on top, or
    /// 55% of the columns at the right (the transcript keeps at least 80 columns).
    public static func compute(width: Int, height: Int, paneVisible: Bool = true) -> ScreenLayout? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (main, status) = screen.splitBottom(1)
        guard paneVisible else {
            let (transcript, input) = main.splitBottom(1)
            return ScreenLayout(pane: nil, panePosition: nil, transcript: transcript, input: input, status: status)
        }
        if width >= sideBySideWidth {
            let leftWidth = max(minimumWidth, width - width * 55 / 100)
            let (left, pane) = main.splitLeft(leftWidth)
            let (transcript, input) = left.splitBottom(1)
            return ScreenLayout(pane: pane, panePosition: .right, transcript: transcript, input: input, status: status)
        }
        let (pane, rest) = main.splitTop(main.height * 60 / 100)
        let (transcript, input) = rest.splitBottom(1)
        return ScreenLayout(pane: pane, panePosition: .top, transcript: transcript, input: input, status: status)
    }
}
