import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// Bad and hostile files: each is a clear error naming the file and what is
/// wrong, with no crash, no hang and nothing written. Each row starts from a
/// good fixture and breaks one thing.
final class HostileFileTests: XCTestCase {
    struct Row {
        let name: String
        let bytes: [UInt8]
        let parser: ParserEntry
        let message: String
    }

    private var scratch: ScratchDirectory!
    private var savedLimit = 0

    override func setUpWithError() throws {
        scratch = try ScratchDirectory()
        savedLimit = EngineConfig.maxTensorBytes
    }

    override func tearDownWithError() throws {
        EngineConfig.maxTensorBytes = savedLimit
        scratch.remove()
    }

    func testEveryHostileFileIsAClearError() throws {
        let rows = try zipRows() + (try checkpointRows()) + (try safetensorsRows()) + (try imageRows()) + PickleRows.all
        XCTAssertGreaterThanOrEqual(rows.count, 50)
        for row in rows {
            EngineConfig.maxTensorBytes = row.message.contains("allocation limit") ? 1 << 20 : savedLimit
            // A pickle reaches `load` inside a checkpoint.
            let extensions: [ParserEntry: String] = [.png: "png", .jpeg: "jpg", .zip: "npz", .safetensors: "safetensors", .pickle: "pt"]
            let name = "input." + (row.name.hasPrefix("checkpoint") ? "pt" : extensions[row.parser] ?? "bin")
            let path = try scratch.write(row.parser == .pickle ? try checkpoint(holding: row.bytes) : row.bytes, name)
            // Through the file readers `load` and `load_image` use, and through the in-memory entry the fuzzers use.
            let fromFile: () throws -> Void = row.parser == .png || row.parser == .jpeg
                ? { _ = try ImageFile.load(path) } : { _ = try DataFile.load(path) }
            let message = assertFails(try fromFile(), contains: row.message)
            XCTAssertTrue(message?.contains("'\(path)'") ?? false, "\(row.name): the message names the file: \(message ?? "")")
            assertFails(try row.parser.parse(row.bytes), contains: row.message)
            XCTAssertEqual(try scratch.contents(), [name], "\(row.name) wrote something")
            unlink(path)
        }
    }

    // MARK: Rows

    private func zipRows() throws -> [Row] {
        let stored = try Fixture.bytes("npz/stored.npz"), compressed = try Fixture.bytes("npz/compressed.npz")
        let first = try ZipArchive(MemorySource(stored, context: FileContext(op: "t", path: "t"))).entries[0]
        let deflated = try ZipArchive(MemorySource(compressed, context: FileContext(op: "t", path: "t"))).entries[0]
        let firstData = dataStart(stored, first), deflatedData = dataStart(compressed, deflated)
        let end = stored.count - 22
        return [
            Row(name: "truncated zip", bytes: Array(stored.prefix(stored.count / 2)), parser: .zip, message: "no end-of-central-directory record"),
            Row(name: "tiny zip", bytes: Array(stored.prefix(12)), parser: .zip, message: "not a zip archive: only 12 bytes"),
            Row(name: "CRC mismatch", bytes: patched(stored, at: firstData + 140, [0x55]),
                parser: .zip, message: "CRC-32 mismatch"),
            Row(name: "stored size lies", bytes: patched(stored, at: first.recordOffset + 24, le32(first.size + 4)),
                parser: .zip, message: "member 'a.npy' is stored in 176 bytes but declares a size of 180"),
            Row(name: "deflate size too large", bytes: patched(compressed, at: deflated.recordOffset + 24, le32(deflated.size + 100)),
                parser: .zip, message: "before the declared size"),
            Row(name: "deflate size too small", bytes: patched(compressed, at: deflated.recordOffset + 24, le32(deflated.size - 1)),
                parser: .zip, message: "truncated: shape [3, 4] of '<f4' needs 48 data bytes but the file has 47"),
            Row(name: "inflates past its size", bytes: try Fixture.bytes("hostile/inflates_past_size.npz"), parser: .zip,
                message: "(member 'a.npy') at byte 176: the member inflates past its declared size of 176 bytes"),
            Row(name: "inflate bomb", bytes: patched(compressed, at: deflated.recordOffset + 24, le32(200 << 20)),
                parser: .zip, message: "exceeds the allocation limit of 1048576 bytes"),
            Row(name: "corrupt deflate", bytes: patched(compressed, at: deflatedData, [0xFF, 0xFF, 0xFF]),
                parser: .zip, message: "corrupt deflate data"),
            Row(name: "entry count lies", bytes: patched(stored, at: end + 8, [0xE8, 0x03, 0xE8, 0x03]), parser: .zip,
                message: "claims 1000 entries"),
            Row(name: "directory outside the file", bytes: patched(stored, at: end + 16, le32(stored.count * 2)), parser: .zip,
                message: "lies outside the file"),
            Row(name: "local header offset lies", bytes: patched(stored, at: first.recordOffset + 42, le32(stored.count - 10)),
                parser: .zip, message: "the file ends before the 30 bytes of data there"),
            Row(name: "encrypted", bytes: patched(stored, at: first.recordOffset + 8, [0x01, 0x00]), parser: .zip, message: "member 'a.npy' is encrypted"),
            Row(name: "bzip2", bytes: patched(stored, at: first.recordOffset + 10, [12, 0]), parser: .zip,
                message: "member 'a.npy' uses compression method 12, which is not supported"),
            Row(name: "member that is not npy", bytes: patched(stored, at: firstData, [0x50]),
                parser: .zip, message: "(member 'a.npy') at byte 0: not a .npy file: bad magic"),
        ]
    }

