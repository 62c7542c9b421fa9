import TenshEngine
import TenshIO
import TenshText

/// save, load and load_image: the file formats of TenshIO. Relative paths are
/// relative to the current directory, as in Python. File errors name the path
/// and land on the argument they concern.
enum IOBuiltins {
    static let category = "Files"

    static let all: [Builtin] = [
        Builtin("save", category, [.required("x", .tensor), .required("path", .string)],
                summary: "Writes x to a file chosen by the extension: NumPy .npy (any other extension), or .npz "
                    + "(one array 'arr_0', as np.savez); atomically: an existing file is replaced only when the write succeeds.",
                example: "save(w, \"w.npy\")") { a in
            let x = try a.tensor("x"), path = try a.string("path")
            switch FileFormat.promised(by: path) {
            case .npz?: try NpzFile.save([("arr_0", x)], to: path)
            case .safetensors?:
                throw a.error("x", "a .safetensors file holds named tensors, and save does not write dicts yet; save the tensor to .npy")
            case .torch?: throw a.error("path", "tensh does not write pickles; save to .npy, .npz or .safetensors instead")
            case .png?, .jpeg?: throw a.error("path", "save writes arrays; write images with save_image")
            default: try saveNpy(x, path)
            }
            return .none
        },
        Builtin("load", category, [.required("path", .string)],
                summary: "Reads a NumPy .npy file (a tensor), or an .npz, .safetensors or PyTorch checkpoint (.pt, .pth, .bin) "
                    + "(dicts in the file's order, lists, tuples, tensors); the format is told by the file's first bytes. Files are data: nothing in them is run.",
                example: "images = load(\"digits_images.npy\")") { a in
            let file = try DataFile.load(try a.string("path"))
            return try LoadedValues.value(file.value, file: file, path: try a.string("path"), a)
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

    /// A `[3, H, W]` floating-point tensor with every value in [0, 1]: an RGB image.
    private static func looksLikePhotograph(_ x: Tensor) -> Bool {
        guard x.rank == 3, x.shape[0] == 3, x.dtype.isFloatingPoint, x.count > 0 else { return false }
        guard let low = try? TenshEngine.min(x.detached()).item(), let high = try? TenshEngine.max(x.detached()).item() else { return false }
        return low >= 0 && high <= 1
    }
}
