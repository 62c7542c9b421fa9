import TenshEngine
import TenshIO
import TenshText

/// save, load and load_image: the file formats of TenshIO. Relative paths are
/// relative to the current directory, as in Python. File errors name the path
/// and land on the argument they concern.
enum IOBuiltins {
    static let category = "Files"

    static let all: [Builtin] = [
        Builtin("save", category, [.required("x", .any), .required("path", .string)],
                summary: "Writes a tensor, or a dict of named tensors, to a file chosen by the extension: NumPy .npy (a tensor; "
                    + "any other extension), .npz (a dict, or one tensor as 'arr_0' as np.savez does) or .safetensors (a dict; "
                    + "its \"__metadata__\" entry, a dict of strings, is the file's metadata); atomically: an existing file "
                    + "is replaced only when the write succeeds.",
                example: "save({\"w\": w, \"b\": b}, \"model.safetensors\")") { a in
            let path = try a.string("path")
            switch FileFormat.promised(by: path) {
            case .torch?: throw a.error("path", "tensh does not write pickles; save to .npy, .npz or .safetensors instead")
            case .png?, .jpeg?: throw a.error("path", "save writes arrays; write images with save_image")
            default: break
            }
            if case .dict(let box) = a.value("x") {
                try saveDict(box, to: path, a)
                return .none
            }
            let x = try a.tensor("x")
            switch FileFormat.promised(by: path) {
            case .npz?: try NpzFile.save([("arr_0", x)], to: path)
            case .safetensors?: throw a.error("x", "a .safetensors file holds named tensors: save a dict, such as {\"x\": x}")
            default: try saveNpy(x, path)
            }
            return .none
        },
        Builtin("load", category, [.required("path", .string)],
                summary: "Reads a NumPy .npy file (a tensor), an .npz or .safetensors file (a dict of tensors) or a PyTorch "
                    + "checkpoint (.pt, .pth, .bin: the dicts, lists, tuples, numbers and strings it holds); the format is told "
                    + "by the file's first bytes. Files are data: nothing in them is run. Tensors stored as f16, bf16 or narrow "
                    + "ints load as f32 or i64 (inspect shows both).",
                example: "sd = load(\"model.pt\")") { a in
            let path = try a.string("path")
            return try LoadedValues.value(try DataFile.load(path), path: path)
        },
        Builtin("load_image", category, [.required("path", .string), .optional("mode", .string, "\"keep\"")],
                summary: "Reads a PNG or JPEG as a float32 [C, H, W] tensor in [0, 1], equal to Pillow's decoding; "
                    + "mode \"keep\" (the file's channels), \"gray\", \"rgb\" or \"rgba\" converts as Pillow's convert() does.",
                example: "cat = load_image(\"scripts/examples/data/images/chelsea.png\", mode=\"rgb\")") { a in
            let name = try a.string("mode")
            guard let mode = ImageMode(rawValue: name) else {
                throw a.error("mode", "mode must be \"keep\", \"gray\", \"rgb\" or \"rgba\", not \(Escaping.pythonRepr(name))")
            }
            return .tensor(try ImageFile.load(try a.string("path"), mode: mode))
        },
        DataInspection.builtin,
    ]

    /// `save_image(x, path, cmap=, overlay=, alpha=, color=, scale=)`: a picture with a heatmap
    /// blended over it, a photograph (values in [0, 1] written as their colours), or feature
    /// maps through a colormap; the session's display draws the first and the last.
    static func saveImage(_ a: Arguments) throws -> Value {
        let x = try a.tensor("x"), path = try a.string("path"), scale = try a.int("scale")
        let colormap = try DisplayBuiltins.optionalString(a, "cmap")
        guard scale >= 1 else { throw a.error("scale", "scale must be at least 1, got \(scale)") }
        var options = ShowOptions(colormap: colormap)
        try ViewBuiltins.readShowOptions(a, into: &options)
        if options.overlay != nil {
            try DisplayBuiltins.display(a, "save_image").savePicture(x, path: path, options: options, scale: scale)
            return .none
        }
        let photograph: Bool
        switch a.value("color") {
        case .bool(let color): photograph = color
        case .none: photograph = colormap == nil && looksLikePhotograph(x)
        default: throw a.error("color", "color must be true, false or none")
        }
        if photograph {
            try ImageFile.savePhoto(x, scale: scale, to: path, op: "save_image")
        } else {
            try DisplayBuiltins.display(a, "save_image").saveImage(x, path: path, colormap: colormap, scale: scale)
        }
        return .none
    }

    /// `save(d, "w.npz")` / `save(d, "w.safetensors")`: a dict of string keys to tensors, in
    /// its order; a .safetensors file also takes a `"__metadata__"` dict of strings (what `load` gives).
    static func saveDict(_ box: DictBox, to path: String, _ a: Arguments) throws {
        let format = FileFormat.promised(by: path)
        guard format == .npz || format == .safetensors else {
            throw a.error("path", "a dict of tensors is saved to .npz or .safetensors, not \(Escaping.pythonRepr(path))"
                + (format == .npy || format == nil ? " (a .npy file holds one tensor)" : ""))
        }
        var tensors: [(name: String, tensor: Tensor)] = [], metadata: [(key: String, value: String)] = []
        for (key, value) in box.entries {
            guard case .string(let name) = key else {
                throw a.error("x", "the keys of a saved dict must be strings (tensor names), not \(key.repr)")
            }
            switch value {
            case .tensor(let t): tensors.append((name, t))
            case .dict(let inner) where name == LoadedValues.metadataKey && format == .safetensors:
                metadata = try inner.entries.map { entry in
                    guard case .string(let k) = entry.key, case .string(let v) = entry.value else {
                        throw a.error("x", "\(LoadedValues.metadataKey) must map strings to strings, as safetensors requires")
                    }
                    return (k, v)
                }
            default:
                throw a.error("x", "x[\(key.repr)] is \(value.typeName == "int" ? "an" : "a") \(value.typeName), not a tensor: "
                    + "\(format == .npz ? ".npz" : ".safetensors") files hold a flat dict of tensors")
            }
        }
        if format == .npz { try NpzFile.save(tensors, to: path) } else { try SafetensorsFile.save(tensors, metadata: metadata, to: path) }
    }

    /// A `[3, H, W]` floating-point tensor with every value in [0, 1]: an RGB image.
    private static func looksLikePhotograph(_ x: Tensor) -> Bool {
        guard x.rank == 3, x.shape[0] == 3, x.dtype.isFloatingPoint, x.count > 0 else { return false }
        guard let low = try? TenshEngine.min(x.detached()).item(), let high = try? TenshEngine.max(x.detached()).item() else { return false }
        return low >= 0 && high <= 1
    }
}
