import Foundation
import TenshEngine

/// tensh-bench: runs benchmark cases of the engine and prints one JSON object
/// per case. Used by scripts/bench.sh, which runs each case in its own process
/// (so peak memory is per case) and compares with PyTorch.
///
///   tensh-bench --list
///   tensh-bench --case NAME [--threads N] [--samples N]
let allCases = gemmCases() + convCases() + resampleCases() + autogradCases() + fileCases()

func argument(_ flag: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}

if CommandLine.arguments.contains("--list") {
    for c in allCases { print(c.name) }
    exit(0)
}
guard let name = argument("--case"), let bench = allCases.first(where: { $0.name == name }) else {
    FileHandle.standardError.write("usage: tensh-bench --list | --case NAME [--threads N] [--samples N]\n".data(using: .utf8) ?? Data())
    exit(64)
}
if let t = argument("--threads").flatMap(Int.init) { EngineConfig.threads = t }
let samples = argument("--samples").flatMap(Int.init) ?? 10
do {
    let body = try bench.prepare()
    let seconds = try measure(body, samples: samples, innerRepeats: bench.innerRepeats)
    let gflops = bench.flops > 0 ? bench.flops / seconds / 1e9 : 0
    let tensorMiB = Double(bench.tensorBytes) / 1_048_576
    let memory = bench.tensorBytes > 0 ? #", "tensor_mib": \#(tensorMiB)"# : ""
    print(#"{"case": "\#(bench.name)", "threads": \#(EngineConfig.threads), "ms": \#(seconds * 1000), "gflops": \#(gflops), "peak_mib": \#(peakRSSMiB())\#(memory)}"#)
} catch {
    FileHandle.standardError.write("tensh-bench: \(bench.name): \(error)\n".data(using: .utf8) ?? Data())
    exit(70)
}
