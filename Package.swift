// swift-tools-version:6.0
// tensh — a terminal workbench for tensors, convolutions and autograd.
import PackageDescription
import Foundation

// Swift SIMD code is ~100x slower without the CPU's vector features, so release
// builds target a CPU. Default: the build machine's own (`native`). Override
// with TENSH_TARGET_CPU=haswell (portable AVX2), znver4, ... or `generic`
// (baseline x86-64, slow) when building binaries for other machines.
let targetCPU = ProcessInfo.processInfo.environment["TENSH_TARGET_CPU"] ?? "native"
let cpuFlags: [String] = targetCPU == "generic" ? [] : ["-Xcc", "-march=\(targetCPU)", "-target-cpu", targetCPU]

let engineSettings: [SwiftSetting] = [
    .unsafeFlags(cpuFlags),
    // Kernels use hoisted raw pointers; exclusivity checks in hot loops cost 30x.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    // Swift's squareRoot() is C's __builtin_sqrtf, which with errno semantics is a
    // call LLVM cannot vectorize: every loop with a square root ran scalar (Adam's
    // step 3.8 ns per element). The engine never reads errno.
    .unsafeFlags(["-Xcc", "-fno-math-errno"]),
    .swiftLanguageMode(.v5),
]
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "tensh",
    products: [
        .executable(name: "tensh", targets: ["tensh"]),
        .library(name: "TenshEngine", targets: ["TenshEngine"]),
        .library(name: "TenshIO", targets: ["TenshIO"]),
    ],
    targets: [
        // Text every layer shares: shapes, short numbers. No dependencies.
        .target(name: "TenshText", swiftSettings: v5),
        // The engine: tensors, kernels, autograd. Knows nothing of terminals or the language.
        .target(name: "TenshEngine", dependencies: ["TenshText"], swiftSettings: engineSettings),
        // File formats: .npy, .npz, .safetensors, PyTorch checkpoints, PNG, JPEG; the one
        // atomic writer. The only module that reads or writes data files, and the only
        // one importing the zlib, libpng and libjpeg shims.
        .target(name: "TenshIO", dependencies: ["TenshEngine", "TenshText", "CZlib", "CPng", "CJpeg"], swiftSettings: v5),
        // The language: lexer, parser, evaluator, builtins, diagnostics, Session.
        .target(name: "TenshLanguage", dependencies: ["TenshEngine", "TenshIO", "TenshText"], swiftSettings: v5),
        // Pure rendering into a cell buffer: heatmaps, graph layout, text. No ncurses.
        .target(name: "TenshRender", dependencies: ["TenshText"], swiftSettings: v5),
        // Workbench state and actions; pure, testable without a TTY.
        .target(name: "TenshWorkbench", dependencies: ["TenshLanguage", "TenshIO", "TenshRender", "TenshText"], swiftSettings: v5),
        // C shims: the only C the project touches.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // The terminal layer: the only Swift code that imports the shims.
        // It imports TenshLanguage, TenshEngine and TenshText directly: list them, or incremental
        // builds keep stale struct layouts from those modules.
        .target(name: "TenshTerminal",
                dependencies: ["TenshWorkbench", "TenshLanguage", "TenshEngine", "TenshText", "CNcurses", "CReadline"],
                swiftSettings: v5),
        .executableTarget(name: "tensh", dependencies: ["TenshTerminal"], swiftSettings: v5),
        // The fuzz target behind scripts/fuzz.sh (libFuzzer when built with
        // -sanitize=fuzzer -DTENSH_FUZZ; otherwise a corpus replayer).
        .executableTarget(name: "tensh-fuzz", dependencies: ["TenshLanguage"],
                          swiftSettings: v5 + [.unsafeFlags(["-parse-as-library"])],
                          // gold fails on libFuzzer + ASan objects; the toolchain ships lld.
                          linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
        // libFuzzer targets for the file parsers (PNG, JPEG, zip/npz, safetensors, pickle),
        // one per TENSH_FUZZ_TARGET; built and run like tensh-fuzz.
        .executableTarget(name: "tensh-fuzz-files", dependencies: ["TenshIO", "TenshEngine"],
                          swiftSettings: v5 + [.unsafeFlags(["-parse-as-library"])],
                          linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
        // The benchmark runner behind scripts/bench.sh (one case per process, JSON out).
        .executableTarget(name: "tensh-bench", dependencies: ["TenshEngine", "TenshIO"], swiftSettings: engineSettings),

        .testTarget(name: "TenshTextTests", dependencies: ["TenshText"], swiftSettings: v5),
        // TenshIO: only for the digits data set the NN documentation example loads.
        .testTarget(name: "TenshEngineTests", dependencies: ["TenshEngine", "TenshIO"],
                    resources: [.copy("Fixtures")], swiftSettings: engineSettings),
        .testTarget(name: "TenshIOTests", dependencies: ["TenshIO", "TenshEngine", "TenshText"],
                    resources: [.copy("Fixtures")], swiftSettings: v5),
        .testTarget(name: "TenshLanguageTests", dependencies: ["TenshLanguage"],
                    resources: [.copy("Fixtures"), .copy("Scripts")], swiftSettings: v5),
        .testTarget(name: "TenshRenderTests", dependencies: ["TenshRender", "TenshText"],
                    resources: [.copy("Snapshots")], swiftSettings: v5),
        .testTarget(name: "TenshWorkbenchTests", dependencies: ["TenshWorkbench", "TenshText"], exclude: ["Snapshots", "Fixtures"],
                    swiftSettings: v5),
        // Test-only: the ncurses workbench with a tiny evaluator, driven in tmux by TenshWorkbenchTests.
        .executableTarget(name: "tensh-workbench-demo",
                          dependencies: ["TenshTerminal", "TenshWorkbench", "TenshLanguage", "TenshEngine"],
                          path: "Tests/WorkbenchDemo", swiftSettings: v5),
    ]
)