    private func checkpointRows() throws -> [Row] {
        let good = try Fixture.bytes("torch/tensor.pt")
        let archive = try ZipArchive(MemorySource(good, context: FileContext(op: "t", path: "t")))
        let withoutData = try rewritten(archive) { name, data in name.hasSuffix("/data/0") ? nil : data }
        let shortData = try rewritten(archive) { name, data in name.hasSuffix("/data/0") ? Array(data.prefix(12)) : data }
        let badOrder = try rewritten(archive) { name, data in name.hasSuffix("/byteorder") ? Array("middle".utf8) : data }
        let pickle = try archive.bytes(of: try XCTUnwrap(archive.entries.first(where: TorchCheckpoint.isPickle)))
        let hugeView = try rewritten(archive) { name, data in
            // size (2, 2, 2) -> (2, 2, 200): the view reaches past its 8-element storage.
            name.hasSuffix("data.pkl") ? replacing(pickle, [0x4B, 2, 0x4B, 2, 0x4B, 2, 0x87], with: [0x4B, 2, 0x4B, 2, 0x4B, 200, 0x87]) : data
        }
        return [
            Row(name: "checkpoint: missing storage", bytes: withoutData, parser: .zip, message: "the archive has no member 'tensor/data/0'"),
            Row(name: "checkpoint: storage size lies", bytes: shortData, parser: .zip, message: "the pickle says this storage holds 8 f32 elements (32 bytes) but the member has 12 bytes"),
            Row(name: "checkpoint: bad byteorder", bytes: badOrder, parser: .zip, message: "byteorder is 'middle'"),
            Row(name: "checkpoint: view past its storage", bytes: hugeView, parser: .zip, message: "reaches past the 8 elements of its storage"),
            Row(name: "checkpoint: truncated", bytes: Array(good.prefix(good.count - 40)), parser: .zip, message: "no end-of-central-directory record"),
        ]
    }

