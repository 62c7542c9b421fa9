import Foundation
import XCTest
@testable import TenshEngine

/// PyTorch fixtures: JSON files under Fixtures/ written by scripts/fixtures/*.py.
/// Each file is `{"cases": [Case]}`; tensors are `{"shape": [...], "dtype": "f32", "data": [...]}`.
struct FixtureTensor: Decodable {
    let shape: [Int]
    let dtype: String
    /// Row-major values; NaN/Inf are written as strings "nan", "inf", "-inf".
    let data: [FixtureNumber]

    func tensor() throws -> Tensor {
        try Tensor(data.map(\.value), shape: shape, dtype: DType(name: dtype) ?? .float32)
    }
}

struct FixtureNumber: Decodable {
    let value: Double
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { value = d; return }
        if let b = try? c.decode(Bool.self) { value = b ? 1 : 0; return }
        switch try c.decode(String.self) {
        case "nan": value = .nan
        case "inf": value = .infinity
        case "-inf": value = -.infinity
        case let s: throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad number \(s)")
        }
    }
}

/// Free-form op arguments (ints, floats, strings, bools, lists of ints).
enum FixtureArg: Decodable {
    case int(Int), double(Double), string(String), bool(Bool), ints([Int]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let i = try? c.decode(Int.self) { self = .int(i) } else if let d = try? c.decode(Double.self) { self = .double(d) } else if let s = try? c.decode(String.self) { self = .string(s) } else { self = .ints(try c.decode([Int].self)) }
    }

    var int: Int? { if case .int(let i) = self { return i }; return nil }
    var double: Double? {
        switch self { case .double(let d): return d; case .int(let i): return Double(i); default: return nil }
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// An int or a list of ints as a list.
    var ints: [Int]? {
        switch self { case .int(let i): return [i]; case .ints(let l): return l; default: return nil }
    }
}

struct FixtureCase: Decodable {
    let name: String
    let op: String
    let args: [String: FixtureArg]
    /// Inputs by name, in the order `inputOrder` gives.
    let inputs: [String: FixtureTensor]
    let inputOrder: [String]
    let output: FixtureTensor
    /// Upstream gradient used for the backward pass (absent when not differentiable).
    let gradOutput: FixtureTensor?
    /// Gradients of every float input, by input name.
    let grads: [String: FixtureTensor]?

    enum CodingKeys: String, CodingKey {
        case name, op, args, inputs, output, grads
        case inputOrder = "input_order", gradOutput = "grad_output"
    }
}

struct FixtureFile: Decodable { let cases: [FixtureCase] }

enum Fixtures {
    static func load(_ name: String) throws -> [FixtureCase] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw EngineError(.io, op: "fixtures", "fixture file \(name).json is missing")
        }
        return try JSONDecoder().decode(FixtureFile.self, from: Data(contentsOf: url)).cases
    }
}

/// Asserts `actual` matches `expected` elementwise within `rtol·|expected| + atol`
/// (defaults: float32 1e-5 relative, float64 1e-10), reporting the worst element.
func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Double? = nil, atol: Double? = nil,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape mismatch \(message())", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let isF32 = actual.dtype == .float32 || expected.dtype == .float32
    let rt = rtol ?? (isF32 ? 1e-5 : 1e-10), at = atol ?? (isF32 ? 1e-5 : 1e-10)
    let a = actual.toDoubles(), e = expected.toDoubles()
    var worst = 0, worstExcess = -Double.infinity
    for i in 0..<a.count {
        if a[i].isNaN && e[i].isNaN { continue }
        if a[i] == e[i] { continue }
        let excess = abs(a[i] - e[i]) - (at + rt * abs(e[i]))
        if excess > worstExcess || excess.isNaN { worstExcess = excess.isNaN ? .infinity : excess; worst = i }
    }
    XCTAssertFalse(worstExcess > 0, "element \(worst): \(a[worst]) vs expected \(e[worst]) \(message())",
                   file: file, line: line)
}

/// Asserts a gradcheck passes, printing the worst element when it does not.
func assertGradcheck(_ f: @escaping ([Tensor]) throws -> Tensor, _ inputs: [Tensor], second: Bool = false,
                     atol: Double = 1e-5, rtol: Double = 1e-3,
                     _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    do {
        let r = second ? try gradgradcheck(f, inputs, atol: atol, rtol: rtol) : try gradcheck(f, inputs, atol: atol, rtol: rtol)
        XCTAssertTrue(r.passed, "\(r) \(message())", file: file, line: line)
    } catch {
        XCTFail("gradcheck threw \(error) \(message())", file: file, line: line)
    }
}

/// Deterministic float64 test tensors with values in [-1, 1).
func testTensor(_ shape: [Int], seed: UInt64, dtype: DType = .float64) throws -> Tensor {
    var state = seed &* 0x9E3779B97F4A7C15 | 1
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ -> Double in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    return try Tensor(values, shape: shape, dtype: dtype)
}
