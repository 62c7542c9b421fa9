import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// Every seed of the fuzz corpus (Tests/Fuzz/corpus: 100,000-term chains,
/// huge names, every line ending, terminal escapes, values that grow without
/// bound, rank 65,536) runs through a REPL session with the fuzzer's limits:
/// 64 MiB per allocation, and Ctrl-C after a time budget. Each must end in a
/// status with well-formed diagnostics; a crash, trap or overflow fails the suite.
final class FuzzCorpusTests: XCTestCase {
    func testEverySeedEndsCleanly() throws {
        let folder = ScriptTests.projectRoot.appendingPathComponent("Tests/Fuzz/corpus")
        let seeds = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(seeds.count, 40)
        let saved = EngineConfig.maxTensorBytes
        EngineConfig.maxTensorBytes = 64 << 20
        defer { EngineConfig.maxTensorBytes = saved; Cancellation.reset() }
        for seed in seeds {
            let source = String(decoding: try Data(contentsOf: seed), as: UTF8.self)
            // The budget only bounds the test's time; any outcome but a crash passes.
            let watchdog = DispatchSource.makeTimerSource(queue: .global())
            watchdog.schedule(deadline: .now() + 5)
            watchdog.setEventHandler { Cancellation.request() }
            watchdog.resume()
            let outcome = Session(output: CapturedOutput(), mode: .repl).run(source: source, file: seed.lastPathComponent)
            watchdog.cancel()
            Cancellation.reset()
            for d in outcome.diagnostics {
                XCTAssertGreaterThanOrEqual(d.span.line, 1, seed.lastPathComponent)
                XCTAssertFalse(d.message.isEmpty, seed.lastPathComponent)
            }
            XCTAssertFalse(outcome.rendered.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0 },
                           "\(seed.lastPathComponent): raw control characters in the diagnostics")
        }
    }
}
