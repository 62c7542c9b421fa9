import TenshEngine
import TenshText

/// The data file formats `load` reads, told apart by their first bytes.
public enum FileFormat: String, Sendable {
    case npy, npz, safetensors, torch, png, jpeg

    /// What users call it, for messages.
    public var title: String {
        switch self {
        case .npy: return "a NumPy .npy array"
        case .npz: return "a NumPy .npz archive"
        case .safetensors: return "a .safetensors file"
        case .torch: return "a PyTorch checkpoint"
        case .png: return "a PNG image"
        case .jpeg: return "a JPEG image"
        }
    }

    /// The format a file name's extension promises, if it is one tensh knows.
    public static func promised(by path: String) -> FileFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "npy": return .npy
        case "npz": return .npz
        case "safetensors": return .safetensors
        case "pt", "pth", "bin", "ckpt": return .torch
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        default: return nil
        }
    }

    /// A pickle with PyTorch's legacy magic number: `torch.save` before 1.6, or with
    /// `_use_new_zipfile_serialization=False`.
    static let legacyTorchStart: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// `the first bytes are 50 4b 03 04` (escaped hex), for "unknown format" messages.
    static func describeStart(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "the file is empty"
            : "the first bytes are " + bytes.prefix(8).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }
}

/// What `load` found in a file: the tree of values, and for .safetensors files their `__metadata__`.
public struct LoadedFile {
    public let format: FileFormat
    public let value: LoadedValue
    public let metadata: [(key: String, value: String)]
}

public enum DataFile {
    /// Reads a .npy, .npz, .safetensors or PyTorch checkpoint, choosing the reader by the
    /// file's first bytes. A known extension must agree with them (`w.npy` holding a zip
    /// is an error rather than a surprise); images are `load_image`'s.
    public static func load(_ path: String, op: String = "load") throws -> LoadedFile {
        let file = try InputFile(path: path, op: op)
        let promised = FileFormat.promised(by: path)
        // Unrecognised bytes in a file whose extension names a format: that format's reader says what is wrong.
        guard let format = try sniff(file) ?? promised else {
            throw file.context.error("not a .npy, .npz, .safetensors or PyTorch checkpoint file (\(FileFormat.describeStart(try file.bytes(Swift.min(file.size, 8), at: 0))))")
        }
        if let promised, promised != format {
            throw file.context.error("the extension says \(promised.title), but the file is \(format.title)")
        }
        switch format {
        case .npy:
            return LoadedFile(format: format, value: .tensor(try NpyReader.read(SourceStream(file))), metadata: [])
        case .npz:
            let arrays = try NpzFile.read(file)
            return LoadedFile(format: format, value: .dict(arrays.map { (.string($0.name), .tensor($0.tensor)) }), metadata: [])
        case .safetensors:
            let contents = try SafetensorsFile.read(file)
            return LoadedFile(format: format, value: .dict(contents.tensors.map { (.string($0.name), .tensor($0.tensor)) }),
                              metadata: contents.metadata)
        case .torch:
            return LoadedFile(format: format, value: try TorchCheckpoint.read(file), metadata: [])
        case .png, .jpeg:
            throw file.context.error("it is \(format.title) (or claims to be); read images with load_image")
        }
    }

    /// The format by magic bytes (nil when none matches); a zip is a checkpoint when it holds `<name>/data.pkl`.
    static func sniff(_ file: ByteSource) throws -> FileFormat? {
        let start = try file.bytes(Swift.min(file.size, 16), at: 0)
        if start.starts(with: NpyFormat.magic) { return .npy }
        if start.starts(with: PngCodec.signature) { return .png }
        if JpegCodec.isJpeg(start) { return .jpeg }
        if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) || start.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try ZipArchive(file).entries.contains(where: TorchCheckpoint.isPickle) ? .torch : .npz
        }
        if start.starts(with: FileFormat.legacyTorchStart) {
            throw file.context.error("a PyTorch checkpoint in the legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False); "
                + "re-save it with a current PyTorch: torch.save(torch.load(path, weights_only=True), path)")
        }
        if start.count >= 2, start[0] == 0x80, (2...5).contains(start[1]) {
            throw file.context.error("a bare Python pickle; tensh reads pickles only inside PyTorch's zip checkpoints")
        }
        if start.count >= 9, start[8] == UInt8(ascii: "{"), let length = start.uint64(at: 0), length <= file.size - 8 {
            return .safetensors
        }
        return nil
    }
}
