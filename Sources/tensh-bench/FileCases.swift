import Foundation
import TenshEngine
import TenshIO

/// Reading files, against Pillow + NumPy and torch.load in the same run: the sample
/// photographs with load_image, and a 50 MB state_dict (bench-results/statedict-50mb.pt,
/// written by scripts/bench/make_statedict.py before the cases run). Paths are relative
/// to the project root, where scripts/bench.sh runs.
func fileCases() -> [BenchCase] {
    [
        imageCase("io-png-chelsea", "scripts/examples/data/images/chelsea.png"),
        imageCase("io-jpeg-chelsea", "scripts/examples/data/images/chelsea.jpg"),
        BenchCase(name: "io-statedict-50mb", flops: 0) {
            let path = "bench-results/statedict-50mb.pt"
            guard FileManager.default.fileExists(atPath: path) else {
                throw EngineError(.io, op: "bench", "\(path) is missing: scripts/bench/make_statedict.py writes it")
            }
            return { LoadedBox(try DataFile.load(path)) }
        },
    ]
}

/// A float32 [3, H, W] tensor in [0, 1] from an image file, as Pillow + NumPy make it.
private func imageCase(_ name: String, _ path: String) -> BenchCase {
    BenchCase(name: name, flops: 0, innerRepeats: 10) {
        { try ImageFile.load(path, mode: .rgb) }
    }
}

/// Keeps a loaded file alive between timed runs, as the other cases keep their outputs.
final class LoadedBox {
    let file: LoadedFile
    init(_ file: LoadedFile) { self.file = file }
}
