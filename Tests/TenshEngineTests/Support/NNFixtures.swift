import Foundation
import XCTest
@testable import TenshEngine

/// Fields of Fixtures/nn.json beyond FixtureCase (see scripts/fixtures/nn.py):
/// `constants` are non-differentiable inputs (class weights, running stats before the call),
/// `extra` are further expected results (running stats after the call).
struct NNCaseExtras: Decodable {
    let name: String
    let constants: [String: FixtureTensor]?
    let extra: [String: FixtureTensor]?
}

private struct NNExtrasFile: Decodable { let cases: [NNCaseExtras] }

/// One nn.json case with its tensors decoded.
struct NNCase {
    let fixture: FixtureCase
    let constants: [String: Tensor]
    let extra: [String: Tensor]

    var name: String { fixture.name }
    func arg(_ key: String) -> FixtureArg? { fixture.args[key] ?? nil }
    func ints(_ key: String) -> [Int]? { arg(key)?.ints }
    func bool(_ key: String) -> Bool? { arg(key)?.bool }
    /// Floats are written as strings (so that 1.5 is not mistaken for an int list).
    func double(_ key: String) -> Double? { arg(key)?.string.flatMap(Double.init) ?? arg(key)?.double }
    var reduction: LossReduction { arg("reduction")?.string.flatMap(LossReduction.init(rawValue:)) ?? .mean }

    static func load(op: String) throws -> [NNCase] {
        let cases = try Fixtures.load("nn").filter { $0.op == op }
        guard let url = Bundle.module.url(forResource: "nn", withExtension: "json", subdirectory: "Fixtures") else {
            throw EngineError(.io, op: "fixtures", "nn.json is missing")
        }
        let extras = try JSONDecoder().decode(NNExtrasFile.self, from: Data(contentsOf: url)).cases
        let byName = Dictionary(extras.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return try cases.map { c in
            let e = byName[c.name]
            return NNCase(fixture: c, constants: try (e?.constants ?? [:]).mapValues { try $0.tensor() },
                          extra: try (e?.extra ?? [:]).mapValues { try $0.tensor() })
        }
    }

    /// Runs `f` on the case's inputs (float ones as leaves requiring grad), compares the
    /// output with PyTorch's, then the gradients of every float input for the recorded
    /// upstream gradient. Returns the number of tensors compared.
    @discardableResult
    func check(file: StaticString = #filePath, line: UInt = #line, _ f: ([String: Tensor]) throws -> Tensor) throws -> Int {
        var inputs: [String: Tensor] = [:]
        for name in fixture.inputOrder {
            guard let t = try fixture.inputs[name]?.tensor() else { continue }
            inputs[name] = t.dtype.isFloatingPoint ? try t.setRequiresGrad() : t
        }
        let out = try f(inputs)
        assertClose(out, try fixture.output.tensor(), "\(name) output", file: file, line: line)
        guard let gOut = fixture.gradOutput, let expected = fixture.grads else { return 1 }
        let names = fixture.inputOrder.filter { expected[$0] != nil }
        let leaves = names.compactMap { inputs[$0] }
        let grads = try grad([out], leaves, gradOutputs: [gOut.tensor()], allowUnused: true)
        for (name, g) in zip(names, grads) {
            guard let want = try expected[name]?.tensor() else { continue }
            assertClose(try g ?? zerosLike(want), want, "\(self.name) grad \(name)", file: file, line: line)
        }
        return 1 + names.count
    }
}

/// Asserts `body` throws an EngineError whose message contains `text`.
func assertEngineErrorContains<T>(_ body: @autoclosure () throws -> T, contains text: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error containing \"\(text)\"", file: file, line: line)
    } catch let e as EngineError {
        XCTAssertTrue(e.message.contains(text), "message \"\(e.message)\" does not contain \"\(text)\"", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
