import TenshEngine
import TenshText

/// A `:` command of the REPL. `ReplCommand.all` is the one table every front end
/// reads: the session runs the commands that need no pane, the workbench runs
/// `:pane` and `:unwatch`, and `:help` and completion list them all.
public struct ReplCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable, CaseIterable {
        case help, vars, time, load, reset, pane, unwatch, quit
    }

    public let action: Action
    public let name: String
    public let aliases: [String]
    /// The name with its argument, as `:help` shows it: `:time EXPR`.
    public let usage: String
    public let summary: String

    /// `:pane` and `:unwatch` act on the workbench's pane; the plain REPL says so.
    public var needsPane: Bool { action == .pane || action == .unwatch }

    public static let all: [ReplCommand] = [
        ReplCommand(action: .help, name: ":help", aliases: [":h"], usage: ":help", summary: "this list"),
        ReplCommand(action: .vars, name: ":vars", aliases: [], usage: ":vars",
                    summary: "variables (name, shape, dtype, requires_grad)"),
        ReplCommand(action: .time, name: ":time", aliases: [], usage: ":time EXPR", summary: "run EXPR and print the wall time"),
        ReplCommand(action: .load, name: ":load", aliases: [], usage: ":load FILE", summary: "run a script in this session"),
        ReplCommand(action: .reset, name: ":reset", aliases: [], usage: ":reset", summary: "forget every variable"),
        ReplCommand(action: .pane, name: ":pane", aliases: [], usage: ":pane on|off",
                    summary: "show or hide the workbench's pane"),
        ReplCommand(action: .unwatch, name: ":unwatch", aliases: [], usage: ":unwatch",
                    summary: "remove every watch(expr) line from the workbench"),
        ReplCommand(action: .quit, name: ":quit", aliases: [":q", ":exit"], usage: ":quit", summary: "leave (also :q, :exit, Ctrl-D)"),
    ]

    /// The names completion offers and "did you mean" picks from.
    public static var names: [String] { all.map(\.name) }

    /// The command `text` starts with and its argument (`:time 1 + 1` → `:time`, `1 + 1`);
    /// nil when `text` is not a `:` command. An unknown name gives a nil command.
    public static func parse(_ text: String) -> (command: ReplCommand?, name: String, argument: String)? {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasPrefix(":") else { return nil }
        let name = String(trimmed.prefix { $0 != " " && $0 != "\t" })
        let argument = String(trimmed.dropFirst(name.count)).trimmingSpaces
        let command = all.first { $0.name == name || $0.aliases.contains(name) }
        return (command, name, argument)
    }
}

/// Keys `:help` lists, by where the focus is. The pane keys are `KeyMap`'s
/// (the workbench's tests check that every key it maps is listed here).
public enum ReplKeys {
    public static let prompt: [(keys: String, summary: String)] = [
        ("Tab", "complete a name, keyword, attribute or file name; on an empty line, focus the pane"),
        ("F2", "move the focus between the prompt and the pane"),
        ("Ctrl-C", "cancel a running computation, or clear the line"),
        ("Ctrl-D", "leave (on an empty line)"),
        ("Up Down Ctrl-R", "step through or search the history"),
        ("PgUp PgDn", "scroll the transcript"),
    ]

    public static let pane: [(keys: String, summary: String)] = [
        ("arrows", "move the channel, pixel or filter cursor; select a graph node or a stats row"),
        ("Enter z", "zoom into the channel or filter; on a graph node or stats row, show its value"),
        ("n p", "next / previous sample"),
        ("m", "next colormap; in the graph, colour the nodes by |grad| (log scale)"),
        ("g", "global / per-channel normalisation"),
        ("G", "show the selected graph node's (or stats row's) gradient"),
        ("e", "explain the zoomed pixel of a conv or pooling output"),
        ("l", "histogram: linear / log counts"),
        ("o", "picture: show / hide the overlay"),
        ("c", "collapse / expand repeated chains of the graph"),
        ("h j k l Home", "scroll the graph"),
        ("PgUp PgDn", "scroll the transcript (the graph, in the graph view)"),
        ("q Esc", "unzoom, go back to the previous view, or focus the prompt"),
        ("F2 Tab", "focus the prompt"),
    ]
}

extension Session {
    public enum ReplResult: Equatable {
        case continued(Status)
        case quit
    }

    /// Statements with the syntax errors found while parsing them.
    typealias Parsed = (statements: [Stmt], errors: [Diagnostic])

    /// One REPL entry, lexed and parsed once.
    public struct ReplEntry {
        enum Body {
            case source(Parsed)
            /// `:time EXPR` with its expression parsed.
            case timed(expression: String, Parsed)
            case command(ReplCommand, argument: String)
            case unknownCommand(String)
        }

        public let text: String
        let body: Body
    }

    /// The entry `text` makes, or nil while a bracket or brace is still open (the
    /// REPL reads another line and asks again with the lines joined). `atEnd`:
    /// no line will follow, so an unfinished entry is prepared as it is (its
    /// syntax error says which bracket was never closed).
    public func prepareReplInput(_ text: String, atEnd: Bool = false) -> ReplEntry? {
        guard let (command, name, argument) = ReplCommand.parse(text) else {
            return Parser.parseEntry(text, atEnd: atEnd).map { ReplEntry(text: text, body: .source($0)) }
        }
        guard let command else { return ReplEntry(text: text, body: .unknownCommand(name)) }
        guard command.action == .time else { return ReplEntry(text: text, body: .command(command, argument: argument)) }
        return Parser.parseEntry(argument, atEnd: atEnd).map { ReplEntry(text: text, body: .timed(expression: argument, $0)) }
    }

