import XCTest
@testable import TenshEngine

/// Runs every case of Fixtures/ops.json (scripts/fixtures/ops.py): the output
/// and the gradient of each float input must match PyTorch.
final class OpsFixtureTests: XCTestCase {
    func testAllOpsMatchPyTorch() throws {
        let cases = try Fixtures.load("ops")
        XCTAssertGreaterThanOrEqual(cases.count, 80)
        var checkedGradients = 0
        for c in cases {
            let leaves = try c.inputOrder.map { name -> Tensor in
                let t = try XCTUnwrap(c.inputs[name], "\(c.name): input \(name)").tensor()
                return t.dtype.isFloatingPoint ? try t.setRequiresGrad() : t
            }
            let out: Tensor
            do { out = try OpsDispatch.run(c, leaves) } catch {
                XCTFail("\(c.name) threw \(error)"); continue
            }
            let expected = try c.output.tensor()
            XCTAssertEqual(out.dtype, expected.dtype, c.name)
            assertClose(out, expected, c.name)
            guard let gOut = c.gradOutput, let grads = c.grads else { continue }
            let names = c.inputOrder.filter { grads[$0] != nil }
            let wrt = names.compactMap { n in c.inputOrder.firstIndex(of: n).map { leaves[$0] } }
            let got = try grad([out], wrt, gradOutputs: [gOut.tensor()], allowUnused: true)
            for (name, g) in zip(names, got) {
                let want = try XCTUnwrap(grads[name]).tensor()
                assertClose(try g ?? zerosLike(want), want, "\(c.name) grad \(name)")
                checkedGradients += 1
            }
        }
        XCTAssertGreaterThan(checkedGradients, 100)
    }
}

/// Maps a fixture's `op` and `args` to the Swift API.
enum OpsDispatch {
    static func run(_ c: FixtureCase, _ xs: [Tensor]) throws -> Tensor {
        let a = c.args
        func int(_ k: String) throws -> Int { try XCTUnwrap(a[k]?.int, "\(c.name): \(k)") }
        func ints(_ k: String) throws -> [Int] { try XCTUnwrap(a[k]?.ints, "\(c.name): \(k)") }
        func bool(_ k: String) -> Bool { a[k]?.bool ?? false }
        func double(_ k: String) -> Double? { a[k]?.double }
        let x = xs[0]
        switch c.op {
        case "view": return try x.view(ints("shape"))
        case "reshape": return try x.reshaped(ints("shape"))
        case "permute": return try x.permuted(ints("dims"))
        case "transpose": return try x.transposed(int("dim0"), int("dim1"))
        case "T": return try x.T
        case "flatten": return try x.flattened(startDim: int("start_dim"), endDim: int("end_dim"))
        case "squeeze": return try x.squeezed(a["dim"]?.int)
        case "unsqueeze": return try x.unsqueezed(int("dim"))
        case "cat": return try cat(xs, dim: int("dim"))
        case "stack": return try stack(xs, dim: int("dim"))
        case "flip": return try flip(x, dims: ints("dims"))
        case "expand": return try x.expanded(ints("shape"))
        case "narrow": return try x.narrowed(int("dim"), start: int("start"), length: int("length"))
        case "index_select": return try indexSelect(x, dim: int("dim"), index: xs[1])
        case "permute_then_view": return try x.permuted(ints("dims")).reshaped(ints("shape"))
        case "index": return try x.indexed(parseIndex(XCTUnwrap(a["index"]?.string)))
        case "sum": return try sum(x, dims: ints("dim"), keepdim: bool("keepdim"))
        case "mean": return try mean(x, dims: ints("dim"), keepdim: bool("keepdim"))
        case "max_all": return try max(x)
        case "min_all": return try min(x)
        case "max_dim_values": return try max(x, dim: int("dim"), keepdim: bool("keepdim")).values
        case "max_dim_indices": return try max(x, dim: int("dim"), keepdim: bool("keepdim")).indices
        case "min_dim_values": return try min(x, dim: int("dim"), keepdim: bool("keepdim")).values
        case "min_dim_indices": return try min(x, dim: int("dim"), keepdim: bool("keepdim")).indices
        case "argmax": return try argmax(x, dim: a["dim"]?.int, keepdim: bool("keepdim"))
        case "argmin": return try argmin(x, dim: a["dim"]?.int, keepdim: bool("keepdim"))
        case "amax": return try amax(x, dims: ints("dim"), keepdim: bool("keepdim"))
        case "amin": return try amin(x, dims: ints("dim"), keepdim: bool("keepdim"))
        case "var": return try variance(x, dims: ints("dim"), correction: int("correction"), keepdim: bool("keepdim"))
        case "std": return try std(x, dims: ints("dim"), correction: int("correction"), keepdim: bool("keepdim"))
        case "norm":
            let p = a["p"]?.string == "inf" ? Double.infinity : try XCTUnwrap(double("p"))
            return try norm(x, p: p, dims: ints("dim"), keepdim: bool("keepdim"))
        case "softmax": return try softmax(x, dim: int("dim"))
        case "log_softmax": return try logSoftmax(x, dim: int("dim"))
        case "logsumexp": return try logsumexp(x, dims: ints("dim"), keepdim: bool("keepdim"))
        default: return try elementwise(c, xs)
        }
    }

    private static func elementwise(_ c: FixtureCase, _ xs: [Tensor]) throws -> Tensor {
        let x = xs[0]
        switch c.op {
        case "add": return try add(xs[0], xs[1])
        case "sub": return try sub(xs[0], xs[1])
        case "mul": return try mul(xs[0], xs[1])
        case "div": return try div(xs[0], xs[1])
        case "pow": return try pow(xs[0], xs[1])
        case "maximum": return try maximum(xs[0], xs[1])
        case "minimum": return try minimum(xs[0], xs[1])
        case "eq": return try eq(xs[0], xs[1])
        case "lt": return try lt(xs[0], xs[1])
        case "ge": return try ge(xs[0], xs[1])
        case "neg": return try neg(x)
        case "exp": return try exp(x)
        case "log": return try log(x)
        case "sqrt": return try sqrt(x)
        case "sin": return try sin(x)
        case "cos": return try cos(x)
        case "tanh": return try tanh(x)
        case "sigmoid": return try sigmoid(x)
        case "abs": return try abs(x)
        case "relu": return try relu(x)
        case "leaky_relu": return try leakyRelu(x, negativeSlope: XCTUnwrap(c.args["negative_slope"]?.double))
        case "gelu": return try gelu(x)
        case "erf": return try erf(x)
        case "clamp", "clamp_min", "clamp_max": return try clamp(x, min: c.args["min"]?.double, max: c.args["max"]?.double)
        case "clamp_":
            let y = try x * 1
            try clampInPlace(y, min: c.args["min"]?.double, max: c.args["max"]?.double)
            return y
        case "where": return try `where`(xs[0], xs[1], xs[2])
        default: throw EngineError.invalid("fixture", "op", "no dispatch for op \(c.op) in \(c.name)")
        }
    }

    /// "1, :, ::2, ..., None" → [TensorIndex], mirroring parse_index in ops.py.
    static func parseIndex(_ spec: String) throws -> [TensorIndex] {
        try spec.split(separator: ",").map { raw in
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part == "..." { return .ellipsis }
            if part == "None" { return .newAxis }
            if part.contains(":") {
                let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                return .slice(start: pieces[0], end: pieces.count > 1 ? pieces[1] : nil,
                              step: pieces.count > 2 ? pieces[2] ?? 1 : 1)
            }
            return .at(try XCTUnwrap(Int(part), "bad index \(part)"))
        }
    }
}
