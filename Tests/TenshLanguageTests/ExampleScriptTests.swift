import Foundation
import TenshLanguage
import XCTest

/// The shipped examples (scripts/examples/*.tsh) run as script tests:
/// their `# expect:` lines are asserted like any script's.
extension ScriptTests {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryExample() throws {
        let folder = Self.projectRoot.appendingPathComponent("scripts/examples")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "tsh" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertEqual(files.map(\.lastPathComponent),
                       ["cnn_gradients.tsh", "deconv_adjoint.tsh", "digits.tsh", "gradcam.tsh", "mnist_net.tsh", "photo_filters.tsh", "pytorch_checkpoint.tsh", "sobel.tsh"])
        // The examples load data by paths relative to the project root, as a user runs them.
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(Self.projectRoot.path))
        for file in files {
            // Their drawings (and saved pictures) are the workbench's tests; here only what they print counts.
            check("scripts/examples/" + file.lastPathComponent, try String(contentsOf: file, encoding: .utf8),
                  display: SilentDisplay())
        }
    }
}
