import Foundation
import XCTest
import TenshEngine
@testable import TenshLanguage

/// Training in tensh against PyTorch's records (scripts/fixtures/optim.py):
/// the same network and initial state_dict, the same batches, each optimizer
/// variant with its scheduler, written as a tensh script; the parameters after
/// each of 20 steps match (f64 1e-10, f32 1e-5) and the learning rates are equal.
final class OptimizerTrainingTests: XCTestCase {
    struct Fixture: Decodable {
        struct Variant: Decodable {
            struct Optimizer: Decodable { let type: String; let kwargs: [String: Kwarg]; let groups: [Group]? }
            struct Group: Decodable { let keys: [String]; let kwargs: [String: Kwarg] }
            struct Scheduler: Decodable { let type: String; let kwargs: [String: Kwarg] }
            struct Step: Decodable { let params: [String: JSONTensor]; let lrs: [Double] }
            let name: String
            let dtype: String
            let optimizer: Optimizer
            let scheduler: Scheduler
            let steps: [Step]
        }
        let data: [String: [String: JSONTensor]]
        let initial: [String: [String: JSONTensor]]
        let variants: [Variant]
    }

    enum Kwarg: Decodable {
        case number(Double), bool(Bool), numbers([Double])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let d = try? c.decode(Double.self) { self = .number(d) } else {
                self = .numbers(try c.decode([Double].self))
            }
        }
        /// tensh source for the value.
        var source: String {
            switch self {
            case .bool(let b): return b ? "true" : "false"
            case .number(let d): return d == d.rounded() && Swift.abs(d) < 1e9 ? String(Int(d)) : NumberRepr.format(d)
            case .numbers(let l): return "(" + l.map { Kwarg.number($0).source }.joined(separator: ", ") + ")"
            }
        }
    }

    static let keys = ["0.weight", "0.bias", "2.weight", "2.bias"]

    func testEveryOptimizerAndSchedulerTrainsAsPyTorch() throws {
        let url = ScriptTests.projectRoot.appendingPathComponent("Tests/TenshEngineTests/Fixtures/optim.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.variants.count, 22)
        for v in fixture.variants { try train(v, fixture) }
    }

    private func kwargs(_ kw: [String: Kwarg]) -> String {
        kw.keys.sorted().map { "\($0)=\(kw[$0]?.source ?? "none")" }.joined(separator: ", ")
    }

    private func source(_ v: Fixture.Variant) -> String {
        let params: String
        if let groups = v.optimizer.groups {
            params = "[" + groups.map { g in
                let tensors = g.keys.map { key -> String in
                    let parts = key.split(separator: ".")
                    return "net[\(parts[0])].\(parts[1])"
                }
                let extra = g.kwargs.keys.sorted().map { ", \"\($0)\": \(g.kwargs[$0]?.source ?? "none")" }.joined()
                return "{\"params\": [\(tensors.joined(separator: ", "))]\(extra)}"
            }.joined(separator: ", ") + "]"
        } else {
            params = "net"
        }
        let optimizerArguments = [params, kwargs(v.optimizer.kwargs)].filter { !$0.isEmpty }.joined(separator: ", ")
        let schedulerArguments = ["opt", kwargs(v.scheduler.kwargs)].filter { !$0.isEmpty }.joined(separator: ", ")
        return """
        net = Sequential(Linear(5, 4), Tanh(), Linear(4, 3))\(v.dtype == "f64" ? ".double()" : "")
        load_state_dict(net, initial)
        opt = \(v.optimizer.type)(\(optimizerArguments))
        sched = \(v.scheduler.type)(\(schedulerArguments))
        history = []
        rates = []
        for i in range(20) {
            xb, yb = x[i * 6:(i + 1) * 6], y[i * 6:(i + 1) * 6]
            opt.zero_grad()
            backward(cross_entropy(net(xb), yb))
            opt.step()
            sched.step()
            history.append([p.detach().clone() for p in net.parameters()])
            rates.append(sched.get_last_lr())
        }
        """
    }

    private func train(_ v: Fixture.Variant, _ fixture: Fixture) throws {
        let out = CapturedOutput()
        let session = Session(output: out)
        let data = try XCTUnwrap(fixture.data[v.dtype]), initial = try XCTUnwrap(fixture.initial[v.dtype])
        session.interpreter.environment.assign("x", .tensor(try XCTUnwrap(data["x"]).tensor()))
        session.interpreter.environment.assign("y", .tensor(try XCTUnwrap(data["y"]).tensor()))
        let entries = try Self.keys.map { k in (Value.string(k), Value.tensor(try XCTUnwrap(initial[k]).tensor())) }
        session.interpreter.environment.assign("initial", .dict(try DictBox(entries)))
        let outcome = session.run(source: source(v), file: v.name)
        XCTAssertEqual(outcome.status, .ok, "\(v.name) \(v.dtype): \(outcome.rendered)")
        guard case .list(let history)? = session.value(of: "history"), case .list(let rates)? = session.value(of: "rates") else {
            return XCTFail("\(v.name): no history")
        }
        XCTAssertEqual(history.items.count, v.steps.count)
        for (n, (step, snapshot)) in zip(v.steps, history.items).enumerated() {
            let tensors = snapshot.sequenceItems ?? []
            XCTAssertEqual(tensors.count, Self.keys.count)
            for (key, value) in zip(Self.keys, tensors) {
                guard case .tensor(let t) = value else { return XCTFail("\(v.name): not a tensor") }
                assertTensorClose(t, try XCTUnwrap(step.params[key]).tensor(), "\(v.name) \(v.dtype) step \(n + 1) \(key)")
            }
            let got = rates.items[n].sequenceItems?.compactMap(\.number) ?? []
            XCTAssertEqual(got, step.lrs, "\(v.name) \(v.dtype) step \(n + 1) lrs")
        }
    }
}