    private func safetensorsRows() throws -> [Row] {
        func file(_ header: String, data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.appendLittleEndian(header.utf8.count, bytes: 8)
            return bytes + Array(header.utf8) + data
        }
        let good = try Fixture.bytes("safetensors/all_dtypes.safetensors")
        return [
            Row(name: "safetensors truncated", bytes: Array(good.prefix(good.count - 3)), parser: .safetensors, message: "run past the 148 bytes of data after the header (truncated?)"),
            Row(name: "header past the end", bytes: patched(good, at: 0, le32(good.count)), parser: .safetensors,
                message: "truncated: the header length"),
            Row(name: "not JSON", bytes: file("{\"a\": [1, 2"), parser: .safetensors, message: "at byte 19: the header is not valid JSON: missing ']'"),
            Row(name: "deep JSON", bytes: file("{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"),
                parser: .safetensors, message: "nested more than 64 levels deep"),
            Row(name: "offsets past the data", bytes: file(#"{"w":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}}"#), parser: .safetensors,
                message: "tensor 'w': data_offsets [0, 32] run past the 16 bytes of data after the header (truncated?)"),
            Row(name: "size does not match the shape", bytes: file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#),
                parser: .safetensors, message: "tensor 'w' of shape [3] and dtype F32 needs 12 bytes, but its data_offsets [0, 16] hold 16"),
            Row(name: "overlapping tensors", bytes: file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#),
                parser: .safetensors, message: "the data of 'a' and 'b' overlap"),
            Row(name: "unknown dtype", bytes: file(#"{"w":{"dtype":"F8_E4M3","shape":[16],"data_offsets":[0,16]}}"#), parser: .safetensors,
                message: "has dtype 'F8_E4M3', which tensh cannot load"),
            Row(name: "negative size", bytes: file(#"{"w":{"dtype":"U8","shape":[-16],"data_offsets":[0,16]}}"#), parser: .safetensors,
                message: "shape and data_offsets must hold non-negative integers"),
            Row(name: "tensors above the limit", bytes: limitFile(), parser: .safetensors, message: "exceeds the allocation limit of 1048576 bytes"),
            Row(name: "metadata not strings", bytes: file(#"{"__metadata__":{"a":1}}"#), parser: .safetensors, message: "__metadata__ value of 'a' is not a string"),
        ]
    }

    /// A safetensors file whose one tensor claims 2^20 f16 elements: 4 MiB as f32, above a 1 MiB limit.
    private func limitFile() -> [UInt8] {
        let header = #"{"w":{"dtype":"F16","shape":[1048576],"data_offsets":[0,2097152]}}"#
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(header.utf8.count, bytes: 8)
        return bytes + Array(header.utf8) + [UInt8](repeating: 0, count: 2_097_152)
    }

    private func imageRows() throws -> [Row] {
        let png = try Fixture.bytes("images/rgb8.png"), jpeg = try Fixture.bytes("images/baseline_420.jpg")
        // IHDR: 8 signature bytes, length, "IHDR", width, height at 16..<24, CRC at 29..<33.
        var bomb = patched(png, at: 16, [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0]) // 100000 x 100000
        var crc = CRC32()
        bomb.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[12..<29])) }
        bomb = patched(bomb, at: 29, [UInt8(crc.value >> 24), UInt8(crc.value >> 16 & 0xFF), UInt8(crc.value >> 8 & 0xFF), UInt8(crc.value & 0xFF)])
        let sof = try XCTUnwrap((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        return [
            Row(name: "truncated PNG", bytes: Array(png.prefix(png.count - 30)), parser: .png, message: "not a readable PNG"),
            Row(name: "PNG header CRC", bytes: patched(png, at: 29, [0, 0, 0, 0]), parser: .png, message: "IHDR: CRC error"),
            Row(name: "PNG bomb", bytes: bomb, parser: .png, message: "an image of 100000x100000 pixels needs 30000000000 bytes, which exceeds the allocation limit"),
            Row(name: "PNG signature only", bytes: Array(png.prefix(8)), parser: .png, message: "not a readable PNG"),
            Row(name: "truncated JPEG", bytes: Array(jpeg.prefix(jpeg.count / 2)), parser: .jpeg, message: "the file ends before the image data does (truncated)"),
            Row(name: "JPEG bomb", bytes: patched(jpeg, at: sof + 5, [0xFD, 0xE8, 0xFD, 0xE8]), parser: .jpeg,
                message: "an image of 65000x65000 pixels needs 12675000000 bytes, which exceeds the allocation limit"),
            Row(name: "JPEG with 1100 scans", bytes: try Fixture.bytes("hostile/many_scans.jpg"), parser: .jpeg,
                message: "not a readable JPEG: more than 1000 scans"),
            Row(name: "JPEG without image data", bytes: Array(jpeg.prefix(4)), parser: .jpeg, message: "not a readable JPEG"),
            Row(name: "neither", bytes: Array("GIF89a....".utf8), parser: .png, message: "not a PNG or JPEG image (the first bytes are 47 49 46 38 39 61 2e 2e)"),
        ]
    }

    // MARK: Byte surgery

    private func patched(_ bytes: [UInt8], at offset: Int, _ replacement: [UInt8]) -> [UInt8] {
        var out = bytes
        out.replaceSubrange(offset..<(offset + replacement.count), with: replacement)
        return out
    }

    /// Where a member's data starts: after its local header, name and extra field.
    private func dataStart(_ zip: [UInt8], _ entry: ZipEntry) -> Int {
        entry.localHeaderOffset + 30 + zip.uint16(at: entry.localHeaderOffset + 26) + zip.uint16(at: entry.localHeaderOffset + 28)
    }

    private func le32(_ v: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(v, bytes: 4)
        return out
    }

    private func replacing(_ bytes: [UInt8], _ pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let at = (0...(bytes.count - pattern.count)).first(where: { Array(bytes[$0..<($0 + pattern.count)]) == pattern }) else {
            XCTFail("pattern not found")
            return bytes
        }
        return patched(bytes, at: at, replacement)
    }

    /// A checkpoint whose data.pkl is `pickle`.
    private func checkpoint(holding pickle: [UInt8]) throws -> [UInt8] {
        let path = scratch.file("checkpoint.zip")
        defer { unlink(path) }
        try AtomicFile.write(to: path, op: "test") { sink in
            let zip = ZipWriter(sink: sink)
            try pickle.withUnsafeBytes { try zip.addStored(name: "archive/data.pkl", parts: [$0]) }
            try Array("little".utf8).withUnsafeBytes { try zip.addStored(name: "archive/byteorder", parts: [$0]) }
            try zip.finish()
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The archive's members again, each changed (or dropped, for nil) by `change`.
    private func rewritten(_ archive: ZipArchive, _ change: (String, [UInt8]) -> [UInt8]?) throws -> [UInt8] {
        let path = scratch.file("rewritten.zip")
        defer { unlink(path) }
        try AtomicFile.write(to: path, op: "test") { sink in
            let zip = ZipWriter(sink: sink)
            for entry in archive.entries {
                guard let data = change(entry.name, try archive.bytes(of: entry)) else { continue }
                try data.withUnsafeBytes { try zip.addStored(name: entry.name, parts: [$0]) }
            }
            try zip.finish()
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
