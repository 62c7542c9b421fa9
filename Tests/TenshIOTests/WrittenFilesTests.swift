import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// Files tensh writes for other libraries. The test reads them back with
/// tensh; `python3 scripts/fixtures/files.py --check-written` runs it with
/// TENSH_WRITTEN_DIR set and reads the same files with NumPy and safetensors
/// (kept out of the Swift suite, which must not need Python).
final class WrittenFilesTests: XCTestCase {
    func testWritesNpzAndSafetensorsThatReadBack() throws {
        let given = ProcessInfo.processInfo.environment["TENSH_WRITTEN_DIR"]
        let scratch = given == nil ? try ScratchDirectory() : nil
        defer { scratch?.remove() }
        let folder = given ?? scratch?.path ?? ""
        let tensors: [(name: String, tensor: Tensor)] = [
            ("conv.weight", try sampleTensor([4, 1, 3, 3], seed: 1, dtype: .float32)), ("conv.bias", try sampleTensor([4], seed: 2, dtype: .float32)),
            ("double", try sampleTensor([2, 3], seed: 3)), ("steps", try Tensor([3, -1, 7], shape: [3], dtype: .int64)),
            ("mask", try Tensor([1, 0, 0, 1], shape: [2, 2], dtype: .bool)), ("scalar", Tensor(scalar: 0.5, dtype: .float32)),
            ("transposed", try Tensor.strided(over: try sampleTensor([3, 5], seed: 4, dtype: .float32), shape: [5, 3], strides: [1, 5], offset: 0, op: "test")),
        ]
        try NpzFile.save(tensors, to: folder + "/arrays.npz")
        try SafetensorsFile.save(tensors, metadata: [("format", "pt"), ("source", "tensh")], to: folder + "/weights.safetensors")
        for (name, tensor) in tensors {
            try saveNpy(tensor, folder + "/arrays.npz.\(name).npy")
            try saveNpy(tensor, folder + "/weights.safetensors.\(name).npy")
        }
        let names = tensors.map(\.name)
        let manifest: [String: Any] = ["npz": ["arrays.npz": names],
                                       "safetensors": ["weights.safetensors": ["names": names, "metadata": [["format", "pt"], ["source", "tensh"]]]]]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: folder + "/manifest.json"))

        let npz = try NpzFile.load(folder + "/arrays.npz"), safetensors = try SafetensorsFile.load(folder + "/weights.safetensors")
        XCTAssertEqual(npz.map(\.name), names)
        XCTAssertEqual(safetensors.tensors.map(\.name), names)
        for (k, (name, tensor)) in tensors.enumerated() {
            assertSameTensor(npz[k].tensor.tensor, try tensor.contiguous(), "npz \(name)")
            assertSameTensor(safetensors.tensors[k].tensor.tensor, try tensor.contiguous(), "safetensors \(name)")
        }
    }
}
