import Foundation
import XCTest
@testable import TenshEngine

final class NpyTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tensh-npy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
        Cancellation.reset()
    }

    private func fixturePath(_ name: String, subdirectory: String = "Fixtures/npy") throws -> String {
        let base = (name as NSString).deletingPathExtension
        return try XCTUnwrap(Bundle.module.url(forResource: base, withExtension: "npy", subdirectory: subdirectory), name).path
    }

    // MARK: Files written by numpy

    func testLoadsEveryNumpyFixture() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "expected", withExtension: "json", subdirectory: "Fixtures/npy"))
        let expected = try JSONDecoder().decode([String: FixtureTensor].self, from: Data(contentsOf: url))
        XCTAssertEqual(expected.count, 12)
        for (name, want) in expected {
            let t = try loadNpy(fixturePath(name))
            let w = try want.tensor()
            XCTAssertEqual(t.dtype, w.dtype, name)
            XCTAssertEqual(t.shape, w.shape, name)
            XCTAssertEqual(t.toDoubles(), w.toDoubles(), name) // exact: nothing is recomputed
        }
    }

    func testDigitsDataSetLoads() throws {
        let images = try loadNpy(fixturePath("digits_images", subdirectory: "Fixtures"))
        let labels = try loadNpy(fixturePath("digits_labels", subdirectory: "Fixtures"))
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
        let base = try testTensor([3, 4, 2], seed: 1)
        let cases: [(String, Tensor)] = [
            ("f64", base), ("f32", try base.to(.float32)), ("i64", try mul(base, .wrapped(1e6, dtype: .float64)).to(.int64)),
            ("bool", try gt(base, .wrapped(0, dtype: .float64))), ("scalar", Tensor(scalar: -7.25, dtype: .float64)),
            ("empty", try zeros([0, 5])), ("vector", try testTensor([7], seed: 2, dtype: .float32)),
            // A non-contiguous view must be written in logical (C) order.
            ("transposed", base.aliased(shape: [2, 4, 3], strides: [1, 2, 8], offset: 0)),
        ]
        for (name, t) in cases {
            let path = directory + "/\(name).npy"
            try saveNpy(t, path)
            let back = try loadNpy(path)
            XCTAssertEqual(back.dtype, t.dtype, name)
            XCTAssertEqual(back.shape, t.shape, name)
            XCTAssertEqual(back.toDoubles(), t.toDoubles(), name)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, cases.count, "no temporary files left")
    }

    func testSaveWritesTheSameBytesAsNumpy() throws {
        for (name, sub) in [("v1_f4", "Fixtures/npy"), ("digits_labels", "Fixtures"), ("bool", "Fixtures/npy")] {
            let original = try fixturePath(name, subdirectory: sub)
            try saveNpy(loadNpy(original), directory + "/copy.npy")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/copy.npy")),
                           try Data(contentsOf: URL(fileURLWithPath: original)), name)
        }
    }

    /// Version 2.0 (a 4-byte header length) is for headers above 65535 bytes, which only a
    /// shape of thousands of dimensions needs; tensors have at most 64, but such files still load.
    func testVersion2HeaderLoads() throws {
        XCTAssertThrowsError(try Tensor([3.5], shape: [Int](repeating: 1, count: 25000), dtype: .float64))
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }".utf8)
        while (12 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        let length = UInt32(header.count)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [2, 0]
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        bytes += header
        for v in [3.5, -1.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        let path = directory + "/v2.npy"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let back = try loadNpy(path)
        XCTAssertEqual(back.shape, [1, 2])
        XCTAssertEqual(back.toDoubles(), [3.5, -1])
    }

    func testInterruptedSaveLeavesTheOldFileIntact() throws {
        let path = directory + "/model.npy"
        try saveNpy(try testTensor([4], seed: 3), path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        Cancellation.request() // Ctrl-C arrives while writing
        assertEngineErrorContains(try saveNpy(try testTensor([1000], seed: 4), path), contains: "interrupted")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["model.npy"])
    }

    func testUnwritablePathsAreErrors() throws {
        let t = try testTensor([2], seed: 5)
        assertEngineErrorContains(try saveNpy(t, directory + "/missing/dir/x.npy"), contains: "cannot write \(directory)/missing/dir/x.npy: No such file or directory")
        assertEngineErrorContains(try saveNpy(t, directory), contains: "is a directory")
        assertEngineErrorContains(try saveNpy(t, "/proc/tensh-cannot-write.npy"), contains: "cannot write /proc/tensh-cannot-write.npy")
    }

    // MARK: Malformed files

    /// A .npy file: magic, version, little-endian header length, dict text, then `data`.
    private func npyBytes(_ dict: String, version: UInt8 = 1, data: [UInt8] = [], declaredLength: Int? = nil) -> [UInt8] {
        let header = Array(dict.utf8) + [0x0A]
        let length = declaredLength ?? header.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        for i in 0..<(version == 1 ? 2 : 4) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
        return bytes + header + data
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testMalformedFilesSayWhatIsWrong() throws {
        let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"
        let table: [(String, [UInt8], String)] = [
            ("empty", [], "only 0 bytes"),
            ("bad magic", Array("PK\u{3}\u{4} this is a zip file".utf8), "bad magic"),
            ("version 4", npyBytes(f4, version: 4), "unsupported .npy format version 4.0"),
            ("truncated header", Array(npyBytes(f4).prefix(40)), "truncated header (header length 60 runs past the end of the 40-byte file)"),
            ("unparsable dict", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}"), "cannot parse the header dict"),
            ("not a dict", npyBytes("[1, 2]"), "header is not a dict"),
            ("missing shape", npyBytes("{'descr': '<f4', 'fortran_order': False}"), "must have 'descr' (string), 'fortran_order' (bool) and 'shape'"),
            ("negative dim", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -4), }"), "non-negative integers"),
            ("complex", npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }"), "unsupported dtype descr '<c8'"),
            ("float16", npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }"), "unsupported dtype descr '<f2'"),
            ("structured", npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }"), "structured dtypes are not supported"),
            ("overflow", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }"), "too many elements"),
            ("huge shape, no data", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"),
             "needs 8000000000000 data bytes but the file has 0"),
            ("huge header", Array(npyBytes(f4, version: 2, declaredLength: 1 << 30)), "header length 1073741824 is implausibly large"),
            ("truncated data", npyBytes(f4, data: [UInt8](repeating: 0, count: 20)), "is truncated: shape [3, 4] of '<f4' needs 48 data bytes but the file has 20"),
        ]
        for (name, bytes, message) in table {
            let path = try write(bytes, name.replacingOccurrences(of: " ", with: "_") + ".npy")
            assertEngineErrorContains(try loadNpy(path), contains: message)
        }
    }

    func testTrailingBytesAreIgnoredLikeNumpy() throws {
        let data = (0..<12).flatMap { i -> [UInt8] in withUnsafeBytes(of: Float(i).bitPattern.littleEndian, Array.init) }
        let path = try write(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", data: data + [1, 2, 3]), "trailing.npy")
        XCTAssertEqual(try loadNpy(path).toDoubles(), (0..<12).map(Double.init))
    }

    func testAllocationLimitIsEnforced() throws {
        let path = directory + "/big.npy"
        try saveNpy(try zeros([1000], dtype: .float64), path)
        let saved = EngineConfig.maxTensorBytes
        EngineConfig.maxTensorBytes = 4000
        defer { EngineConfig.maxTensorBytes = saved }
        assertEngineErrorContains(try loadNpy(path), contains: "exceeds the allocation limit of 4000 bytes")
    }

    func testNonRegularFilesAreRejectedWithoutReading() throws {
        assertEngineErrorContains(try loadNpy(directory), contains: "is a directory")
        assertEngineErrorContains(try loadNpy("/dev/zero"), contains: "/dev/zero is a device")
        assertEngineErrorContains(try loadNpy(directory + "/nope.npy"), contains: "cannot open \(directory)/nope.npy: No such file or directory")
        let fifo = directory + "/pipe.npy"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertEngineErrorContains(try loadNpy(fifo), contains: "is not a regular file") // and does not block waiting for a writer
    }
}
