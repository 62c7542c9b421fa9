import Foundation
import XCTest
import TenshEngine
@testable import TenshLanguage

/// Fixtures/repr.json, written by scripts/fixtures/repr.py: PyTorch's repr of
/// many tensors with tensh's suffixes, and Python's repr of numbers.
struct ReprFixtures: Decodable {
    let tensors: [ReprCase]
    let numbers: [ReprNumberCase]

    static func load() throws -> ReprFixtures {
        guard let url = Bundle.module.url(forResource: "repr", withExtension: "json", subdirectory: "Fixtures") else {
            throw ReprFixtureError("Fixtures/repr.json is missing: run scripts/fixtures/repr.py")
        }
        return try JSONDecoder().decode(ReprFixtures.self, from: Data(contentsOf: url))
    }
}

struct ReprFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One tensor to print: an input (and maybe a second operand) run through
/// `op` with the engine, so grad_fn cases carry a real autograd node.
struct ReprCase: Decodable {
    let name: String
    let input: ReprTensor
    let other: ReprTensor?
    let op: String?
    let scalar: Double?
    let options: ReprOptions?
    let expected: String

    func makeTensor() throws -> Tensor {
        let a = try input.make()
        guard let op else { return a }
        func b() throws -> Tensor {
            guard let other else { throw ReprFixtureError("\(name): op \(op) needs a second operand") }
            return try other.make()
        }
        switch op {
        case "add": return try add(a, b())
        case "sub": return try sub(a, b())
        case "mul": return try mul(a, b())
        case "div": return try div(a, b())
        case "neg": return try neg(a)
        case "relu": return try relu(a)
        case "sum": return try sum(a)
        case "mul_scalar": return try a * (scalar ?? 1)
        default: throw ReprFixtureError("\(name): unknown op \(op)")
        }
    }
}

/// A tensor with exact values: float32 as shortest float32 decimal strings,
/// float64 as Python reprs, int64 in decimal (written to storage as Int64, so
/// values above 2^53 stay exact), bool as "1"/"0".
struct ReprTensor: Decodable {
    let shape: [Int]
    let dtype: String
    let requiresGrad: Bool
    let data: [String]

    enum CodingKeys: String, CodingKey {
        case shape, dtype, data
        case requiresGrad = "requires_grad"
    }

    func make() throws -> Tensor {
        guard let type = DType(name: dtype) else { throw ReprFixtureError("bad dtype \(dtype)") }
        let t: Tensor
        switch type {
        case .float32:
            t = try Tensor(data.map { try parse($0, Float.init).map(Double.init) ?? 0 }, shape: shape, dtype: .float32)
        case .float64:
            t = try Tensor(data.map { try parse($0, Double.init) ?? 0 }, shape: shape, dtype: .float64)
        case .bool:
            t = try Tensor(data.map { $0 == "1" ? 1 : 0 }, shape: shape, dtype: .bool)
        case .int64:
            t = try Tensor(zeros: shape, dtype: .int64)
            guard t.count == data.count else { throw ReprFixtureError("\(data.count) values for shape \(shape)") }
            for (i, text) in data.enumerated() {
                guard let v = Int64(text) else { throw ReprFixtureError("bad int64 \(text)") }
                t.storage.bytes.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self)
            }
        }
        if requiresGrad { try t.setRequiresGrad(true) }
        return t
    }

    private func parse<T>(_ text: String, _ make: (String) -> T?) throws -> T? {
        guard let v = make(text) else { throw ReprFixtureError("bad number \(text)") }
        return v
    }
}

struct ReprOptions: Decodable {
    let precision: Int?
    let threshold: Int?
    let edgeitems: Int?
    let linewidth: Int?
    let sciMode: Bool?

    enum CodingKeys: String, CodingKey {
        case precision, threshold, edgeitems, linewidth
        case sciMode = "sci_mode"
    }

    var printOptions: PrintOptions {
        var o = PrintOptions()
        if let precision { o.precision = precision }
        if let threshold { o.threshold = threshold }
        if let edgeitems { o.edgeItems = edgeitems }
        if let linewidth { o.lineWidth = linewidth }
        o.sciMode = sciMode
        return o
    }
}

/// A float given by its bit pattern, or an int, with Python's repr of it.
struct ReprNumberCase: Decodable {
    let bits: String?
    let int: String?
    let expected: String
}

extension ReprFixtures {
    /// The first line where two multi-line strings differ, for failure messages.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) {
            let al = i < a.count ? String(a[i]) : "<no line>"
            let el = i < e.count ? String(e[i]) : "<no line>"
            if al != el { return "line \(i + 1):\n  expected: \(el)\n  actual:   \(al)" }
        }
        return "no differing line"
    }
}
