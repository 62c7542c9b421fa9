/// Writes a zip archive of stored (uncompressed) members, as `np.savez` does,
/// into a sink. Sizes and offsets past 4 GiB get zip64 extra fields and a zip64
/// end record, so any archive the allocation limit allows can be written.
final class ZipWriter {
    private let sink: FileSink
    private var directory: [UInt8] = []
    private var count = 0
    private static let dosDate = 0x21 // 1980-01-01, the earliest date zip can hold: output is reproducible
    private static let limit32 = 0xFFFF_FFFF

    init(sink: FileSink) {
        self.sink = sink
    }

    /// One member whose bytes are `parts` in order.
    func addStored(name: String, parts: [UnsafeRawBufferPointer]) throws {
        var crc = CRC32()
        for part in parts { crc.update(part) }
        let size = parts.reduce(0) { $0 + $1.count }
        let offset = sink.offset
        let nameBytes = Array(name.utf8)
        let flags = nameBytes.contains { $0 >= 0x80 } ? 0x0800 : 0 // bit 11: the name is UTF-8
        let bigSize = size >= ZipWriter.limit32, bigOffset = offset >= ZipWriter.limit32
        var local: [UInt8] = []
        local.appendLittleEndian(ZipArchive.localHeaderSignature, bytes: 4)
        appendCommonFields(&local, flags: flags, crc: crc.value, size: bigSize ? ZipWriter.limit32 : size, zip64: bigSize || bigOffset)
        local.appendLittleEndian(nameBytes.count, bytes: 2)
        local.appendLittleEndian(bigSize ? 20 : 0, bytes: 2)
        local += nameBytes
        if bigSize { appendZip64Extra(&local, values: [size, size]) }
        try sink.append(local)
        for part in parts { try sink.append(part) }

        var extraValues: [Int] = []
        if bigSize { extraValues += [size, size] }
        if bigOffset { extraValues.append(offset) }
        var record: [UInt8] = []
        record.appendLittleEndian(ZipArchive.centralSignature, bytes: 4)
        record.appendLittleEndian(extraValues.isEmpty ? 20 : 45, bytes: 2) // version made by
        appendCommonFields(&record, flags: flags, crc: crc.value, size: bigSize ? ZipWriter.limit32 : size, zip64: !extraValues.isEmpty)
        record.appendLittleEndian(nameBytes.count, bytes: 2)
        record.appendLittleEndian(extraValues.isEmpty ? 0 : 4 + 8 * extraValues.count, bytes: 2)
        record += [0, 0, 0, 0, 0, 0] // comment length, disk number, internal attributes
        record.appendLittleEndian(0o100644 << 16, bytes: 4) // external attributes: a regular file, rw-r--r--
        record.appendLittleEndian(bigOffset ? ZipWriter.limit32 : offset, bytes: 4)
        record += nameBytes
        if !extraValues.isEmpty { appendZip64Extra(&record, values: extraValues) }
        directory += record
        count += 1
    }

    /// The central directory and the end records.
    func finish() throws {
        let directoryOffset = sink.offset
        try sink.append(directory)
        let needs64 = count >= 0xFFFF || directoryOffset >= ZipWriter.limit32 || directory.count >= ZipWriter.limit32
        var end: [UInt8] = []
        if needs64 {
            let recordOffset = sink.offset
            end.appendLittleEndian(ZipArchive.end64Signature, bytes: 4)
            end.appendLittleEndian(44, bytes: 8) // size of the rest of this record
            end.appendLittleEndian(45, bytes: 2)
            end.appendLittleEndian(45, bytes: 2)
            end.appendLittleEndian(0, bytes: 8) // this disk, the directory's disk
            end.appendLittleEndian(count, bytes: 8)
            end.appendLittleEndian(count, bytes: 8)
            end.appendLittleEndian(directory.count, bytes: 8)
            end.appendLittleEndian(directoryOffset, bytes: 8)
            end.appendLittleEndian(ZipArchive.end64LocatorSignature, bytes: 4)
            end.appendLittleEndian(0, bytes: 4)
            end.appendLittleEndian(recordOffset, bytes: 8)
            end.appendLittleEndian(1, bytes: 4) // total disks
        }
        end.appendLittleEndian(ZipArchive.endSignature, bytes: 4)
        end.appendLittleEndian(0, bytes: 4) // disk numbers
        end.appendLittleEndian(Swift.min(count, 0xFFFF), bytes: 2)
        end.appendLittleEndian(Swift.min(count, 0xFFFF), bytes: 2)
        end.appendLittleEndian(Swift.min(directory.count, ZipWriter.limit32), bytes: 4)
        end.appendLittleEndian(Swift.min(directoryOffset, ZipWriter.limit32), bytes: 4)
        end.appendLittleEndian(0, bytes: 2) // comment length
        try sink.append(end)
    }

    /// Version needed, flags, method (stored), time, date, CRC, compressed size, size.
    private func appendCommonFields(_ out: inout [UInt8], flags: Int, crc: UInt32, size: Int, zip64: Bool) {
        out.appendLittleEndian(zip64 ? 45 : 20, bytes: 2)
        out.appendLittleEndian(flags, bytes: 2)
        out.appendLittleEndian(0, bytes: 2)
        out.appendLittleEndian(0, bytes: 2)
        out.appendLittleEndian(ZipWriter.dosDate, bytes: 2)
        out.appendLittleEndian(Int(crc), bytes: 4)
        out.appendLittleEndian(size, bytes: 4)
        out.appendLittleEndian(size, bytes: 4)
    }

    private func appendZip64Extra(_ out: inout [UInt8], values: [Int]) {
        out.appendLittleEndian(1, bytes: 2)
        out.appendLittleEndian(8 * values.count, bytes: 2)
        for v in values { out.appendLittleEndian(v, bytes: 8) }
    }
}
