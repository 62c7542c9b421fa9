import TenshEngine
import TenshText

/// One member of a zip archive, as the central directory describes it.
struct ZipEntry {
    let name: String
    let method: Int
    let flags: Int
    let crc: UInt32
    let compressedSize: Int
    let size: Int
    let localHeaderOffset: Int
    /// Where the entry's central directory record starts (for messages).
    let recordOffset: Int
}

/// A zip archive's table of contents, read from its central directory (zip64
/// included: PyTorch writes zip64 records). Every offset and size is checked
/// against the file before it is used; members are read by `ZipMemberStream`.
/// Stored (0) and deflate (8) members are supported; encrypted ones are refused.
final class ZipArchive {
    let source: ByteSource
    let entries: [ZipEntry]

    static let localHeaderSignature = 0x04034B50
    static let centralSignature = 0x02014B50
    static let endSignature = 0x06054B50
    static let end64Signature = 0x06064B50
    static let end64LocatorSignature = 0x07064B50

    init(_ source: ByteSource) throws {
        self.source = source
        let end = try ZipArchive.findEnd(source)
        entries = try ZipArchive.readCentralDirectory(source, end)
    }

    var context: FileContext { source.context }

    /// The member called `name` (the last one, as Python's zipfile does, if the name repeats).
    func entry(_ name: String) -> ZipEntry? { entries.last { $0.name == name } }

    /// The member called `name`, or an error naming the archive and the member.
    func requiredEntry(_ name: String) throws -> ZipEntry {
        guard let entry = entry(name) else {
            throw context.error("the archive has no member \(Escaping.pythonRepr(name)) (it has \(entries.count) members)")
        }
        return entry
    }

    /// A member's bytes, checked against its CRC (for small members: pickles, headers).
    func bytes(of entry: ZipEntry) throws -> [UInt8] {
        let stream = try ZipMemberStream(self, entry)
        let out = try stream.bytes(entry.size)
        try stream.finish()
        return out
    }

    /// Where the central directory is and how many entries it has.
    private struct End {
        let entryCount: Int
        let directorySize: Int
        let directoryOffset: Int
        let recordOffset: Int
    }

    /// The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment
    /// is at most 65535 bytes), searched backwards; its zip64 counterpart when a field overflows.
    private static func findEnd(_ source: ByteSource) throws -> End {
        let context = source.context
        guard source.size >= 22 else {
            throw context.error("not a zip archive: only \(source.size) bytes (the end record alone needs 22)")
        }
        let tailStart = Swift.max(0, source.size - 22 - 65535)
        let tail = try source.bytes(source.size - tailStart, at: tailStart)
        var found: Int?
        var k = tail.count - 22
        while k >= 0 {
            if tail.uint32(at: k) == endSignature && k + 22 + tail.uint16(at: k + 20) <= tail.count { found = k; break }
            k -= 1
        }
        guard let at = found else { throw context.error("not a zip archive: no end-of-central-directory record") }
        let recordOffset = tailStart + at
        guard tail.uint16(at: at + 4) == 0 || tail.uint16(at: at + 4) == 0xFFFF, tail.uint16(at: at + 6) == tail.uint16(at: at + 4) else {
            throw context.error("multi-disk (split) zip archives are not supported", at: recordOffset)
        }
        var end = End(entryCount: tail.uint16(at: at + 10), directorySize: tail.uint32(at: at + 12),
                      directoryOffset: tail.uint32(at: at + 16), recordOffset: recordOffset)
        if end.entryCount == 0xFFFF || end.directorySize == 0xFFFF_FFFF || end.directoryOffset == 0xFFFF_FFFF
            || (recordOffset >= 20 && tail.count >= 20 && at >= 20 && tail.uint32(at: at - 20) == end64LocatorSignature) {
            end = try readEnd64(source, before: recordOffset)
        }
        guard end.directoryOffset <= end.recordOffset, end.directorySize <= end.recordOffset - end.directoryOffset else {
            throw context.error("the central directory (\(end.directorySize) bytes at byte \(end.directoryOffset)) lies outside the file", at: end.recordOffset)
        }
        guard end.entryCount <= end.directorySize / 46 else {
            throw context.error("the archive claims \(end.entryCount) entries but its central directory has room for \(end.directorySize / 46)", at: end.recordOffset)
        }
        return end
    }

