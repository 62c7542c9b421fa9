import Foundation
import TenshEngine
import TenshText

/// `include("helpers.tsh")`: runs another script in the same session. The
/// path is relative to the including file; errors point into the included
/// file; a file that includes itself (directly or not) is an error.
extension Interpreter {
    /// Included files nest at most this deep (each level is a Swift call).
    static let maxIncludeDepth = 32

    func include(_ path: String, at span: SourceSpan) throws {
        let resolved = Interpreter.resolve(path, from: currentOrigin?.file)
        let identity = Interpreter.fileIdentity(resolved)
        var seeded = false
        if includeStack.isEmpty, let file = currentOrigin?.file, !file.hasPrefix("<") {
            // The script that runs the first include is part of any cycle too.
            includeStack.append(Interpreter.fileIdentity(file))
            seeded = true
        }
        defer { if seeded { includeStack.removeAll() } }
        if let cycleStart = includeStack.firstIndex(of: identity) {
            let chain = (includeStack[cycleStart...] + [identity]).map(Escaping.printable).joined(separator: " -> ")
            throw RuntimeError("include cycle: \(chain)", at: span)
        }
        guard includeStack.count < Interpreter.maxIncludeDepth else {
            throw RuntimeError("includes nested more than \(Interpreter.maxIncludeDepth) deep", at: span)
        }
        let source = try Interpreter.readScript(resolved, shown: path, at: span)
        let parsed = Parser.parse(source)
        let origin = SourceOrigin(source: source, file: resolved)
        if let first = parsed.errors.first {
            var error = RuntimeError("syntax error in the included file: \(first.message)", at: first.span)
            error.origin = origin
            throw error
        }
        let outer = currentOrigin
        currentOrigin = origin
        includeStack.append(identity)
        defer {
            currentOrigin = outer
            includeStack.removeLast()
        }
        do {
            for s in parsed.statements {
                switch try execute(s) {
                case .normal: continue
                case .returned: throw RuntimeError("'return' outside a function", at: s.span)
                case .breakLoop, .continueLoop: throw RuntimeError("'break' or 'continue' outside a loop", at: s.span)
                }
            }
        } catch var error as RuntimeError {
            if error.origin == nil { error.origin = origin }
            throw error
        }
    }

    static func fileIdentity(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `path` relative to the directory of `file` (the including script), unless absolute.
    static func resolve(_ path: String, from file: String?) -> String {
        guard !path.hasPrefix("/"), let file, !file.hasPrefix("<"), let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }

    /// The file's text, refused past the allocation limit (scripts are untrusted files).
    private static func readScript(_ path: String, shown: String, at span: SourceSpan) throws -> String {
        let name = Escaping.pythonRepr(shown)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuntimeError("include: cannot read \(name): No such file or directory", at: span)
        }
        guard !isDirectory.boolValue else { throw RuntimeError("include: \(name) names a directory, not a file", at: span) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= EngineConfig.maxTensorBytes else {
            throw RuntimeError("include: \(name) is \(size) bytes, more than the allocation limit of \(EngineConfig.maxTensorBytes) bytes", at: span)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError("include: cannot read \(name)", at: span)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
