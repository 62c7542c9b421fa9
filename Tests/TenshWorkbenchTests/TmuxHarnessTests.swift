import Foundation
import XCTest

/// The harness itself, on a command everyone has: printf with a 24-bit colour.
final class TmuxHarnessTests: XCTestCase {
    func testCapturesTextAndTrueColourEscapes() throws {
        let session = try TmuxSession(command: "printf '\\033[38;2;10;20;30mHELLO\\033[0m %s\\n' \"$COLORTERM\"; sleep 30",
                                      width: 40, height: 10)
        defer { session.kill() }
        let plain = try session.wait(forText: "HELLO truecolor")
        XCTAssertFalse(plain.contains("\u{1b}["), "plain capture has no escapes")
        let colored = try session.wait(forText: "38;2;10;20;30", escapes: true)
        XCTAssertTrue(colored.contains("HELLO"))
    }

    func testSendKeysReachTheProgramAndTimeoutsThrow() throws {
        let session = try TmuxSession(command: "read line; echo \"got:$line\"; sleep 30", width: 40, height: 10)
        defer { session.kill() }
        try session.type("abc")
        try session.wait(forText: "got:abc")
        XCTAssertThrowsError(try session.wait(forText: "never printed", timeout: 0.3))
    }
}