    /// Runs `text` as one whole entry (an open bracket is a syntax error).
    public func runReplInput(_ text: String, file: String = "<stdin>",
                             readSource: (String) throws -> String) -> (ReplResult, Outcome?) {
        guard let entry = prepareReplInput(text, atEnd: true) else { return (.continued(.ok), nil) }
        return runReplInput(entry, file: file, readSource: readSource)
    }

    /// `runReplInput` with a reader that returns nil for a file it cannot read.
    public func runReplInput(_ text: String, file: String = "<stdin>", readFile: (String) -> String?) -> (ReplResult, Outcome?) {
        runReplInput(text, file: file) { path in
            guard let source = readFile(path) else { throw ReplError("cannot read \(Escaping.pythonRepr(path))") }
            return source
        }
    }

    /// Runs one complete entry: a `:` command or tensh source. The cancellation
    /// flag is cleared here, once per entry, so a Ctrl-C pressed while nothing
    /// ran cannot stop it.
    public func runReplInput(_ entry: ReplEntry, file: String = "<stdin>",
                             readSource: (String) throws -> String) -> (ReplResult, Outcome?) {
        Cancellation.reset()
        switch entry.body {
        case .source(let parsed):
            let outcome = run(parsed, source: entry.text, file: file)
            if case .exit = outcome.status { return (.quit, outcome) }
            return (.continued(outcome.status), outcome)
        case let .timed(expression, parsed):
            let start = ContinuousClock.now
            let outcome = run(parsed, source: expression, file: file)
            output.write("time: \(formatDuration(ContinuousClock.now - start))\n")
            return (.continued(outcome.status), outcome)
        case let .command(command, argument):
            return runCommand(command, argument: argument, readSource: readSource)
        case .unknownCommand(let name):
            let hint = Suggestions.hint(for: name, in: ReplCommand.names)
            output.write("unknown command \(Escaping.printable(name))\(hint); :help lists them\n")
            return (.continued(.ok), nil)
        }
    }

    private func runCommand(_ command: ReplCommand, argument: String,
                            readSource: (String) throws -> String) -> (ReplResult, Outcome?) {
        switch command.action {
        case .quit: return (.quit, nil)
        case .help: output.write(Session.replHelp)
        case .vars: output.write(variablesTable())
        case .reset:
            reset()
            output.write("all variables cleared\n")
        case .load:
            return load(argument, readSource: readSource)
        case .pane, .unwatch:
            output.write("\(command.name) acts on the workbench's pane: run tensh without --plain on a terminal of at least 80x24\n")
        case .time:
            break  // prepared as `.timed`
        }
        return (.continued(.ok), nil)
    }

    /// `:load FILE`: the file runs as a script (no echo) in this session.
    private func load(_ path: String, readSource: (String) throws -> String) -> (ReplResult, Outcome?) {
        guard !path.isEmpty else {
            output.write(":load needs a file name (:load FILE)\n")
            return (.continued(.runtimeError), nil)
        }
        let source: String
        do {
            source = try readSource(path)
        } catch {
            output.write("\(error)\n")
            return (.continued(.runtimeError), nil)
        }
        let saved = mode
        mode = .script
        defer { mode = saved }
        let outcome = run(source: source, file: Escaping.printable(path))
        return (.continued(outcome.status), outcome)
    }

    /// `:help`: every command of the table, then the keys.
    static var replHelp: String {
        func rows(_ list: [(String, String)]) -> String {
            let width = (list.map(\.0.count).max() ?? 0) + 2
            return list.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + $0.1 + "\n" }.joined()
        }
        return "tensh — type expressions and statements; help() lists the builtins, help(\"name\") describes one.\n"
            + "commands:\n" + rows(ReplCommand.all.map { ($0.usage, $0.summary) })
            + "keys at the prompt:\n" + rows(ReplKeys.prompt)
            + "keys in the workbench's pane (F2 gives it the focus):\n" + rows(ReplKeys.pane)
    }

    /// `:vars`: one line per variable, cut to `outputWidth` columns (a list of
    /// 300 losses shows its start and `…`).
    func variablesTable() -> String {
        let vars = variables
        if vars.isEmpty { return "no variables\n" }
        let width = vars.map(\.name.count).max() ?? 0
        return vars.map { name, value in
            let pad = String(repeating: " ", count: width - name.count)
            let line: String
            switch value {
            case .tensor(let t):
                line = "\(name)\(pad)  \(shapeText(t.shape)) \(t.dtype)" + (t.requiresGrad ? " requires_grad" : "")
            case .function(let f): line = "\(name)\(pad)  function(\(f.parameterNames.joined(separator: ", ")))"
            default: line = "\(name)\(pad)  \(value.typeName) \(value.repr)"
            }
            return Self.cut(line, to: outputWidth) + "\n"
        }.joined()
    }

    /// The first line of `text`, at most `width` characters (the last one `…` when cut).
    static func cut(_ text: String, to width: Int) -> String {
        let first = text.prefix { $0 != "\n" }
        guard first.count > width || first.count < text.count else { return text }
        return String(first.prefix(max(1, width) - 1)) + "…"
    }
}

/// A `:` command that could not run (a file `:load` cannot read).
struct ReplError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
