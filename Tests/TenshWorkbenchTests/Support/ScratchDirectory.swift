import Foundation
import XCTest

/// A test case with a fresh directory of its own (`scratch`), removed afterwards.
class ScratchDirectoryTestCase: XCTestCase {
    var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tensh-\(type(of: self))-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: scratch)
    }
}
