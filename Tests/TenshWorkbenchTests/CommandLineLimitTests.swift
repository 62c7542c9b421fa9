import Foundation
import XCTest

/// `--max-tensor-bytes`: the real binary refuses one allocation above
/// the limit with a runtime error (exit 70) and rejects a bad size as usage (64).
final class CommandLineLimitTests: XCTestCase {
    func run(_ arguments: [String]) throws -> TenshProcess.Result {
        try TenshProcess.run(arguments)
    }

    func testAllocationAboveTheLimitIsARuntimeError() throws {
        let refused = try run(["--max-tensor-bytes", "1K", "-e", "x = zeros(1000)"])
        XCTAssertEqual(refused.status, 70, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("exceeds the allocation limit of 1024 bytes"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("<-e>:1:5"), refused.stderr)
        let allowed = try run(["--max-tensor-bytes=1K", "-e", "print(item(sum(ones(256))))"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(allowed.stdout, "256.0\n")
    }

    func testBadSizesAreUsageErrors() throws {
        for size in ["0", "-5", "lots", "9999999999T"] {
            let result = try run(["--max-tensor-bytes", size, "-e", "1"])
            XCTAssertEqual(result.status, 64, "\(size): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--max-tensor-bytes"), result.stderr)
        }
        let missing = try run(["--max-tensor-bytes"])
        XCTAssertEqual(missing.status, 64)
    }
}