    /// The zip64 end record, found through the locator just before the classic end record.
    private static func readEnd64(_ source: ByteSource, before endOffset: Int) throws -> End {
        let context = source.context
        guard endOffset >= 20 else { throw context.error("the zip64 end-of-directory locator is missing", at: endOffset) }
        let locator = try source.bytes(20, at: endOffset - 20)
        guard locator.uint32(at: 0) == end64LocatorSignature, let recordOffset = locator.uint64(at: 8),
              endOffset >= 76, recordOffset <= endOffset - 76 else {
            throw context.error("the zip64 end-of-directory locator is missing or points outside the file", at: endOffset - 20)
        }
        let record = try source.bytes(56, at: recordOffset)
        guard record.uint32(at: 0) == end64Signature else {
            throw context.error("bad zip64 end-of-directory record signature", at: recordOffset)
        }
        guard let count = record.uint64(at: 32), let size = record.uint64(at: 40), let offset = record.uint64(at: 48) else {
            throw context.error("zip64 end-of-directory sizes are out of range", at: recordOffset)
        }
        return End(entryCount: count, directorySize: size, directoryOffset: offset, recordOffset: recordOffset)
    }

    private static func readCentralDirectory(_ source: ByteSource, _ end: End) throws -> [ZipEntry] {
        let directory = try source.bytes(end.directorySize, at: end.directoryOffset)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(end.entryCount)
        var k = 0
        for _ in 0..<end.entryCount {
            let (entry, next) = try readRecord(directory, at: k, base: end.directoryOffset, source)
            entries.append(entry)
            k = next
        }
        return entries
    }

    /// One central directory record at `k` of `directory` (which starts at file offset `base`).
    private static func readRecord(_ directory: [UInt8], at k: Int, base: Int, _ source: ByteSource) throws -> (ZipEntry, Int) {
        let context = source.context
        guard k + 46 <= directory.count, directory.uint32(at: k) == centralSignature else {
            throw context.error("bad central directory record (truncated or wrong signature)", at: base + k)
        }
        let nameLength = directory.uint16(at: k + 28), extraLength = directory.uint16(at: k + 30)
        let next = k + 46 + nameLength + extraLength + directory.uint16(at: k + 32)
        guard next <= directory.count else {
            throw context.error("a central directory record runs past the directory's end", at: base + k)
        }
        let name = String(decoding: directory[(k + 46)..<(k + 46 + nameLength)], as: UTF8.self)
        var sizes = [directory.uint32(at: k + 24), directory.uint32(at: k + 20), directory.uint32(at: k + 42)]
        try applyZip64Extra(Array(directory[(k + 46 + nameLength)..<(k + 46 + nameLength + extraLength)]), to: &sizes) {
            context.error("member \(Escaping.pythonRepr(name)): \($0)", at: base + k)
        }
        let entry = ZipEntry(name: name, method: directory.uint16(at: k + 10), flags: directory.uint16(at: k + 8),
                             crc: UInt32(directory.uint32(at: k + 16)), compressedSize: sizes[1], size: sizes[0],
                             localHeaderOffset: sizes[2], recordOffset: base + k)
        return (entry, next)
    }

    /// Replaces the sizes and offset (size, compressed size, local header offset) that read
    /// 0xFFFFFFFF with their 64-bit values from the zip64 extra field (id 1), in that order.
    private static func applyZip64Extra(_ extra: [UInt8], to values: inout [Int], _ fail: (String) -> EngineError) throws {
        guard values.contains(0xFFFF_FFFF) else { return }
        var k = 0
        while k + 4 <= extra.count {
            let id = extra.uint16(at: k), length = extra.uint16(at: k + 2)
            guard k + 4 + length <= extra.count else { break }
            if id == 1 {
                var field = k + 4
                for i in values.indices where values[i] == 0xFFFF_FFFF {
                    guard field + 8 <= k + 4 + length, let value = extra.uint64(at: field) else {
                        throw fail("its zip64 extra field is too short or out of range")
                    }
                    values[i] = value
                    field += 8
                }
                return
            }
            k += 4 + length
        }
        throw fail("sizes need a zip64 extra field and it is missing")
    }
}
