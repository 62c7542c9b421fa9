import TenshEngine

/// save and load NumPy .npy files. Relative paths are relative to the current
/// directory, as in Python.
enum IOBuiltins {
    static let category = "Files"

    static let all: [Builtin] = [
        Builtin("save", category, [.required("x", .tensor), .required("path", .string)],
                summary: "Writes x to a NumPy .npy file (atomically: an existing file is replaced only when the write succeeds); "
                    + "relative paths start at the current directory.",
                example: "save(w, \"w.npy\")") { a in
            let x = try a.tensor("x"), path = try nonEmptyPath(a)
            try atPath(a) { try saveNpy(x, path) }
            return .none
        },
        Builtin("load", category, [.required("path", .string)],
                summary: "Reads a NumPy .npy file (v1-v3; <f4 <f8 <i8 |b1 and other integer types, C or Fortran order); "
                    + "relative paths start at the current directory.",
                example: "images = load(\"digits_images.npy\")") { a in
            let path = try nonEmptyPath(a)
            return .tensor(try atPath(a) { try loadNpy(path) })
        },
    ]

    private static func nonEmptyPath(_ a: Arguments) throws -> String {
        let path = try a.string("path")
        guard !path.isEmpty else { throw a.error("path", "the path is empty") }
        return path
    }

    /// A file error belongs to the path argument, whichever part of the file was wrong.
    private static func atPath<R>(_ a: Arguments, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EngineError where error.kind != .cancelled {
            throw RuntimeError(error.message, at: a.span("path"))
        }
    }
}
