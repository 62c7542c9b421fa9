import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

final class NpyTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try ScratchDirectory() }

    override func tearDownWithError() throws {
        scratch.remove()
        Cancellation.reset()
    }

    // MARK: Files written by numpy

    /// expected.json's tensors: `{"shape": [...], "dtype": "f32", "data": [...]}` (bools as true/false).
    private struct ExpectedTensor: Decodable {
        let shape: [Int]
        let dtype: String
        let data: [Number]

        struct Number: Decodable {
            let value: Double
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let b = try? c.decode(Bool.self) { value = b ? 1 : 0 } else { value = try c.decode(Double.self) }
            }
        }
    }

    func testLoadsEveryNumpyFixture() throws {
        let url = URL(fileURLWithPath: try Fixture.path("npy/expected.json"))
        let expected = try JSONDecoder().decode([String: ExpectedTensor].self, from: Data(contentsOf: url))
        XCTAssertEqual(expected.count, 13)
        for (name, want) in expected {
            let t = try loadNpy(try Fixture.path("npy/" + name))
            let w = try Tensor(want.data.map(\.value), shape: want.shape, dtype: DType(name: want.dtype) ?? .float32)
            assertSameTensor(t, w, name) // exact: nothing is recomputed
        }
    }

    func testStoredElementTypeIsKept() throws {
        let t = try NpyReader.read(SourceStream(try InputFile(path: try Fixture.path("npy/f2.npy"), op: "load")))
        XCTAssertEqual(t.tensor.dtype, .float32)
        XCTAssertEqual(t.dtypeText, "f16→f32")
        let u = try NpyReader.read(SourceStream(try InputFile(path: try Fixture.path("npy/u1.npy"), op: "load")))
        XCTAssertEqual(u.dtypeText, "u8→i64")
        let f = try NpyReader.read(SourceStream(try InputFile(path: try Fixture.path("npy/big_endian_f8.npy"), op: "load")))
        XCTAssertEqual(f.dtypeText, "f64")
        // The stored type travels with the tensor itself, so the language can show it later.
        XCTAssertEqual(t.tensor.storedDType, "f16")
        XCTAssertEqual(u.tensor.storedDType, "u8")
        XCTAssertNil(f.tensor.storedDType)
        XCTAssertNil(try (t.tensor + t.tensor).storedDType, "results of ops do not inherit it")
    }

    func testDigitsDataSetLoads() throws {
        let images = try loadNpy(Fixture.projectPath("scripts/examples/data/digits_images.npy"))
        let labels = try loadNpy(Fixture.projectPath("scripts/examples/data/digits_labels.npy"))
        XCTAssertEqual(images.shape, [1797, 1, 8, 8])
        XCTAssertEqual(images.dtype, .float32)
        XCTAssertEqual(labels.shape, [1797])
        XCTAssertEqual(labels.dtype, .int64)
        let pixels = images.toDoubles()
        XCTAssertEqual(pixels.min(), 0)
        XCTAssertEqual(pixels.max(), 1)
        let classes = labels.toInt64s()
        XCTAssertEqual(Set(classes), Set(0...9))
        for c in 0...9 { XCTAssertGreaterThan(classes.filter { $0 == Int64(c) }.count, 150, "class \(c)") }
    }

    // MARK: Saving

    func testRoundTripEveryDTypeAndLayout() throws {
        let base = try sampleTensor([3, 4, 2], seed: 1)
        let cases: [(String, Tensor)] = [
            ("f64", base), ("f32", try base.to(.float32)), ("i64", try mul(base, .wrapped(1e6, dtype: .float64)).to(.int64)),
            ("bool", try gt(base, .wrapped(0, dtype: .float64))), ("scalar", Tensor(scalar: -7.25, dtype: .float64)),
            ("empty", try zeros([0, 5])), ("vector", try sampleTensor([7], seed: 2, dtype: .float32)),
            // A non-contiguous view must be written in logical (C) order.
            ("transposed", try Tensor.strided(over: base, shape: [2, 4, 3], strides: [1, 2, 8], offset: 0, op: "test")),
        ]
        for (name, t) in cases {
            let path = scratch.file("\(name).npy")
            try saveNpy(t, path)
            assertSameTensor(try loadNpy(path), try t.contiguous(), name)
        }
        XCTAssertEqual(try scratch.contents().count, cases.count, "no temporary files left")
    }

    func testSaveWritesTheSameBytesAsNumpy() throws {
        for original in [try Fixture.path("npy/v1_f4.npy"), Fixture.projectPath("scripts/examples/data/digits_labels.npy"),
                         try Fixture.path("npy/bool.npy")] {
            try saveNpy(loadNpy(original), scratch.file("copy.npy"))
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: scratch.file("copy.npy"))),
                           try Data(contentsOf: URL(fileURLWithPath: original)), original)
        }
    }

    func testVeryLongHeaderUsesVersion2() throws {
        // A 2.0 header is needed past 65535 bytes, far beyond any shape a tensor may have (rank <= 64).
        let t = try Tensor([3.5], shape: [Int](repeating: 1, count: 64), dtype: .float64)
        let preamble = NpyFormat.preamble(descr: "<f8", shape: [Int](repeating: 1, count: 25000))
        XCTAssertEqual(preamble[6], 2)
        XCTAssertEqual(preamble.count % 64, 0) // data starts on a 64-byte boundary
        let path = scratch.file("rank64.npy")
        try saveNpy(t, path)
        XCTAssertEqual(try loadNpy(path).shape.count, 64)
    }

    /// A file NumPy wrote with a 2.0 header (a 4-byte header length) loads.
    func testVersion2HeaderLoads() throws {
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }".utf8)
        while (12 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        let length = UInt32(header.count)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [2, 0]
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        bytes += header
        for v in [3.5, -1.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        let path = scratch.file("v2.npy")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let back = try loadNpy(path)
        XCTAssertEqual(back.shape, [1, 2])
        XCTAssertEqual(back.toDoubles(), [3.5, -1])
    }

    func testInterruptedSaveLeavesTheOldFileIntact() throws {
        let path = scratch.file("model.npy")
        try saveNpy(try sampleTensor([4], seed: 3), path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        Cancellation.request() // Ctrl-C arrives while writing
        assertFails(try saveNpy(try sampleTensor([1000], seed: 4), path), contains: "interrupted")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try scratch.contents(), ["model.npy"])
    }

    func testUnwritablePathsAreErrors() throws {
        let t = try sampleTensor([2], seed: 5)
        let missing = scratch.file("missing/dir/x.npy")
        assertFails(try saveNpy(t, missing), contains: "save: cannot write '\(missing)': No such file or directory")
        assertFails(try saveNpy(t, scratch.path), contains: "save: '\(scratch.path)' names a directory, not a file")
        assertFails(try saveNpy(t, "/proc/tensh-cannot-write.npy"), contains: "cannot write '/proc/tensh-cannot-write.npy'")
    }

    // MARK: Malformed files

    /// A .npy file: magic, version, little-endian header length, dict text, then `data`.
    func npyBytes(_ dict: String, version: UInt8 = 1, data: [UInt8] = [], declaredLength: Int? = nil) -> [UInt8] {
        let header = Array(dict.utf8) + [0x0A]
        let length = declaredLength ?? header.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        for i in 0..<(version == 1 ? 2 : 4) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
        return bytes + header + data
    }

    func testMalformedFilesSayWhatIsWrong() throws {
        let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"
        let table: [(String, [UInt8], String)] = [
            ("empty", [], "not a .npy file: only 0 bytes"),
            ("bad magic", Array("PK\u{3}\u{4} this is a zip file".utf8), "bad magic"),
            ("version 4", npyBytes(f4, version: 4), "at byte 6: unsupported .npy format version 4.0"),
            ("truncated header", Array(npyBytes(f4).prefix(40)), "at byte 8: truncated header (header length 60 runs past the end of the 40-byte file)"),
            ("unparsable dict", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}"), "at byte 10: cannot parse the header dict"),
            ("not a dict", npyBytes("[1, 2]"), "header is not a dict"),
            ("missing shape", npyBytes("{'descr': '<f4', 'fortran_order': False}"), "must have 'descr' (string), 'fortran_order' (bool) and 'shape'"),
            ("negative dim", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -4), }"), "non-negative integers"),
            ("complex", npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }"), "unsupported dtype descr '<c8'"),
            ("uint64", npyBytes("{'descr': '<u8', 'fortran_order': False, 'shape': (3,), }"), "unsupported dtype descr '<u8'"),
            ("structured", npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }"), "structured dtypes are not supported"),
            ("overflow", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }"), "too many elements"),
            ("huge shape, no data", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"),
             "needs 8000000000000 data bytes but the file has 0"),
            ("huge header", Array(npyBytes(f4, version: 2, declaredLength: 1 << 30)), "header length 1073741824 is implausibly large"),
            ("truncated data", npyBytes(f4, data: [UInt8](repeating: 0, count: 20)), "truncated: shape [3, 4] of '<f4' needs 48 data bytes but the file has 20"),
            ("control characters", npyBytes("{'descr': '\u{1b}]0;pwned\u{7}', 'fortran_order': False, 'shape': (3,), }"), "'\\x1b]0;pwned\\x07'"),
        ]
        for (name, bytes, message) in table {
            let path = try scratch.write(bytes, name.replacingOccurrences(of: " ", with: "_") + ".npy")
            let text = assertFails(try loadNpy(path), contains: message)
            XCTAssertTrue(text?.hasPrefix("load: '\(path)'") ?? false, "\(name): \(text ?? "")")
            XCTAssertFalse(text?.contains("\u{1b}") ?? true, "\(name): an escape character reached the message")
        }
    }

    func testTrailingBytesAreIgnoredLikeNumpy() throws {
        let data = (0..<12).flatMap { i -> [UInt8] in withUnsafeBytes(of: Float(i).bitPattern.littleEndian, Array.init) }
        let path = try scratch.write(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", data: data + [1, 2, 3]), "trailing.npy")
        XCTAssertEqual(try loadNpy(path).toDoubles(), (0..<12).map(Double.init))
    }

    func testAllocationLimitIsEnforcedBeforeReading() throws {
        let path = scratch.file("big.npy")
        try saveNpy(try zeros([1000], dtype: .float64), path)
        let saved = EngineConfig.maxTensorBytes
        EngineConfig.maxTensorBytes = 4000
        defer { EngineConfig.maxTensorBytes = saved }
        assertFails(try loadNpy(path), contains: "a tensor of shape [1000] (f64) needs 8000 bytes, which exceeds the allocation limit of 4000 bytes")
    }

    func testNonRegularFilesAreRejectedWithoutReading() throws {
        assertFails(try loadNpy(scratch.path), contains: "it is a directory, not a regular file")
        assertFails(try loadNpy("/dev/zero"), contains: "load: '/dev/zero': it is a character device, not a regular file")
        assertFails(try loadNpy(scratch.file("nope.npy")), contains: "cannot open '\(scratch.file("nope.npy"))': No such file or directory")
        let fifo = scratch.file("pipe.npy")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertFails(try loadNpy(fifo), contains: "it is a FIFO (named pipe), not a regular file") // and does not block waiting for a writer
    }

    func testPathWithNulIsRefused() throws {
        let good = scratch.file("good.npy")
        try saveNpy(try sampleTensor([2], seed: 6), good)
        assertFails(try loadNpy(good + "\0junk"), contains: "contains a NUL character")
        assertFails(try saveNpy(try sampleTensor([2], seed: 6), good + "\0junk"), contains: "contains a NUL character")
        XCTAssertEqual(try scratch.contents(), ["good.npy"])
    }
}
