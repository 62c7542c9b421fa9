import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// The file builtins in the language: what `load` gives for each format (dicts,
/// lists, tuples, numbers, strings, tensors that remember the type the file
/// stored), `save` of a dict, `inspect`, the image mark `show` draws photographs
/// by, and the compact echo of a loaded state_dict.
final class FileBuiltinsTests: XCTestCase {
    static let fixtures = ScriptTests.projectRoot.path + "/Tests/TenshIOTests/Fixtures/"
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tensh-file-builtins-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    private struct NotATensor: Error { let name: String }

    private func tensor(_ session: Session, _ name: String) throws -> Tensor {
        guard case .tensor(let t) = try XCTUnwrap(session.value(of: name)) else { throw NotATensor(name: name) }
        return t
    }

    private func run(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> (Session, CapturedOutput) {
        let output = CapturedOutput()
        let session = Session(output: output)
        let outcome = session.run(source: source)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered, file: file, line: line)
        return (session, output)
    }

    /// What `load` gives for the file at `path`.
    private func load(_ path: String) throws -> Value {
        let (session, _) = run("loaded = load(\"\(path)\")")
        return try XCTUnwrap(session.value(of: "loaded"))
    }

    func testLoadImageMarksItsResultAsAnImage() throws {
        let root = ScriptTests.projectRoot.path
        let (s, _) = run("""
            cat = load_image("\(root)/scripts/examples/data/images/chelsea.jpg")
            camera = load_image("\(root)/scripts/examples/data/images/camera.png", mode="rgb")
            brighter = cat * 1.5
            """)
        XCTAssertTrue(try tensor(s, "cat").isImage)
        XCTAssertTrue(try tensor(s, "camera").isImage)
        XCTAssertFalse(try tensor(s, "brighter").isImage, "results of ops are not images")
    }

    func testLoadKeepsTheStoredElementType() throws {
        let npy = Self.fixtures + "npy"
        let (s, _) = run("""
            half = load("\(npy)/f2.npy")
            bytes = load("\(npy)/u1.npy")
            same = load("\(npy)/v1_f4.npy")
            """)
        XCTAssertEqual(try tensor(s, "half").dtype, .float32)
        XCTAssertEqual(try tensor(s, "half").storedDType, "f16")
        XCTAssertEqual(try tensor(s, "bytes").storedDType, "u8")
        XCTAssertNil(try tensor(s, "same").storedDType)
    }

    // MARK: load: the tree as language values

    /// Every checkpoint the fixture script wrote, against the tree torch.load reads
    /// (its <file>.json): dicts with their key order and key types, lists, tuples,
    /// numbers, strings, none, and tensors with their values, stored dtype and requires_grad.
    func testEveryCheckpointLoadsAsPyTorchsTree() throws {
        let files = ["state_dict.pt", "checkpoint.pt", "shared_views.pt", "dtypes.pt", "parameter.pt", "parameters.pt", "tensor.pt"]
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "torch/\(file).json"))
            let want = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            try compare(try load(Self.fixtures + "torch/" + file), want, file: file, place: file)
        }
    }

    private func compare(_ value: Value, _ want: [String: Any], file: String, place: String) throws {
        switch value {
        case .tensor(let t):
            let index = try XCTUnwrap(want["tensor"] as? Int, place)
            guard case .tensor(let expected) = try load(Self.fixtures + "torch/expected/\(file)/\(index).npy") else {
                return XCTFail("\(place): the expected .npy is not a tensor")
            }
            XCTAssertEqual(t.shape, expected.shape, place)
            XCTAssertEqual(t.toDoubles(), expected.toDoubles(), place)
            let stored = try XCTUnwrap(want["dtype"] as? String)
            XCTAssertEqual(t.storedDType ?? "\(t.dtype)", stored, place)
            XCTAssertEqual(t.requiresGrad, want["requires_grad"] as? Bool, place)
        case .dict(let box):
            let pairs = try XCTUnwrap(want["dict"] as? [[[String: Any]]], "\(place) is not a dict")
            XCTAssertEqual(box.entries.count, pairs.count, place)
            for (entry, pair) in zip(box.entries, pairs) {
                try compare(entry.key, pair[0], file: file, place: place + "/key")
                try compare(entry.value, pair[1], file: file, place: place + "[\(entry.key.repr)]")
            }
        case .list(let box): try compareItems(box.items, want["list"], file: file, place: place, kind: "list")
        case .tuple(let box): try compareItems(box.items, want["tuple"], file: file, place: place, kind: "tuple")
        case .int(let i): XCTAssertEqual(want["int"] as? Int, i, place)
        case .float(let d): XCTAssertEqual(want["float"] as? Double, d, place)
        case .string(let s): XCTAssertEqual(want["str"] as? String, s, place)
        case .bool(let b): XCTAssertEqual(want["bool"] as? Bool, b, place)
        case .none: XCTAssertTrue(want.keys.contains("none"), place)
        default: XCTFail("\(place): load gave a \(value.typeName)")
        }
    }

    private func compareItems(_ items: [Value], _ want: Any?, file: String, place: String, kind: String) throws {
        let wanted = try XCTUnwrap(want as? [[String: Any]], "\(place) is not a \(kind)")
        XCTAssertEqual(items.count, wanted.count, place)
        for (k, (item, w)) in zip(items, wanted).enumerated() { try compare(item, w, file: file, place: "\(place)[\(k)]") }
    }

    func testTensorsSharingAStorageStayShared() throws {
        // shared_views.pt: torch.save of a tensor and views of it; writing through one shows in the other.
        let (_, out) = run("""
            d = load("\(Self.fixtures)torch/shared_views.pt")
            before = d["window"].clone()
            d["base"].fill_(0)
            print(item(sum(abs(d["window"]))) == 0, item(sum(abs(d["t"]))) == 0, item(sum(abs(before))) > 0)
            """)
        XCTAssertEqual(out.text, "true true true\n")
    }

    func testNpzAndSafetensorsLoadAsDicts() throws {
        let (_, out) = run("""
            z = load("\(Self.fixtures)npz/compressed.npz")
            st = load("\(Self.fixtures)safetensors/all_dtypes.safetensors")
            print(z.keys())
            print(st.keys())
            print(st["__metadata__"])
            print(st["f16"].dtype, st["u8"].dtype)
            """)
        XCTAssertEqual(out.text, """
            ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
            ['i64', 'f64', 'empty', 'f32', 'scalar', 'i32', 'bf16', 'f16', 'i16', 'i8', 'u8', 'bool', '__metadata__']
            {'note': 'tensh fixture é', 'format': 'pt'}
            f32 i64

            """)
    }
}
