import Foundation
import XCTest
@testable import TenshRender

final class PngEncoderTests: XCTestCase {
    func testKnownChecksums() {
        // Reference values from zlib's crc32/adler32 of "123456789".
        let digits = Array("123456789".utf8)
        XCTAssertEqual(PngEncoder.crc32(digits), 0xCBF43926)
        XCTAssertEqual(PngEncoder.adler32(digits), 0x091E01DE)
    }

    func testStructureAndPixelsRoundTrip() throws {
        let width = 300, height = 250 // > 65535 bytes of scanlines: several stored blocks
        let rgb = (0..<(width * height * 3)).map { UInt8($0 % 251) }
        let png = try XCTUnwrap(PngEncoder.encode(width: width, height: height, rgb: rgb))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = try parseChunks(png)
        XCTAssertEqual(chunks.map(\.type), ["IHDR", "IDAT", "IEND"])
        XCTAssertEqual(Array(chunks[0].data.prefix(8)), PngEncoder.bigEndian(300) + PngEncoder.bigEndian(250))
        let raw = try inflateStored(chunks[1].data)
        XCTAssertEqual(raw, PngEncoder.scanlines(width: width, height: height, rgb: rgb))
    }

    func testPythonZlibAcceptsTheStream() throws {
        // Cross-check with an independent decoder when python3 is available.
        let png = try XCTUnwrap(PngEncoder.encode(width: 3, height: 2, rgb: Array(0..<18)))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tensh-png-\(getpid()).png")
        try Data(png).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read(); i = 8; idat = b''
while i < len(b):
    n, = struct.unpack('>I', b[i:i+4]); t = b[i+4:i+8]; d = b[i+8:i+8+n]
    assert zlib.crc32(t + d) == struct.unpack('>I', b[i+8+n:i+12+n])[0]
    if t == b'IDAT': idat += d
    i += 12 + n
raw = zlib.decompress(idat)
assert raw == bytes([0, 0,1,2,3,4,5,6,7,8, 0, 9,10,11,12,13,14,15,16,17]), raw
print('ok')
""", url.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "ok\n")
    }

    func testRejectsMismatchedSizes() {
        XCTAssertNil(PngEncoder.encode(width: 2, height: 2, rgb: [0, 0, 0]))
        XCTAssertNil(PngEncoder.encode(width: 0, height: 2, rgb: []))
    }

    private func parseChunks(_ png: [UInt8]) throws -> [(type: String, data: [UInt8])] {
        var chunks: [(String, [UInt8])] = []
        var i = 8
        while i + 12 <= png.count {
            let n = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(png[(i + 8)..<(i + 8 + n)])
            XCTAssertEqual(PngEncoder.crc32(Array(png[(i + 4)..<(i + 8 + n)])), 
                           UInt32(png[i + 8 + n]) << 24 | UInt32(png[i + 9 + n]) << 16 | UInt32(png[i + 10 + n]) << 8 | UInt32(png[i + 11 + n]))
            chunks.append((type, data))
            i += 12 + n
        }
        return chunks
    }

    private func inflateStored(_ z: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 2
        while true {
            let final = z[i] & 1
            let n = Int(z[i + 1]) | Int(z[i + 2]) << 8
            out += z[(i + 5)..<(i + 5 + n)]
            i += 5 + n
            if final == 1 { break }
        }
        XCTAssertEqual(Array(z[i..<(i + 4)]), PngEncoder.bigEndian(PngEncoder.adler32(out)))
        return out
    }
}
