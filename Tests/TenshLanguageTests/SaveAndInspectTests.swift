import Foundation
@testable import TenshLanguage
import TenshEngine
import XCTest

/// `save` of a dict of tensors (.npz, .safetensors), `inspect`, and the REPL echo
/// of a loaded state_dict. With TENSH_WRITTEN_DIR set, the files are written
/// there with a manifest, and `python3 scripts/fixtures/files.py --check-written`
/// reads them back with NumPy and safetensors (Python stays out of the suite).
final class SaveAndInspectTests: XCTestCase {
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "tensh-save-inspect-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    @discardableResult
    private func run(_ source: String, _ session: Session? = nil, file: StaticString = #filePath, line: UInt = #line) -> CapturedOutput {
        let output = CapturedOutput()
        let s = session ?? Session(output: output)
        let outcome = s.run(source: source)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered, file: file, line: line)
        return output
    }

    private func failure(_ source: String) -> String {
        Session(output: CapturedOutput()).run(source: source).rendered
    }

    static let tensors = """
        w = {"conv.weight": randn(4, 1, 3, 3, seed=1), "conv.bias": tensor([0.5, -1.0, 2.0, 0.0]),
             "double": randn(2, 3, dtype="f64", seed=2), "steps": tensor([3, -1, 7], dtype="i64"),
             "mask": tensor([[true, false], [false, true]]), "scalar": tensor(0.25),
             "transposed": randn(3, 5, seed=3).T}
        """

    func testSaveDictRoundTripsThroughNpzAndSafetensors() throws {
        let folder = ProcessInfo.processInfo.environment["TENSH_WRITTEN_DIR"] ?? scratch
        let output = run(Self.tensors + """

            st = w.copy()
            st["__metadata__"] = {"format": "pt", "source": "tensh"}
            save(w, "\(folder)/dict.npz")
            save(st, "\(folder)/dict.safetensors")
            for name in w.keys() {
                save(w[name], "\(folder)/dict.npz." + name + ".npy")
            }
            z = load("\(folder)/dict.npz")
            s = load("\(folder)/dict.safetensors")
            print(z.keys() == w.keys(), s.keys() == st.keys(), s["__metadata__"])
            same = true
            for name in w.keys() {
                same = same and w[name].shape == z[name].shape and all(w[name] == z[name]) and all(w[name] == s[name])
                same = same and z[name].dtype == w[name].dtype and s[name].dtype == w[name].dtype
            }
            print(same)
            """)
        XCTAssertEqual(output.text, "true true {'format': 'pt', 'source': 'tensh'}\ntrue\n")
        let names = ["conv.weight", "conv.bias", "double", "steps", "mask", "scalar", "transposed"]
        let manifest: [String: Any] = ["npz": ["dict.npz": names],
                                       "safetensors": ["dict.safetensors": ["names": names, "metadata": [["format", "pt"], ["source", "tensh"]],
                                                                            "expected": "dict.npz"]]]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: folder + "/manifest-language.json"))
    }

    func testSaveDictErrors() {
        let cases: [(String, String)] = [
            ("save({\"a\": ones(2)}, \"\(scratch)/d.npy\")", "a dict of tensors is saved to .npz or .safetensors"),
            ("save({1: ones(2)}, \"\(scratch)/d.npz\")", "the keys of a saved dict must be strings (tensor names), not 1"),
            ("save({\"m\": {\"w\": ones(2)}}, \"\(scratch)/d.npz\")", "x['m'] is a dict, not a tensor: .npz files hold a flat dict of tensors"),
            ("save({\"n\": 3}, \"\(scratch)/d.safetensors\")", "x['n'] is an int, not a tensor"),
            ("save({\"__metadata__\": {\"a\": 1}}, \"\(scratch)/d.safetensors\")", "__metadata__ must map strings to strings"),
            ("save(ones(2), \"\(scratch)/d.safetensors\")", "a .safetensors file holds named tensors: save a dict"),
            ("save([ones(2)], \"\(scratch)/d.npz\")", "save:"),
            ("save({\"a\": ones(2)}, \"\(scratch)/d.pt\")", "tensh does not write pickles"),
        ]
        for (source, message) in cases {
            XCTAssertTrue(failure(source).contains(message), "\(source): \(failure(source))")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [], "a refused save writes nothing")
    }

    func testInspectPrintsOneLinePerTensor() {
        let output = run("""
            d = {"layer": {"weight": tensor([[1.0, 2.0], [3.0, 4.0]]), "bias": tensor([-1.0, 1.0])},
                 "steps": tensor([2, 4, 6], dtype="i64"), "epoch": 3, "name": "cnn", "empty": zeros(0, 2)}
            inspect(d)
            inspect(d["layer"]["weight"])
            """)
        XCTAssertEqual(output.text, """
            4 tensors, 9 values
            name          shape   dtype  min  max  mean    std
            layer.weight  [2, 2]  f32      1    4   2.5  1.291
            layer.bias    [2]     f32     -1    1     0  1.414
            steps         [3]     i64      2    6     4      2
            empty         [0, 2]  f32      -    -     -      -
            epoch = 3
            name = 'cnn'
            1 tensor, 4 values
            name                  shape   dtype  min  max  mean    std
            d["layer"]["weight"]  [2, 2]  f32      1    4   2.5  1.291

            """)
    }

    func testStatisticsReadStridedTensorsOfManyChunks() {
        // 100,000 values, more than one chunk, through a transposed (non-contiguous) view: as NumPy computes them.
        let output = run("""
            x = arange(100000, dtype="f64").reshape(1000, 100).T
            inspect(x)
            summary(x)
            """)
        XCTAssertEqual(output.text, """
            1 tensor, 100000 values
            name  shape        dtype  min    max   mean        std
            x     [100, 1000]  f64      0  1e+05  5e+04  2.887e+04
            shape=[100, 1000] dtype=f64 min=0 max=1e+05 mean=5e+04 std=2.887e+04 nan=0 inf=0

            """)
    }

    func testInspectOfAPathShowsTheStoredTypes() {
        let path = FileBuiltinsTests.fixtures + "safetensors/all_dtypes.safetensors"
        let lines = run("inspect(\"\(path)\")").text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "'\(path)': a .safetensors file, 12 tensors, 46 values")
        XCTAssertTrue(lines.contains { $0.hasPrefix("f16 ") && $0.contains(" f16→f32 ") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("bf16 ") && $0.contains(" bf16→f32 ") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("u8 ") && $0.contains(" u8→i64 ") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("f32 ") && $0.contains(" f32 ") && !$0.contains("→") }, "\(lines)")
        XCTAssertEqual(lines.last, "__metadata__.format = 'pt'")
        XCTAssertTrue(failure("inspect(3)").contains("inspect takes a dict, list, tuple or tensor, or the path of a data file; got int"))
        XCTAssertTrue(failure("inspect(\"\(scratch)/missing.pt\")").contains("missing.pt"))
    }

    func testEchoOfALoadedStateDictIsCompactAndShowsTheStoredType() {
        let output = CapturedOutput()
        let session = Session(output: output, mode: .repl)
        let path = FileBuiltinsTests.fixtures + "torch/dtypes.pt"
        XCTAssertEqual(session.run(source: "d = load(\"\(path)\")").status, .ok)
        XCTAssertEqual(session.run(source: "d").status, .ok)
        // Past 8 elements a tensor in a dict echoes as a summary, with the type the file stored.
        XCTAssertTrue(output.text.hasPrefix("{'f16': <tensor [3, 5] f16→f32>,\n 'bf16': tensor([-0.1543,  1.3359,  1.2344,  1.2812]),\n"), output.text)
    }
}
