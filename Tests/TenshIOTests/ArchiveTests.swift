import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// .npz and .safetensors files written by NumPy and safetensors, and tensh's own writers read back.
final class ArchiveTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try ScratchDirectory() }
    override func tearDownWithError() throws { scratch.remove() }

    func testNpzArchivesEqualNumpy() throws {
        let manifest = try XCTUnwrap(try Fixture.json("npz/npz.json") as? [String: [String]])
        let names = try XCTUnwrap(manifest["names"])
        for archive in ["stored.npz", "compressed.npz", "zip64.npz"] {
            let arrays = try NpzFile.load(try Fixture.path("npz/" + archive))
            XCTAssertEqual(arrays.map(\.name), names, archive)
            for (name, loaded) in arrays {
                assertSameTensor(loaded.tensor, try loadNpy(try Fixture.path("npz/expected/\(name).npy")), "\(archive) \(name)")
            }
            let types = Dictionary(uniqueKeysWithValues: arrays.map { ($0.name, $0.tensor.dtypeText) })
            XCTAssertEqual(types["c"], "i32→i64", archive)
            XCTAssertEqual(types["d"], "u8→i64", archive)
            XCTAssertEqual(types["h"], "f64", archive) // big-endian, but an f64 all the same
        }
    }

    func testNpzWriterRoundTrips() throws {
        let arrays: [(name: String, tensor: Tensor)] = [
            ("weights", try sampleTensor([3, 4], seed: 1, dtype: .float32)), ("ids", try Tensor([1, -2, 3], shape: [3], dtype: .int64)),
            ("mask", try Tensor([1, 0], shape: [2], dtype: .bool)), ("scalar", Tensor(scalar: 2.5, dtype: .float64)),
            ("empty", try zeros([0, 3])), ("ünïcode", try sampleTensor([2], seed: 2)),
        ]
        let path = scratch.file("out.npz")
        try NpzFile.save(arrays, to: path)
        let back = try NpzFile.load(path)
        XCTAssertEqual(back.map(\.name), arrays.map(\.name))
        for ((name, want), (_, got)) in zip(arrays, back) { assertSameTensor(got.tensor, want, name) }
        assertFails(try NpzFile.save([("a", try zeros([1])), ("a", try zeros([1]))], to: path), contains: "the array name 'a' repeats")
    }

    func testSafetensorsEqualTheLibrary() throws {
        let spec = try XCTUnwrap(try Fixture.json("safetensors/all_dtypes.json") as? [String: Any])
        let order = try XCTUnwrap(spec["order"] as? [String]), dtypes = try XCTUnwrap(spec["dtypes"] as? [String: String])
        let metadata = try XCTUnwrap(spec["metadata"] as? [[String]])
        let contents = try SafetensorsFile.load(try Fixture.path("safetensors/all_dtypes.safetensors"))
        XCTAssertEqual(contents.tensors.map(\.name), order)
        XCTAssertEqual(contents.metadata.map { [$0.key, $0.value] }, metadata)
        for (name, loaded) in contents.tensors {
            assertSameTensor(loaded.tensor, try loadNpy(try Fixture.path("safetensors/expected/\(name).npy")), name)
            XCTAssertEqual(loaded.stored.safetensorsName, dtypes[name], name)
        }
        let text = Dictionary(uniqueKeysWithValues: contents.tensors.map { ($0.name, $0.tensor.dtypeText) })
        XCTAssertEqual(text["f16"], "f16→f32")
        XCTAssertEqual(text["bf16"], "bf16→f32")
        XCTAssertEqual(text["i8"], "i8→i64")
        XCTAssertEqual(text["f32"], "f32")
        XCTAssertEqual(text["bool"], "bool")
    }

    func testSafetensorsWriterRoundTripsAndAlignsData() throws {
        let tensors: [(name: String, tensor: Tensor)] = [
            ("mask", try Tensor([1, 0, 1], shape: [3], dtype: .bool)), ("w", try sampleTensor([2, 3], seed: 3, dtype: .float32)),
            ("steps", try Tensor([7], shape: [1], dtype: .int64)), ("x64", try sampleTensor([2], seed: 4)),
            ("view", try Tensor.strided(over: try sampleTensor([4, 4], seed: 5), shape: [2, 2], strides: [1, 4], offset: 5, op: "test")),
        ]
        let path = scratch.file("out.safetensors")
        try SafetensorsFile.save(tensors, metadata: [("format", "pt"), ("quote\"d", "a\nb")], to: path)
        let back = try SafetensorsFile.load(path)
        XCTAssertEqual(back.tensors.map(\.name), tensors.map(\.name), "the header keeps the given order")
        for ((name, want), (_, got)) in zip(tensors, back.tensors) { assertSameTensor(got.tensor, try want.contiguous(), name) }
        XCTAssertEqual(back.metadata.map(\.key), ["format", "quote\"d"])
        XCTAssertEqual(back.metadata.map(\.value), ["pt", "a\nb"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = try XCTUnwrap(bytes.uint64(at: 0))
        XCTAssertEqual((8 + headerLength) % 8, 0, "the data starts 8-byte aligned")
        assertFails(try SafetensorsFile.save([("__metadata__", try zeros([1]))], to: path), contains: "is reserved or repeats")
    }

    func testFormatIsChosenByMagicBytesAndTheExtensionMustAgree() throws {
        let npz = try Fixture.path("npz/stored.npz")
        XCTAssertEqual(try DataFile.load(npz).format, .npz)
        XCTAssertEqual(try DataFile.load(try Fixture.path("torch/state_dict.pt")).format, .torch)
        XCTAssertEqual(try DataFile.load(try Fixture.path("safetensors/all_dtypes.safetensors")).format, .safetensors)
        let renamed = scratch.file("stored.weights")
        try FileManager.default.copyItem(atPath: npz, toPath: renamed)
        XCTAssertEqual(try DataFile.load(renamed).format, .npz, "an unknown extension: the bytes decide")
        let lying = scratch.file("weights.npy")
        try FileManager.default.copyItem(atPath: npz, toPath: lying)
        assertFails(try DataFile.load(lying), contains: "the extension says a NumPy .npy array, but the file is a NumPy .npz archive")
        assertFails(try DataFile.load(try Fixture.path("images/rgb8.png")), contains: "read images with load_image")
        assertFails(try DataFile.load(try scratch.write(Array("hello world, this is text".utf8), "notes.txt")),
                    contains: "not a .npy, .npz, .safetensors or PyTorch checkpoint file (the first bytes are 68 65 6c 6c 6f 20 77 6f)")
    }
}
