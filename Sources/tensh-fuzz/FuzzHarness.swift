import Dispatch
import Foundation
import TenshEngine
import TenshLanguage

/// One fuzz input through the parser and the evaluator, with the limits a
/// fuzzer needs: a small allocation limit (64 MiB) and a time budget (1 s)
/// after which the run is cancelled the way Ctrl-C cancels it. Any crash,
/// trap or hang here is a bug.
enum FuzzHarness {
    static let timeBudget: DispatchTimeInterval = .seconds(1)

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let source = String(decoding: bytes, as: UTF8.self) // invalid UTF-8 becomes U+FFFD, as in files
        EngineConfig.maxTensorBytes = 64 << 20
        Cancellation.reset()
        let watchdog = DispatchSource.makeTimerSource(queue: .global())
        watchdog.schedule(deadline: .now() + timeBudget)
        watchdog.setEventHandler { Cancellation.request() }
        watchdog.resume()
        defer {
            watchdog.cancel()
            Cancellation.reset()
        }
        let session = Session(output: DiscardedOutput(), mode: .repl)
        session.run(source: source, file: "<fuzz>")
    }
}

/// Output nobody reads.
final class DiscardedOutput: OutputWriter {
    func write(_ text: String) {}
}

#if TENSH_FUZZ
/// libFuzzer's driver, linked in by -sanitize=fuzzer. SwiftPM gives executables
/// their own entry point, so tensh-fuzz starts the driver itself instead of
/// using libFuzzer's `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

@main
struct FuzzMain {
    static func main() {
        #if TENSH_FUZZ
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = runFuzzerDriver(&argc, &argv) { data, size in
            FuzzHarness.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
            return 0
        }
        exit(status)
        #else
        replay(CommandLine.arguments.dropFirst())
        #endif
    }

    /// Without libFuzzer: replays corpus files or directories (crash reproducers
    /// become regression runs this way).
    static func replay(_ paths: ArraySlice<String>) {
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { FuzzHarness.run($0.bindMemory(to: UInt8.self)) }
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }

    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
