import TenshEngine
import TenshText

/// The REPL's `:` commands (`:help`, `:vars`, `:time EXPR`, `:load FILE`,
/// `:reset`, `:quit`), kept here so every front end (plain REPL, workbench,
/// tests) shares them.
extension Session {
    public enum ReplResult: Equatable {
        case continued(Status)
        case quit
    }

    /// Runs one complete REPL input: a `:` command or tensh source.
    public func runReplInput(_ input: String, file: String = "<stdin>", readFile: (String) -> String?) -> (ReplResult, Outcome?) {
        let trimmed = input.trimmingSpaces
        guard trimmed.hasPrefix(":") else {
            let outcome = run(source: input, file: file)
            if case .exit = outcome.status { return (.quit, outcome) }
            return (.continued(outcome.status), outcome)
        }
        let command = trimmed.prefix { $0 != " " }
        let argument = String(trimmed.dropFirst(command.count)).trimmingSpaces
        switch command {
        case ":quit", ":q", ":exit": return (.quit, nil)
        case ":help", ":h":
            output.write(Session.replHelp + "\n")
        case ":vars":
            output.write(variablesTable())
        case ":reset":
            reset()
            output.write("all variables cleared\n")
        case ":time":
            let start = ContinuousClock.now
            let outcome = run(source: argument, file: file)
            output.write("time: \(formatDuration(ContinuousClock.now - start))\n")
            return (.continued(outcome.status), outcome)
        case ":load":
            guard let source = readFile(argument) else {
                output.write("cannot read '\(argument)'\n")
                return (.continued(.runtimeError), nil)
            }
            let saved = mode
            mode = .script
            defer { mode = saved }
            let outcome = run(source: source, file: argument)
            return (.continued(outcome.status), outcome)
        default:
            let hint = Suggestions.hint(for: String(command), in: Session.replCommands)
            output.write("unknown command \(command)\(hint); :help lists them\n")
        }
        return (.continued(.ok), nil)
    }

    static let replCommands = [":help", ":vars", ":time", ":load", ":reset", ":quit"]

    static let replHelp = """
    tensh — type expressions and statements; help() lists the builtins, help("name") describes one.
      :vars         variables (name, shape, dtype, requires_grad)
      :time EXPR    run EXPR and print the wall time
      :load FILE    run a script in this session
      :reset        forget every variable
      :quit         leave (or Ctrl-D)
    Ctrl-C cancels a running computation, or clears the line at the prompt.
    """

    /// `:vars`: one line per variable.
    func variablesTable() -> String {
        let vars = variables
        if vars.isEmpty { return "no variables\n" }
        let width = vars.map(\.name.count).max() ?? 0
        return vars.map { name, value in
            let pad = String(repeating: " ", count: width - name.count)
            switch value {
            case .tensor(let t):
                return "\(name)\(pad)  \(shapeText(t.shape)) \(t.dtype)" + (t.requiresGrad ? " requires_grad" : "") + "\n"
            case .function(let f): return "\(name)\(pad)  function(\(f.parameterNames.joined(separator: ", ")))\n"
            default: return "\(name)\(pad)  \(value.typeName) \(value.repr)\n"
            }
        }.joined()
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
