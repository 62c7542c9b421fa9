import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// Output that, when the script prints `go`, has another thread press Ctrl-C
/// (`Cancellation.request()`) and waits until it has: whatever the script runs
/// next must notice, whatever the machine's speed.
final class InterruptingOutput: OutputWriter {
    private(set) var text = ""

    func write(_ text: String) {
        self.text += text
        guard text.contains("go") else { return }
        let pressed = DispatchSemaphore(value: 0)
        Thread {
            Cancellation.request()
            pressed.signal()
        }.start()
        pressed.wait()
    }
}

/// Ctrl-C stops every long build and every loop of the language: ranges,
/// lists, strings, loop items, printing. Each test requests the interrupt
/// just before the work starts, so the outcome does not depend on timing.
final class InterruptTests: XCTestCase {
    override func tearDown() {
        Cancellation.reset()
    }

    func run(_ source: String) -> (Session.Outcome, InterruptingOutput, Session) {
        let out = InterruptingOutput()
        let session = Session(output: out)
        let outcome = session.run(source: source)
        return (outcome, out, session)
    }

    func assertInterrupted(_ source: String, at location: String, file: StaticString = #filePath, line: UInt = #line) {
        let (outcome, out, _) = run(source)
        XCTAssertEqual(outcome.status, .interrupted, outcome.rendered, file: file, line: line)
        XCTAssertEqual(outcome.diagnostics.first.map { "\($0.span.line):\($0.span.column)" }, location, file: file, line: line)
        XCTAssertFalse(out.text.contains("after"), "the run went on after Ctrl-C", file: file, line: line)
        XCTAssertFalse(Cancellation.isRequested, "the request is consumed", file: file, line: line)
    }

    func testRangeStopsWhileItIsBuilt() {
        assertInterrupted("def n() {\n print(\"go\")\n 100000000\n}\nr = range(n())\nprint(\"after\")", at: "5:5")
        let (_, _, session) = run("def n() {\n print(\"go\")\n 100000000\n}\nr = range(n())")
        XCTAssertNil(session.value(of: "r"))
    }

    func testForLoopStopsAtTheNextIteration() {
        let (outcome, _, session) = run("for i in range(1000000) {\n if i == 10 { print(\"go\") }\n}\nprint(\"after\")")
        XCTAssertEqual(outcome.status, .interrupted)
        guard case .int(let i)? = session.value(of: "i") else { return XCTFail("no loop variable") }
        XCTAssertEqual(i, 10, "the loop stopped before its next item")
    }

    func testLoopsOverTensorRowsAndStringsStop() {
        assertInterrupted("for r in zeros(1000000, 0) { print(\"go\") }\nprint(\"after\")", at: "1:1")
        assertInterrupted("for c in \"go\" * 1000 { print(c + \"go\") }\nprint(\"after\")", at: "1:1")
    }

    func testGrowingListsAndStringsStop() {
        let source = "big = range(1000000)\ndef n(v) {\n print(\"go\")\n v\n}\n"
        assertInterrupted(source + "l = big + n(big)\nprint(\"after\")", at: "6:5")
        assertInterrupted(source + "s = \"ab\" * n(1000000)\nprint(\"after\")", at: "6:5")
        assertInterrupted(source + "t = tensor(n(big))\nprint(\"after\")", at: "6:5")
        assertInterrupted(source + "a, b = n(zeros(1000000, 0))\nprint(\"after\")", at: "6:1")
        assertInterrupted(source + "for x in progress(n(zeros(1000000, 0))) { }\nprint(\"after\")", at: "6:10")
    }

    func testPrintingAHugeListStopsAndWritesNothing() {
        let (outcome, out, _) = run("big = range(1000000)\ndef n() {\n print(\"go\")\n big\n}\nprint(n())")
        XCTAssertEqual(outcome.status, .interrupted)
        XCTAssertEqual(out.text, "go\n", "nothing of the cut text is written")
    }

    /// Unbounded work cancelled from another thread while it runs stops; the
    /// wait is only a wide safety margin, far above the latency.
    func testUnboundedLoopsStopWhenCancelledFromAnotherThread() {
        for body in ["r = range(1000000)", "for i in range(1000000) { }", "l = range(100000) + range(100000)"] {
            let started = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
            let signal = StartSignal(started)
            Thread {
                signal.status = Session(output: signal).run(source: "print(\"started\")\nwhile true { \(body) }").status
                finished.signal()
            }.start()
            started.wait()
            Cancellation.request()
            XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "\(body) did not stop")
            XCTAssertEqual(signal.status, .interrupted, body)
        }
    }
}

/// Signals once the script has printed its first line; keeps how the run ended.
final class StartSignal: OutputWriter, @unchecked Sendable {
    let semaphore: DispatchSemaphore
    /// Written by the thread that runs the script, read after it has signalled the end.
    var status: Session.Status?
    init(_ semaphore: DispatchSemaphore) { self.semaphore = semaphore }
    func write(_ text: String) { semaphore.signal() }
}
