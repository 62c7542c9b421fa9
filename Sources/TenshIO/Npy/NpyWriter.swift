import TenshEngine

/// Writes `tensor` to `path` as .npy (format 1.0, or 2.0 when the header needs
/// it; C order; `<f4 <f8 <i8 |b1`), byte for byte what `np.save` writes, through
/// the atomic writer.
public func saveNpy(_ tensor: Tensor, _ path: String, op: String = "save") throws {
    let array = try NpyArray(tensor, op: op)
    try AtomicFile.write(to: path, op: op) { sink in
        try sink.append(array.preamble)
        try sink.append(array.data)
    }
}

/// A tensor as .npy bytes: the preamble, then its elements in C order. The
/// .npz writer stores these as archive members.
struct NpyArray {
    let preamble: [UInt8]
    /// A contiguous copy of the tensor (the tensor itself when it already is one).
    private let contiguous: Tensor

    init(_ tensor: Tensor, op: String) throws {
        contiguous = try tensor.detached().contiguous()
        preamble = NpyFormat.preamble(descr: NpyFormat.descr(for: tensor.dtype), shape: tensor.shape)
    }

    /// The element bytes, valid while this value lives.
    var data: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: contiguous.storage.bytes + contiguous.offset * contiguous.dtype.itemSize,
                               count: contiguous.count * contiguous.dtype.itemSize)
    }

    var byteCount: Int { preamble.count + data.count }
}
