import XCTest
@testable import TenshIO

/// Zip's CRC-32 (CRC32.swift): the carry-less-multiplication fold for long
/// runs must give zlib's value for every length, alignment and starting CRC,
/// whether a run is taken in one piece or several.
final class CRC32Tests: XCTestCase {
    private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    func testEveryLengthAndAlignmentMatchesZlib() {
        #if arch(x86_64)
        XCTAssertTrue(CRC32.folds, "every x86-64 CPU since 2010 has PCLMULQDQ: the fold must be what is tested here")
        #endif
        let bytes = randomBytes(4096 + 64, seed: 3)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return XCTFail("no bytes") }
            for length in Array(0...300) + [511, 512, 513, 1000, 4095, 4096] {
                for offset in [0, 1, 7, 15, 16, 33] {
                    var crc = CRC32()
                    crc.update(base + offset, count: length)
                    XCTAssertEqual(crc.value, CRC32.byZlib(base + offset, count: length), "\(length) bytes at +\(offset)")
                }
            }
        }
    }

    func testPiecesContinueTheRunningValue() {
        let bytes = randomBytes(10_000, seed: 9)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return XCTFail("no bytes") }
            let whole = CRC32.byZlib(base, count: bytes.count)
            for cuts in [[64], [63, 200], [1, 64, 65, 130], [5000], [4096, 4097, 9999]] {
                var crc = CRC32(), start = 0
                for end in cuts + [bytes.count] {
                    crc.update(base + start, count: end - start)
                    start = end
                }
                XCTAssertEqual(crc.value, whole, "cut at \(cuts)")
            }
        }
    }

    /// Known answers: the CRC-32 check value of "123456789", and of 1 MiB of zeros (zlib's value).
    func testKnownValues() {
        let digits = Array("123456789".utf8)
        XCTAssertEqual(digits.withUnsafeBytes { CRC32.of($0.baseAddress!, count: $0.count) }, 0xCBF4_3926)
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        zeros.withUnsafeBytes { raw in
            XCTAssertEqual(CRC32.of(raw.baseAddress!, count: raw.count), CRC32.byZlib(raw.baseAddress!, count: raw.count))
        }
    }
}
