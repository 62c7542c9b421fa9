import TenshEngine
import TenshLanguage
import TenshText
import TenshWorkbench
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `tensh` command line: scripts, `-e`, `check`, the REPL.
public enum TenshCommandLine {
    public static let version = "tensh 0.1.0"

    public static func main() {
        exit(run(Array(CommandLine.arguments.dropFirst())).rawValue)
    }

    static func run(_ argv: [String]) -> ExitCode {
        let options: Options
        do {
            options = try Options.parse(argv)
        } catch let error as Options.UsageError {
            fputs("tensh: \(error.message)\n\(Options.usage)\n", stderr)
            return .usage
        } catch {
            return .usage
        }
        if let n = options.threads { EngineConfig.threads = n }
        if let n = options.maxTensorBytes { EngineConfig.maxTensorBytes = n }
        let color = useColor(options.color)
        let colorChoice = ColorChoice(rawValue: options.color.rawValue) ?? .auto
        switch options.command {
        case .version:
            print(version)
            return .success
        case .help:
            print(Options.usage)
            return .success
        case .dumpBuiltins:
            print(LanguageReference.generated(), terminator: "")
            return .success
        case .check(let path):
            guard let source = readScript(path) else { return .missingFile }
            let outcome = Session().check(source: source, file: Escaping.printable(path))
            report(outcome, color: color)
            return exitCode(outcome.status)
        case .script(let path):
            guard let source = readScript(path) else { return .missingFile }
            Interrupts.install()
            return runScript(source, file: Escaping.printable(path), arguments: options.arguments, color: color,
                             colorChoice: colorChoice)
        case .evaluate(let sources):
            Interrupts.install()
            let session = Session(arguments: options.arguments)
            session.progressSink = StatusLineProgress.ifTerminal()
            let display = attachPlainDisplay(session, colorChoice, defersPlots: true)
            defer { display.finish() }
            for (i, source) in sources.enumerated() {
                let code = runOne(session, source, file: sources.count == 1 ? "<-e>" : "<-e#\(i + 1)>", color: color)
                if code != .success { return code }
            }
            return .success
        case .repl:
            if !options.plain, case .exited(let code) = runWorkbench(options, colorChoice) {
                return ExitCode(rawValue: code)
            }
            return PlainRepl(color: color, colorChoice: colorChoice).run()
        }
    }

    static func runScript(_ source: String, file: String, arguments: [String], color: Bool,
                          colorChoice: ColorChoice) -> ExitCode {
        let session = Session(arguments: arguments)
        session.progressSink = StatusLineProgress.ifTerminal()
        let display = attachPlainDisplay(session, colorChoice, defersPlots: true)
        defer { display.finish() }
        return runOne(session, source, file: file, color: color)
    }

    /// show/graph/plot as text on stdout (scripts, -e, the plain REPL). A script's
    /// plots are held until it ends (`finish()`), so a loop prints its chart once.
    @discardableResult
    static func attachPlainDisplay(_ session: Session, _ choice: ColorChoice, defersPlots: Bool = false) -> PlainDisplay {
        let env = ProcessInfo.processInfo.environment
        let mode = choice.plainMode(isTerminal: isatty(STDOUT_FILENO) == 1, environment: env)
        let width = Int(env["COLUMNS"] ?? "").flatMap { $0 >= 20 ? $0 : nil } ?? terminalColumns() ?? 80
        let display = PlainDisplay(mode: mode, width: width, tensorNamer: { [weak session] t in
            session?.variableName(of: t)
        }) { text in session.output.write(text) }
        display.gradientOf = { [weak session] t in session?.gradient(of: t) }
        display.defersPlots = defersPlots
        session.display = display
        session.outputWidth = width
        return display
    }

    static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 else { return nil }
        return Int(size.ws_col)
    }

    /// The ncurses workbench when stdin and stdout are a terminal of at least
    /// 80x24; otherwise prints why not and returns `.unavailable`.
    static func runWorkbench(_ options: Options, _ choice: ColorChoice) -> WorkbenchApp.Outcome {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return .unavailable("") }
        let evaluator = SessionEvaluator(arguments: options.arguments)
        let workbench = Workbench(evaluator: evaluator)
        evaluator.output.target = { [weak workbench] text in workbench?.appendOutput(text) }
        evaluator.session.display = PaneDisplay(workbench: workbench)
        evaluator.session.progressSink = PaneProgress(workbench: workbench)
        workbench.tensorNamer = { [weak evaluator] t in evaluator?.session.variableName(of: t) }
        workbench.retainedGradients = evaluator.session.retainedGradients
        evaluator.columns = { [weak workbench] in workbench?.transcriptWidth ?? 80 }
        let env = ProcessInfo.processInfo.environment
        let outcome = WorkbenchApp.run(workbench: workbench,
                                       options: .init(allowColor: choice.allowsWorkbenchColor(environment: env)))
        if case .unavailable(let notice) = outcome, !notice.isEmpty { fputs(notice + "\n", stderr) }
        return outcome
    }

    static func runOne(_ session: Session, _ source: String, file: String, color: Bool) -> ExitCode {
        let outcome = session.run(source: source, file: file)
        report(outcome, color: color)
        return exitCode(outcome.status)
    }

    static func report(_ outcome: Session.Outcome, color: Bool) {
        let renderer = DiagnosticRenderer(color: color)
        for d in outcome.diagnostics {
            fputs(renderer.render(d, source: outcome.source, file: outcome.file), stderr)
        }
    }

    static func exitCode(_ status: Session.Status) -> ExitCode {
        switch status {
        case .ok: return .success
        case .syntaxError: return .syntax
        case .runtimeError: return .runtime
        case .interrupted: return .interrupted
        case .exit(let code): return ExitCode(rawValue: code)
        }
    }

    /// The script's text, or nil after printing why it cannot be read (exit 66).
    static func readScript(_ path: String) -> String? {
        do {
            return try SourceFile.read(path)
        } catch {
            fputs("tensh: \(error)\n", stderr)
            return nil
        }
    }

    static func useColor(_ mode: Options.ColorMode) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto:
            if getenv("NO_COLOR") != nil { return false }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
            return isatty(STDERR_FILENO) != 0
        }
    }
}
