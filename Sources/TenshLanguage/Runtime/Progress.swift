/// `progress(iterable, label=)`: a loop's items plus a label; the loop reports
/// each finished step so a front end can draw a bar with rate and ETA.
public final class ProgressIterable {
    public let items: [Value]
    public let label: String

    init(items: [Value], label: String) {
        self.items = items
        self.label = label
    }
}

/// One state of a running loop, for drawing.
public struct ProgressState: Equatable, Sendable {
    public let label: String
    public let done: Int
    public let total: Int
    public let elapsedSeconds: Double

    /// Steps per second so far (0 before the first step).
    public var rate: Double { elapsedSeconds > 0 ? Double(done) / elapsedSeconds : 0 }
    /// Seconds left at the current rate, when known.
    public var remainingSeconds: Double? { rate > 0 ? Double(total - done) / rate : nil }

    /// `label [#######.............] 12/100 34.5 it/s ETA 3s`, `width` cells for the bar.
    public func line(width: Int = 20) -> String {
        let filled = total > 0 ? min(width, done * width / total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = remainingSeconds.map { " ETA \(Int($0.rounded()))s" } ?? ""
        let prefix = label.isEmpty ? "" : label + " "
        return "\(prefix)[\(bar)] \(done)/\(total) \(format3(rate).dropLast(2)) it/s\(eta)"
    }
}

/// Draws progress (the plain REPL: a status line on stderr; tests: a list).
public protocol ProgressSink: AnyObject {
    func update(_ state: ProgressState)
    func finish(_ state: ProgressState)
}

/// Counts steps of one loop and forwards them to the sink.
struct ProgressTracker {
    let progress: ProgressIterable
    let sink: ProgressSink
    let start = ContinuousClock.now
    var done = 0

    init(_ progress: ProgressIterable, _ sink: ProgressSink) {
        self.progress = progress
        self.sink = sink
    }

    var state: ProgressState {
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return ProgressState(label: progress.label, done: done, total: progress.items.count, elapsedSeconds: seconds)
    }

    mutating func step() {
        done += 1
        sink.update(state)
    }

    func finish() { sink.finish(state) }
}
