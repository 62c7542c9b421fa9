import Foundation
import TenshEngine
import TenshIO

/// The fuzz targets of the file parsers: one libFuzzer target per parser,
/// chosen by TENSH_FUZZ_TARGET (png, jpeg, zip, safetensors, pickle), with a
/// 64 MiB allocation limit. A parser may refuse any input with an error; a
/// crash, a trap, a hang or a runaway allocation is a bug.
enum FuzzFiles {
    static func target() -> ParserEntry {
        let name = ProcessInfo.processInfo.environment["TENSH_FUZZ_TARGET"] ?? ""
        guard let parser = ParserEntry(rawValue: name) else {
            FileHandle.standardError.write(Data("tensh-fuzz-files: set TENSH_FUZZ_TARGET to one of \(ParserEntry.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(64)
        }
        return parser
    }

    static func run(_ parser: ParserEntry, _ bytes: UnsafeBufferPointer<UInt8>) {
        EngineConfig.maxTensorBytes = 64 << 20
        Cancellation.reset()
        _ = try? parser.parse(Array(bytes))
    }
}

#if TENSH_FUZZ
/// libFuzzer's driver, linked in by -sanitize=fuzzer (see tensh-fuzz).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The parser under test, for the C callback (which cannot capture).
nonisolated(unsafe) var selectedParser = ParserEntry.png
#endif

@main
struct FuzzFilesMain {
    static func main() {
        let parser = FuzzFiles.target()
        #if TENSH_FUZZ
        selectedParser = parser
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = runFuzzerDriver(&argc, &argv) { data, size in
            FuzzFiles.run(selectedParser, UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
            return 0
        }
        exit(status)
        #else
        replay(parser, CommandLine.arguments.dropFirst())
        #endif
    }

    /// Without libFuzzer: runs the parser over files or directories (seeds, crash reproducers).
    static func replay(_ parser: ParserEntry, _ paths: ArraySlice<String>) {
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let names = isDirectory.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for name in names {
                guard let data = FileManager.default.contents(atPath: name) else { continue }
                data.withUnsafeBytes { FuzzFiles.run(parser, $0.bindMemory(to: UInt8.self)) }
                count += 1
            }
        }
        print("replayed \(count) \(parser.rawValue) inputs without a crash")
    }
}
