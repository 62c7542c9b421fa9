// A test-only stand-in for the Session: a handful of fixed commands, so the
// ncurses backend is driven in tmux independently of the language.
import Foundation
import TenshEngine
import TenshLanguage
import TenshTerminal
import TenshWorkbench

final class DemoEvaluator: LineEvaluator {
    var display: DisplaySink?
    var counter = 0.0

    func evaluate(_ source: String) -> Evaluation {
        let line = source.trimmingCharacters(in: .whitespaces)
        do {
            switch line {
            case ":quit": return Evaluation(exitCode: 0)
            case "show": try display?.show(try waves([2, 4, 8, 8]), options: ShowOptions(title: "x"))
            case "graph":
                let w = try waves([1, 2, 4, 4]).setRequiresGrad()
                let y = try sum(relu(try w * 2.0))
                try backward(y)
                try display?.showGraph(of: y, title: "y")
            case "plot":
                let losses = (0..<30).map { 2 * Foundation.exp(-Double($0) / 8) }
                try display?.plot([PlotSeries(label: "loss", values: losses)], title: "losses")
            case "train":
                // A slow loop that plots each epoch: the pane must update while it runs.
                var losses: [Double] = []
                for epoch in 0..<40 {
                    try Cancellation.check("train")
                    losses.append(1 / Double(epoch + 1))
                    try display?.plot([PlotSeries(label: "loss", values: losses)], title: "training")
                    usleep(100_000)
                }
            case "bad": return Evaluation(error: "<stdin>:1:1: error: name 'bad' is not defined")
            case "spin":
                // A long computation that Ctrl-C cancels.
                while true { try Cancellation.check("spin"); usleep(1000) }
            case "count": counter += 1; return Evaluation(output: "counter = \(Int(counter))\n")
            case "c": return Evaluation(output: "\(Int(counter))\n")
            default: return Evaluation(output: "echo: \(line)\n")
            }
        } catch {
            return Evaluation(error: "error: \(error)")
        }
        return Evaluation()
    }

    func prepare(_ source: String) -> (() -> Evaluation)? {
        source.filter { $0 == "(" }.count > source.filter { $0 == ")" }.count ? nil : { self.evaluate(source) }
    }

    func completions(for word: String, line: String) -> [String] {
        ["show", "graph", "plot", "spin", "count"].filter { $0.hasPrefix(word) }
    }

    func waves(_ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *), w = shape[shape.count - 1], h = shape[shape.count - 2]
        let values = (0..<n).map { i -> Double in
            let x = Double(i % w) / Double(w), y = Double((i / w) % h) / Double(h), c = Double(i / (w * h))
            return sin(6 * x + c) * cos(4 * y - c / 2)
        }
        return try Tensor(values, shape: shape)
    }
}

let evaluator = DemoEvaluator()
let workbench = Workbench(evaluator: evaluator)
evaluator.display = PaneDisplay(workbench: workbench)
let history = ProcessInfo.processInfo.environment["TENSH_DEMO_HISTORY"]
if let pidFile = ProcessInfo.processInfo.environment["TENSH_DEMO_PIDFILE"] {
    try? String(getpid()).write(toFile: pidFile, atomically: true, encoding: .utf8)
}
let allowColor = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
switch WorkbenchApp.run(workbench: workbench, options: .init(allowColor: allowColor, historyPath: history)) {
case let .exited(code):
    print("workbench exited with \(code)")
    exit(code)
case let .unavailable(notice):
    print(notice)
    exit(3)
}
