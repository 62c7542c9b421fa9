import Foundation
import XCTest
import TenshEngine
@testable import TenshLanguage

/// Fixtures/modules.json, written by scripts/fixtures/modules.py.
struct ModuleFixtures: Decodable {
    struct Repr: Decodable { let tensh: String; let torch: String; let repr: String }
    struct BatchNorm: Decodable {
        let name: String
        let tensh: String
        let dtype: String
        let initial: [String: JSONTensor]
        let inputs: [JSONTensor]
        let evalInput: JSONTensor
        let state: [String: JSONTensor]
        let evalOutput: JSONTensor
        enum CodingKeys: String, CodingKey {
            case name, tensh, dtype, initial, inputs, state
            case evalInput = "eval_input", evalOutput = "eval_output"
        }
    }
    struct Mnist: Decodable { let input: JSONTensor; let output: JSONTensor; let keys: [String] }
    let reprs: [Repr]
    let batchNorm: [BatchNorm]
    let mnist: Mnist
    enum CodingKeys: String, CodingKey {
        case reprs, mnist
        case batchNorm = "batch_norm"
    }

    static func load() throws -> ModuleFixtures {
        try JSONDecoder().decode(ModuleFixtures.self, from: Data(contentsOf: url("modules.json")))
    }

    static func url(_ file: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent(file),
              FileManager.default.fileExists(atPath: url.path) else {
            throw ReprFixtureError("Fixtures/\(file) is missing: run scripts/fixtures/modules.py")
        }
        return url
    }
}

/// A tensor in the fixture scripts' JSON form (numbers, or "nan"/"inf"/"-inf").
struct JSONTensor: Decodable {
    let shape: [Int]
    let dtype: String
    let data: [JSONNumber]

    func tensor() throws -> Tensor {
        try Tensor(data.map(\.value), shape: shape, dtype: DType(name: dtype) ?? .float32)
    }
}

struct JSONNumber: Decodable {
    let value: Double
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { value = d; return }
        if let b = try? c.decode(Bool.self) { value = b ? 1 : 0; return }
        switch try c.decode(String.self) {
        case "nan": value = .nan
        case "inf": value = .infinity
        default: value = -.infinity
        }
    }
}

/// Asserts `actual` matches `expected` within rtol·|expected| + atol
/// (float32 1e-5, float64 1e-10), naming the worst element.
func assertTensorClose(_ actual: Tensor, _ expected: Tensor, _ message: String,
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
    XCTAssertEqual(actual.dtype, expected.dtype, message, file: file, line: line)
    let tol = actual.dtype == .float32 ? 1e-5 : 1e-10
    let a = actual.toDoubles(), e = expected.toDoubles()
    guard a.count == e.count else { return }
    var worst = 0.0
    for (x, y) in zip(a, e) where x != y { worst = Swift.max(worst, Swift.abs(x - y) - tol * (1 + Swift.abs(y))) }
    XCTAssertFalse(worst > 0, "\(message): off by \(worst) beyond the tolerance", file: file, line: line)
}
