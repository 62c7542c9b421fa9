import TenshRender

/// Where keys go: readline's input line, or the pane's view.
public enum Focus: Equatable, Sendable {
    case prompt
    case pane
}

/// One watched expression and its latest output (or error).
public struct Watch: Equatable, Sendable {
    public var expression: String
    public var text: String
    public var isError: Bool

    public init(expression: String, text: String = "", isError: Bool = false) {
        self.expression = expression
        self.text = text
        self.isError = isError
    }
}

/// Everything the screen shows; pure data, changed only by `update` (and by
/// the displays and the line submitter in `Workbench`).
public struct WorkbenchState {
    public var width: Int
    public var height: Int
    public var focus: Focus = .prompt
    public var paneVisible = true
    public var content: PaneContent = .empty
    /// Views to return to with `q`/`Esc` (a node's feature maps return to the graph).
    public var backStack: [PaneContent] = []
    public var transcript: [TextPane.Line] = []
    public var transcriptScrollBack = 0
    public var watches: [Watch] = []
    /// The prompt and line as readline shows them, and the cursor's index in `line`.
    public var prompt = ">>> "
    public var line = ""
    public var linePoint = 0
    /// A one-off message on the status line (cleared by the next key).
    public var message: String?
    /// A progress text on the status line while a computation runs.
    public var busy: String?

    /// The transcript keeps at most this many lines.
    public static let transcriptLimit = 5000

    public init(width: Int = 80, height: Int = 24) {
        self.width = width
        self.height = height
    }

    /// Adds output to the transcript, one entry per line.
    public mutating func append(_ text: String, style: Style = .plain) {
        var body = text
        if body.hasSuffix("\n") { body.removeLast() }
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            transcript.append(TextPane.Line(String(line), style: style))
        }
        if transcript.count > Self.transcriptLimit {
            transcript.removeFirst(transcript.count - Self.transcriptLimit)
        }
        transcriptScrollBack = 0
    }

    /// Where the parts go now (nil when the terminal is too small).
    public var layout: ScreenLayout? {
        ScreenLayout.compute(width: width, height: height, paneVisible: paneVisible)
    }
}
