import XCTest
@testable import TenshEngine

/// Runs every case of a fixture file: builds the inputs (float ones as leaves
/// that require grad), calls `dispatch`, and compares the output and the
/// gradient of every float input with PyTorch's at the default tolerances.
/// Returns how many cases and gradients were checked.
@discardableResult
func checkFixtureCases(_ file: String, _ dispatch: (FixtureCase, FixtureInputs) throws -> Tensor,
                       sourceFile: StaticString = #filePath, line: UInt = #line) throws -> (cases: Int, gradients: Int) {
    let cases = try Fixtures.load(file)
    var gradients = 0
    for c in cases {
        let leaves = try c.inputOrder.map { name -> Tensor in
            let t = try XCTUnwrap(c.inputs[name], "\(c.name): input \(name)").tensor()
            return t.dtype.isFloatingPoint ? try t.setRequiresGrad() : t
        }
        let inputs = FixtureInputs(names: c.inputOrder, tensors: leaves)
        let out: Tensor
        do { out = try dispatch(c, inputs) } catch {
            XCTFail("\(c.name) threw \(error)", file: sourceFile, line: line); continue
        }
        let expected = try c.output.tensor()
        XCTAssertEqual(out.dtype, expected.dtype, c.name, file: sourceFile, line: line)
        assertClose(out, expected, c.name, file: sourceFile, line: line)
        guard let gOut = c.gradOutput, let grads = c.grads else { continue }
        let names = c.inputOrder.filter { grads[$0] != nil }
        let got = try grad([out], names.map { inputs[$0] }, gradOutputs: [gOut.tensor()], allowUnused: true)
        for (name, g) in zip(names, got) {
            let want = try XCTUnwrap(grads[name]).tensor()
            assertClose(try g ?? zerosLike(want), want, "\(c.name) grad \(name)", file: sourceFile, line: line)
            gradients += 1
        }
    }
    return (cases.count, gradients)
}

/// A case's input tensors by name.
struct FixtureInputs {
    let names: [String]
    let tensors: [Tensor]

    subscript(_ name: String) -> Tensor {
        tensors[names.firstIndex(of: name) ?? 0]
    }

    func has(_ name: String) -> Bool { names.contains(name) }
}
