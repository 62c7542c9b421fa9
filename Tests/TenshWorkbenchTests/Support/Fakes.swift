import Foundation
import TenshEngine
import TenshLanguage
@testable import TenshWorkbench

/// A tiny evaluator standing in for the Session: a table of answers, a log of
/// what was evaluated, `show:NAME` / `graph:NAME` lines that call the display.
final class FakeEvaluator: LineEvaluator {
    var answers: [String: Evaluation] = [:]
    var tensors: [String: Tensor] = [:]
    var evaluated: [String] = []
    var display: DisplaySink?

    func evaluate(_ source: String) -> Evaluation {
        evaluated.append(source)
        do {
            if source.hasPrefix("show:"), let t = tensors[String(source.dropFirst(5))] {
                try display?.show(t, options: ShowOptions(title: String(source.dropFirst(5))))
                return Evaluation()
            }
            if source.hasPrefix("graph:"), let t = tensors[String(source.dropFirst(6))] {
                try display?.showGraph(of: t, title: String(source.dropFirst(6)))
                return Evaluation()
            }
        } catch {
            return Evaluation(error: "\(error)")
        }
        return answers[source] ?? Evaluation(error: "<stdin>:1:1: error: unknown name '\(source)'")
    }

    func prepare(_ source: String) -> (() -> Evaluation)? {
        source.filter { $0 == "(" }.count > source.filter { $0 == ")" }.count ? nil : { self.evaluate(source) }
    }
}

/// Deterministic tensors for the tests.
enum Tensors {
    /// `[shape]` with values 0, 1, 2, ... (float32).
    static func ramp(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor((0..<n).map(Double.init), shape: shape, dtype: dtype)
    }

    /// A smooth pattern per channel so heatmaps have structure.
    static func waves(_ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        let w = shape.last ?? 1, h = shape.count >= 2 ? shape[shape.count - 2] : 1
        let values = (0..<n).map { i -> Double in
            let x = Double(i % w) / Double(w), y = Double((i / w) % h) / Double(h), c = Double(i / (w * h))
            return sin(6 * x + c) * cos(4 * y - c / 2)
        }
        return try Tensor(values, shape: shape)
    }

    /// y = sum(relu(x * w + b)) with w, b parameters; returns (y, x, w, b).
    static func smallGraph() throws -> (Tensor, Tensor, Tensor, Tensor) {
        let x = try waves([1, 2, 4, 4])
        let w = try ramp([1, 2, 4, 4]).setRequiresGrad()
        let b = try Tensor(scalar: 0.5).setRequiresGrad()
        let y = try sum(relu(try (try x * w) + b))
        return (y, x, w, b)
    }
}
