import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// PyTorch checkpoints written by torch.save, against the tree torch.load(weights_only=True)
/// reads from them (scripts/fixtures/files.py describes it in <file>.json).
final class TorchCheckpointTests: XCTestCase {
    static let files = ["state_dict.pt", "checkpoint.pt", "shared_views.pt", "dtypes.pt", "parameter.pt",
                        "parameters.pt", "tensor.pt", "big_endian.pt"]

    func testEveryCheckpointEqualsPyTorch() throws {
        for file in Self.files {
            let tree = try TorchCheckpoint.load(try Fixture.path("torch/" + file))
            var storages: [Int: Storage] = [:]
            try compare(tree, try XCTUnwrap(try Fixture.json("torch/\(file).json") as? [String: Any]), file: file,
                        place: file, storages: &storages)
        }
    }

    /// Walks the loaded tree and the JSON description together.
    private func compare(_ value: LoadedValue, _ want: [String: Any], file: String, place: String, storages: inout [Int: Storage]) throws {
        switch value {
        case .tensor(let t):
            let index = try XCTUnwrap(want["tensor"] as? Int, place)
            assertSameTensor(t.tensor, try loadNpy(try Fixture.path("torch/expected/\(file)/\(index).npy")), place)
            XCTAssertEqual(t.stored.description, want["dtype"] as? String, place)
            XCTAssertEqual(t.requiresGrad, want["requires_grad"] as? Bool, place)
            // Tensors that share a storage in PyTorch share one after loading; the others do not.
            let group = try XCTUnwrap(want["storage"] as? Int)
            if let known = storages[group] { XCTAssertTrue(known === t.tensor.storage, "\(place) shares storage \(group)") }
            XCTAssertFalse(storages.contains { $0.key != group && $0.value === t.tensor.storage }, "\(place) shares a storage it should not")
            storages[group] = t.tensor.storage
        case .dict(let entries):
            let pairs = try XCTUnwrap(want["dict"] as? [[[String: Any]]], place)
            XCTAssertEqual(entries.count, pairs.count, place)
            for (entry, pair) in zip(entries, pairs) {
                try compare(entry.key, pair[0], file: file, place: place + "/key", storages: &storages)
                try compare(entry.value, pair[1], file: file, place: place + "." + entry.key.keyText, storages: &storages)
            }
        case .list(let items), .tuple(let items):
            let kind: String = { if case .list = value { return "list" } else { return "tuple" } }()
            let wanted = try XCTUnwrap(want[kind] as? [[String: Any]], "\(place) is not a \(kind)")
            XCTAssertEqual(items.count, wanted.count, place)
            for (k, (item, w)) in zip(items, wanted).enumerated() {
                try compare(item, w, file: file, place: "\(place)[\(k)]", storages: &storages)
            }
        case .int(let i): XCTAssertEqual(want["int"] as? Int, i, place)
        case .float(let d): XCTAssertEqual(try XCTUnwrap(want["float"] as? Double, place), d, accuracy: abs(d) * 1e-15, place)
        case .string(let s): XCTAssertEqual(want["str"] as? String, s, place)
        case .bool(let b): XCTAssertEqual(want["bool"] as? Bool, b, place)
        case .none: XCTAssertTrue(want.keys.contains("none"), place)
        }
    }

    func testViewsKeepTheirLayout() throws {
        guard case .dict(let entries) = try TorchCheckpoint.load(try Fixture.path("torch/shared_views.pt")) else {
            return XCTFail("not a dict")
        }
        let tensors = Dictionary(uniqueKeysWithValues: entries.compactMap { e -> (String, Tensor)? in
            if case .tensor(let t) = e.value { return (e.key.keyText, t.tensor) } else { return nil }
        })
        let t = try XCTUnwrap(tensors["t"]), window = try XCTUnwrap(tensors["window"]), expanded = try XCTUnwrap(tensors["expanded"])
        XCTAssertEqual(t.strides, [1, 6])
        XCTAssertEqual(window.offset, 5)
        XCTAssertEqual(expanded.strides, [0, 1])
    }

    func testNamedTensorsAreDottedPaths() throws {
        let tree = try TorchCheckpoint.load(try Fixture.path("torch/checkpoint.pt"))
        let names = tree.namedTensors.map(\.name)
        XCTAssertEqual(names.first, "model.0.weight")
        XCTAssertTrue(names.contains("model.1.num_batches_tracked"))
        XCTAssertTrue(names.contains("optimizer.state.0.momentum_buffer"), "\(names)")
    }

    func testAZipWithoutAPickleIsNotACheckpoint() throws {
        let source = MemorySource(try Fixture.bytes("npz/stored.npz"), context: FileContext(op: "load", path: "w.pt"))
        assertFails(try TorchCheckpoint.read(source), contains: "load: 'w.pt': a zip archive without <name>/data.pkl is not a PyTorch checkpoint")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let renamed = try scratch.write(try Fixture.bytes("npz/stored.npz"), "w.pt")
        assertFails(try DataFile.load(renamed), contains: "the extension says a PyTorch checkpoint, but the file is a NumPy .npz archive")
    }

    func testLegacyFormatSaysHowToResave() throws {
        assertFails(try DataFile.load(try Fixture.path("torch/legacy.pt")),
                    contains: "legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False); re-save it")
    }

    /// Pickles that would run `touch <marker>` through os.system, eval and subprocess.Popen:
    /// each is refused with an error naming the global, and the command never runs.
    func testMaliciousPicklesAreRefusedAndRunNothing() throws {
        let cases = [("evil_os_system.pt", "'posix.system'", "/tmp/tensh_pickle_marker_os_system"),
                     ("evil_builtins_eval.pt", "'__builtin__.eval'", "/tmp/tensh_pickle_marker_eval"),
                     ("evil_subprocess_popen.pt", "'commands.Popen'", "/tmp/tensh_pickle_marker_popen")]
        for (file, global, marker) in cases {
            unlink(marker)
            let message = assertFails(try DataFile.load(try Fixture.path("torch/" + file)), contains: "the pickle names the global \(global)")
            XCTAssertTrue(message?.contains("at byte 18") ?? false, "the offset of the GLOBAL opcode: \(message ?? "")")
            XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "\(file) ran its command")
        }
    }
}
