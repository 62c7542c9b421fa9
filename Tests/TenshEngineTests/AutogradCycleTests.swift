import XCTest
@testable import TenshEngine

/// An in-place change whose new values were computed from the tensor itself
/// (`z.add_(z * 2)`) gives the tensor a history that leads back to the tensor.
/// Gradient rules read their inputs from the node (which the in-place change
/// points at a stand-in), so no rule holds the changed tensor and everything is
/// freed with its last reference: a weak reference to the tensor goes nil.
final class AutogradCycleTests: XCTestCase {
    /// Every op whose gradient rule reads an input, applied to the changed tensor.
    private let ops: [(String, (Tensor) throws -> Tensor)] = [
        ("mul", { z in try z * 2 }),
        ("mul self", { z in try z * z }),
        ("add", { z in try add(z, z) }),
        ("sub", { z in try sub(z, .wrapped(1, dtype: .float64)) }),
        ("div", { z in try div(z, add(abs(z), .wrapped(1, dtype: .float64))) }),
        ("pow", { z in try pow(z, .wrapped(2, dtype: .float64)) }),
        ("remainder", { z in try remainder(z, .wrapped(1.5, dtype: .float64)) }),
        ("maximum", { z in try maximum(z, zerosLike(z)) }),
        ("minimum", { z in try minimum(z, zerosLike(z)) }),
        ("log", { z in try log(add(abs(z), .wrapped(1, dtype: .float64))) }),
        ("sin", { z in try sin(z) }), ("cos", { z in try cos(z) }), ("abs", { z in try abs(z) }),
        ("leaky_relu", { z in try leakyRelu(z) }), ("gelu", { z in try gelu(z) }), ("erf", { z in try erf(z) }),
        ("clamp", { z in try clamp(z, min: -0.25, max: 0.25) }),
        ("where", { z in try `where`(gt(z.detached(), .wrapped(0, dtype: .int64)), z, zerosLike(z)) }),
        ("matmul", { z in try matmul(z, z) }),
        ("cat", { z in try cat([z.indexed([.slice(end: 1)]), z.indexed([.slice(start: 1)])]) }),
        ("amax", { z in try amax(z, dims: [1], keepdim: true) }),
        ("var", { z in try variance(z, dims: [0], keepdim: true) }),
        ("std", { z in try std(z, dims: [0], keepdim: true) }),
        ("norm", { z in try norm(z, dims: [1], keepdim: true) }),
        ("logsumexp", { z in try logsumexp(z, dims: [1], keepdim: true) }),
        ("masked_fill", { z in try maskedFill(z, mask: gt(z.detached(), .wrapped(0, dtype: .int64)), value: sum(z)) }),
        ("batch_norm", { z in try batchNorm(z, weight: sum(z, dims: [0]), bias: sum(z, dims: [0]), training: true) }),
        ("batch_norm eval", { z in
            try batchNorm(z, runningMean: zeros([3], dtype: .float64), runningVar: ones([3], dtype: .float64),
                          weight: sum(z, dims: [0]), training: false)
        }),
        ("dropout", { z in try dropout(z, p: 0.5, seed: 7) }),
    ]

    func testAddInPlaceOfItselfIsFreed() throws {
        for (name, op) in ops {
            try assertFreed(name, backward: true) { z in try addInPlace(z, op(z)) }
            try assertFreed(name, backward: false) { z in try addInPlace(z, op(z)) }
            try assertFreed(name + " mul_", backward: true) { z in try mulInPlace(z, op(z)) }
        }
    }

    /// The case as written in the language: `z.add_(z * 2)`, with the gradient torch gives.
    func testAddOfDoubleKeepsGradientAndFrees() throws {
        weak var probe: Tensor?
        let w = try Tensor([1, -2, 3], shape: [3], dtype: .float64).setRequiresGrad()
        do {
            let z = try w * 1
            probe = z
            try addInPlace(z, z * 2)
            XCTAssertEqual(z.toDoubles(), [3, -6, 9])
            try backward(sum(z * z))
        }
        XCTAssertEqual(w.grad?.toDoubles(), [18, -36, 54]) // torch: d(Σ (3w)²)/dw = 18w
        XCTAssertNil(probe, "z.add_(z * 2) left z alive (a reference cycle)")
    }

    private func assertFreed(_ name: String, backward runBackward: Bool,
                             _ change: (Tensor) throws -> Void) throws {
        weak var probe: Tensor?
        weak var probeNode: Node?
        let w = try testTensor([3, 3], seed: 11).setRequiresGrad()
        do {
            let z = try w * 1
            probe = z
            try change(z)
            probeNode = z.gradFn
            XCTAssertNotNil(probeNode, name)
            if runBackward {
                // A rule that reads the changed tensor refuses to run, as torch's does;
                // the graph must be freed either way.
                do {
                    try backward(sum(z))
                    XCTAssertNotNil(w.grad, name)
                } catch {
                    XCTAssertTrue("\(error)".contains("modified by an inplace operation"), "\(name): \(error)")
                }
            }
        }
        XCTAssertNil(probe, "\(name): the changed tensor was not freed (backward: \(runBackward))")
        XCTAssertNil(probeNode, "\(name): its history was not freed (backward: \(runBackward))")
    }
}
