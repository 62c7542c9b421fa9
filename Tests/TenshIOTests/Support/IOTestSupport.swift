import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// Paths of the committed fixtures (written by scripts/fixtures/files.py).
enum Fixture {
    static func path(_ relative: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures").appendingPathComponent(relative)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relative)")
        return url.path
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(relative))))
    }

    static func json(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try path(relative))))
    }

    /// The project's own data: the digits data set and the sample photographs.
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func projectPath(_ relative: String) -> String { projectRoot.appendingPathComponent(relative).path }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tensh-io-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Asserts that `body` throws an EngineError whose message contains `text`; returns the message.
@discardableResult
func assertFails<T>(_ body: @autoclosure () throws -> T, contains text: String,
                    file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        _ = try body()
        XCTFail("expected an error containing \"\(text)\"", file: file, line: line)
    } catch let error as EngineError {
        XCTAssertTrue(error.message.contains(text), "message \"\(error.message)\" does not contain \"\(text)\"", file: file, line: line)
        return error.message
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return nil
}

/// Deterministic values in [-1, 1).
func sampleTensor(_ shape: [Int], seed: UInt64, dtype: DType = .float64) throws -> Tensor {
    var state = seed &* 0x9E3779B97F4A7C15 | 1
    let values = (0..<shape.reduce(1, *)).map { _ -> Double in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    return try Tensor(values, shape: shape, dtype: dtype)
}

/// Same dtype, shape and elements (bit-exact, NaN equal to NaN).
func assertSameTensor(_ a: Tensor, _ b: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.dtype, b.dtype, "\(message): dtype", file: file, line: line)
    XCTAssertEqual(a.shape, b.shape, "\(message): shape", file: file, line: line)
    let x = a.toDoubles(), y = b.toDoubles()
    XCTAssertEqual(x.count, y.count, message, file: file, line: line)
    let differing = zip(x, y).filter { $0 != $1 && !($0.isNaN && $1.isNaN) }.count
    XCTAssertEqual(differing, 0, "\(message): \(differing) elements differ", file: file, line: line)
}
