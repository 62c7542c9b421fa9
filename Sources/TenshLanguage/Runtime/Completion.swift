#if canImport(Glibc)
import Glibc
#endif

/// Tab completion for the REPL: builtins, variables, keywords of the
/// function being called, attributes after `.`, file names inside strings.
extension Session {
    /// Candidates that complete `word`, the text before the cursor back to a word
    /// break. After a `.` they are attributes and methods; a word that holds the
    /// dot itself (`w1.sha`) gets them with its receiver (`w1.shape`).
    public func completions(line: String, word: String) -> [String] {
        let before = line.hasSuffix(word) ? String(line.dropLast(word.count)) : line
        if Session.insideString(before) { return fileNames(matching: word) }
        if before.hasSuffix(".") { return attributes(matching: word) }
        if let dot = word.lastIndex(of: "."), word.first?.isNumber == false {
            let receiver = word[...dot]
            return attributes(matching: String(word[word.index(after: dot)...])).map { receiver + $0 }
        }
        var names = registry.names + variables.map(\.name) + Keyword.allCases.map(\.rawValue) + ["no_grad", "time"]
        if let function = Session.calledFunction(before) {
            if case .function(let f)? = value(of: function) {
                names = f.parameterNames.map { $0 + "=" } + names
            } else if let b = registry[function] {
                names = b.parameters.filter { !$0.isVariadic }.map { $0.name + "=" } + names
            }
        }
        if before.trimmingSpaces.isEmpty && word.hasPrefix(":") { names = ReplCommand.names }
        var seen = Set<String>()
        return names.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
    }

    private func attributes(matching prefix: String) -> [String] {
        (Interpreter.tensorAttributes + registry.names).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Whether the text ends inside a string literal.
    static func insideString(_ text: String) -> Bool {
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c }
        }
        return quote != nil
    }

    /// The name before the innermost unclosed `(`: the function being called.
    static func calledFunction(_ text: String) -> String? {
        var depth = 0
        let chars = Array(text)
        var i = chars.count - 1
        while i >= 0 {
            if chars[i] == ")" { depth += 1 } else if chars[i] == "(" {
                if depth == 0 {
                    var j = i - 1
                    while j >= 0 && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j -= 1 }
                    return j + 1 < i ? String(chars[(j + 1)..<i]) : nil
                }
                depth -= 1
            }
            i -= 1
        }
        return nil
    }

    /// Paths starting with `prefix` (directories get a trailing `/`).
    func fileNames(matching prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directory = slash.map { String(prefix[...$0]) } ?? ""
        let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != ".", name != "..", name.hasPrefix(stem), !(stem.isEmpty && name.hasPrefix(".")) else { continue }
            let isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            names.append(directory + name + (isDirectory ? "/" : ""))
        }
        return names.sorted()
    }
}
