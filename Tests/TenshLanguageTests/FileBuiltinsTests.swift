import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// What the file builtins hand the rest of tensh beyond their values: the
/// image mark `show` draws photographs by, and the element type a file stored.
final class FileBuiltinsTests: XCTestCase {
    private struct NotATensor: Error { let name: String }

    private func tensor(_ session: Session, _ name: String) throws -> Tensor {
        guard case .tensor(let t) = try XCTUnwrap(session.value(of: name)) else { throw NotATensor(name: name) }
        return t
    }

    private func run(_ source: String) throws -> Session {
        let session = Session(output: CapturedOutput())
        let outcome = session.run(source: source)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        return session
    }

    func testLoadImageMarksItsResultAsAnImage() throws {
        let root = ScriptTests.projectRoot.path
        let s = try run("""
            cat = load_image("\(root)/scripts/examples/data/images/chelsea.jpg")
            camera = load_image("\(root)/scripts/examples/data/images/camera.png", mode="rgb")
            brighter = cat * 1.5
            """)
        XCTAssertTrue(try tensor(s, "cat").isImage)
        XCTAssertTrue(try tensor(s, "camera").isImage)
        XCTAssertFalse(try tensor(s, "brighter").isImage, "results of ops are not images")
    }

    func testLoadKeepsTheStoredElementType() throws {
        let npy = ScriptTests.projectRoot.path + "/Tests/TenshIOTests/Fixtures/npy"
        let s = try run("""
            half = load("\(npy)/f2.npy")
            bytes = load("\(npy)/u1.npy")
            same = load("\(npy)/v1_f4.npy")
            """)
        XCTAssertEqual(try tensor(s, "half").dtype, .float32)
        XCTAssertEqual(try tensor(s, "half").storedDType, "f16")
        XCTAssertEqual(try tensor(s, "bytes").storedDType, "u8")
        XCTAssertNil(try tensor(s, "same").storedDType)
    }
}
