import TenshEngine

/// Sequential reading of a file's bytes: a whole file, a stored zip member, or
/// an inflated one. The .npy reader and the storage reader of checkpoints read
/// through this, whichever container holds the bytes.
protocol ByteStream: AnyObject {
    var context: FileContext { get }
    /// Bytes not read yet.
    var remaining: Int { get }
    /// Bytes read so far (the offset of the next byte within the stream, for messages).
    var position: Int { get }
    /// Exactly `count` more bytes, or an error.
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws
}

extension ByteStream {
    func bytes(_ count: Int) throws -> [UInt8] {
        guard count <= remaining else { throw truncated(needing: count, what: "header") }
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { try read(into: base, count: count) }
        }
        return out
    }

    func truncated(needing count: Int, what: String) -> EngineError {
        context.error("truncated: \(count) bytes of \(what) needed but only \(remaining) remain", at: position)
    }

    /// `count` elements stored as `element` into `out`, the contiguous storage of a tensor
    /// of `element.dtype`. Native bytes are read in place; others through a bounded buffer.
    func readElements(_ element: StoredElement, count: Int, into out: UnsafeMutableRawPointer) throws {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: element.size)
        guard !overflow, byteCount <= remaining else {
            throw truncated(needing: overflow ? Int.max : byteCount, what: "\(element) data")
        }
        if element.isNative {
            try read(into: out, count: byteCount)
            return
        }
        let chunk = 1 << 20 // elements per conversion step
        var buffer = [UInt8](repeating: 0, count: Swift.min(count, chunk) * element.size)
        var done = 0
        while done < count {
            let n = Swift.min(chunk, count - done)
            try buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                try read(into: base, count: n * element.size)
                element.convert(base, count: n, into: out + done * element.dtype.itemSize)
            }
            done += n
        }
    }
}

/// `length` bytes of a source from `start` on, read in order.
final class SourceStream: ByteStream {
    let source: ByteSource
    let start: Int
    let length: Int
    private(set) var position = 0
    var context: FileContext { source.context }
    var remaining: Int { length - position }

    init(_ source: ByteSource, start: Int = 0, length: Int? = nil) {
        self.source = source
        self.start = start
        self.length = length ?? source.size - start
    }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws {
        guard count <= remaining else { throw truncated(needing: count, what: "data") }
        try source.read(into: destination, count: count, at: start + position)
        position += count
    }
}
