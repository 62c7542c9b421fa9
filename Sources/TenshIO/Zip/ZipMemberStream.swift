import CZlib
import Dispatch
import Synchronization
import TenshEngine
import TenshText

/// A zip member's bytes, read in order: stored members straight from the file,
/// deflated ones through zlib's inflate. The CRC-32 of everything read is
/// compared with the directory's by `finish()`, and the member must inflate to
/// exactly the size the directory declares: a member that would inflate past
/// it (a decompression bomb) is stopped at the declared size, which the
/// caller has already checked against the allocation limit.
final class ZipMemberStream: ByteStream {
    let context: FileContext
    let entry: ZipEntry
    private let source: ByteSource
    private let dataStart: Int
    private var inflater: Inflater?
    private var crc = CRC32()
    private(set) var position = 0
    var remaining: Int { entry.size - position }

    init(_ archive: ZipArchive, _ entry: ZipEntry) throws {
        source = archive.source
        context = archive.context.member(entry.name)
        self.entry = entry
        // Offsets in the archive's own structures are file offsets, reported with the archive's context.
        let member = "member \(Escaping.pythonRepr(entry.name))"
        guard entry.flags & 1 == 0 else { throw archive.context.error("\(member) is encrypted", at: entry.recordOffset) }
        let header = try source.bytes(30, at: entry.localHeaderOffset)
        guard header.uint32(at: 0) == ZipArchive.localHeaderSignature else {
            throw archive.context.error("\(member): bad local header signature", at: entry.localHeaderOffset)
        }
        dataStart = entry.localHeaderOffset + 30 + header.uint16(at: 26) + header.uint16(at: 28)
        try source.checkRange(entry.compressedSize, at: dataStart, what: "compressed member data")
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else {
                throw archive.context.error("\(member) is stored in \(entry.compressedSize) bytes but declares a size of \(entry.size)", at: entry.recordOffset)
            }
        case 8: inflater = try Inflater(context: context)
        default:
            throw archive.context.error("\(member) uses compression method \(entry.method), which is not supported (only stored and deflate)", at: entry.recordOffset)
        }
    }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws {
        guard count <= remaining else { throw truncated(needing: count, what: "member data") }
        if let inflater {
            try inflater.inflate(into: destination, count: count, from: source, start: dataStart, length: entry.compressedSize, memberOffset: position)
            crc.update(destination, count: count)
        } else {
            try readStored(into: destination, count: count)
        }
        position += count
    }

    /// Stored data in 1 MiB pieces spread over the engine's threads, each piece's CRC
    /// computed while it is still in cache; the CRCs are then combined in order.
    /// (For a large checkpoint the CRC costs as much as the reading.)
    private func readStored(into destination: UnsafeMutableRawPointer, count: Int) throws {
        let piece = 1 << 20
        let pieces = (count + piece - 1) / piece
        guard pieces > 1 else {
            try source.read(into: destination, count: count, at: dataStart + position)
            crc.update(destination, count: count)
            return
        }
        var crcs = [UInt32](repeating: 0, count: pieces)
        let failures = FirstError()
        let workers = Swift.min(EngineConfig.threads, pieces)
        let start = dataStart + position
        crcs.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for k in stride(from: worker, to: pieces, by: workers) where !failures.isSet {
                    let offset = k * piece, length = Swift.min(piece, count - offset)
                    do {
                        try source.read(into: destination + offset, count: length, at: start + offset)
                        out[k] = CRC32.of(destination + offset, count: length)
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        if let error = failures.error { throw error }
        for k in 0..<pieces { crc.append(crcs[k], count: Swift.min(piece, count - k * piece)) }
    }

    /// Reads what is left, then checks the CRC and that a deflate stream ends exactly here.
    func finish() throws {
        var scratch = [UInt8](repeating: 0, count: Swift.min(remaining, 1 << 16))
        while remaining > 0 {
            let n = Swift.min(remaining, scratch.count)
            try scratch.withUnsafeMutableBytes { raw in
                if let base = raw.baseAddress { try read(into: base, count: n) }
            }
        }
        if let inflater {
            try inflater.checkEnded(from: source, start: dataStart, length: entry.compressedSize, declaredSize: entry.size)
        }
        guard crc.value == entry.crc else {
            throw context.error("CRC-32 mismatch: the data gives \(hex(crc.value)), the directory says \(hex(entry.crc)) (the file is corrupt)")
        }
    }

    private func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The first error thrown by any of several threads.
final class FirstError: Sendable {
    private let first = Mutex<Error?>(nil)

    var isSet: Bool { first.withLock { $0 != nil } }
    var error: Error? { first.withLock { $0 } }

    func record(_ error: Error) {
        first.withLock { if $0 == nil { $0 = error } }
    }
}

/// zlib's inflate over a raw deflate stream, fed from the file in 64 KiB chunks.
/// The z_stream and its input buffer live on the heap: zlib checks that the
/// stream never moves, and keeps a pointer into the input between calls.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private static let chunk = 1 << 16
    private let context: FileContext
    private var consumed = 0 // compressed bytes handed to zlib so far
    private var ended = false

    init(context: FileContext) throws {
        self.context = context
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: Inflater.chunk)
        guard tensh_inflate_init_raw(stream) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw context.error("zlib could not start inflating (out of memory?)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// Exactly `count` inflated bytes into `destination`.
    func inflate(into destination: UnsafeMutableRawPointer, count: Int, from source: ByteSource,
                 start: Int, length: Int, memberOffset: Int) throws {
        var produced = 0
        while produced < count {
            try Cancellation.check(context.op)
            guard !ended else {
                throw context.error("the deflate data ends here, before the declared size", at: memberOffset + produced)
            }
            let (made, status) = try step(into: destination + produced, count: Swift.min(count - produced, 1 << 30), source, start, length,
                                          position: memberOffset + produced)
            produced += made
            if status == Z_STREAM_END { ended = true }
        }
    }

    /// After the declared size: the deflate stream must end there, not produce more.
    func checkEnded(from source: ByteSource, start: Int, length: Int, declaredSize: Int) throws {
        var probe: UInt8 = 0
        while !ended {
            let (made, status) = try step(into: &probe, count: 1, source, start, length, position: declaredSize)
            if made > 0 {
                throw context.error("the member inflates past its declared size of \(declaredSize) bytes (a corrupt file or a decompression bomb)", at: declaredSize)
            }
            if status == Z_STREAM_END { ended = true }
        }
    }

    /// One call of inflate, refilling the input from the file when zlib has used it up.
    /// `position` (in the inflated member) is where errors are reported.
    private func step(into out: UnsafeMutableRawPointer, count: Int, _ source: ByteSource, _ start: Int, _ length: Int,
                      position: Int) throws -> (Int, Int32) {
        if stream.pointee.avail_in == 0 {
            let n = Swift.min(Inflater.chunk, length - consumed)
            guard n > 0 else {
                throw context.error("the deflate data is truncated (all \(length) compressed bytes used before its end)", at: position)
            }
            try source.read(into: input, count: n, at: start + consumed)
            consumed += n
            stream.pointee.next_in = input
            stream.pointee.avail_in = UInt32(n)
        }
        stream.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let made = count - Int(stream.pointee.avail_out)
        switch status {
        case Z_OK, Z_STREAM_END: return (made, status)
        case Z_BUF_ERROR where made > 0 || stream.pointee.avail_in == 0: return (made, status)
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw context.error("corrupt deflate data: \(reason)", at: position + made)
        }
    }
}
