import TenshEngine

/// Runs tensh source: a REPL line, a script, a `-e` argument and a test all go
/// through `run(source:file:)` (jlox's single run path). A session owns its
/// variables; there is no global interpreter state.
public final class Session {
    public enum Mode: Sendable { case script, repl }

    public enum Status: Hashable, Sendable {
        case ok
        case syntaxError
        case runtimeError
        case interrupted
        /// `exit(code)` was called.
        case exit(Int32)
    }

    public struct Outcome {
        public var status: Status
        public var diagnostics: [Diagnostic]
        /// The diagnostics as text (`file:line:col: error: ...` plus source and caret).
        public var rendered: String
        /// What ran, for rendering the diagnostics again (with colour).
        public var source: String
        public var file: String
    }

    let interpreter: Interpreter
    public var renderer = DiagnosticRenderer()

    public init(output: OutputWriter = StandardOutput(), arguments: [String] = [], mode: Mode = .script,
                registry: BuiltinRegistry = .standard) {
        interpreter = Interpreter(registry: registry, output: output, arguments: arguments)
        self.mode = mode
    }

    /// In `.repl` mode an expression statement's value is echoed (a trailing `;` suppresses it).
    public var mode: Mode {
        get { interpreter.echo ? .repl : .script }
        set { interpreter.echo = newValue == .repl }
    }

    public var output: OutputWriter { interpreter.output }

    public var registry: BuiltinRegistry { interpreter.registry }

    /// Parses and runs `source`. Nothing runs when it has syntax errors (one per
    /// statement is reported); a runtime error stops the run, keeping every
    /// variable assigned so far.
    @discardableResult
    public func run(source: String, file: String = "<stdin>") -> Outcome {
        run(Parser.parse(source), source: source, file: file)
    }

    /// Runs statements already parsed from `source` (a REPL entry is lexed once).
    func run(_ parsed: (statements: [Stmt], errors: [Diagnostic]), source: String, file: String) -> Outcome {
        let (statements, errors) = parsed
        if !errors.isEmpty { return outcome(.syntaxError, errors, source, file) }
        let origin = SourceOrigin(source: source, file: file)
        interpreter.currentOrigin = origin
        defer { interpreter.currentOrigin = nil }
        do {
            for s in statements {
                try runStatement(s, origin)
            }
            return outcome(.ok, [], source, file)
        } catch let exit as ExitRequest {
            return outcome(.exit(exit.code), [], source, file)
        } catch let d as Diagnostic {
            return outcome(d.phase == .interrupted ? .interrupted : .runtimeError, [d], source, file)
        } catch {
            return outcome(.runtimeError, [Diagnostic("\(error)", SourceSpan(line: 1, column: 1, length: 1, offset: 0), phase: .runtime)], source, file)
        }
    }

    /// Syntax errors only (`tensh check`).
    public func check(source: String, file: String) -> Outcome {
        let errors = Parser.parse(source).errors
        return outcome(errors.isEmpty ? .ok : .syntaxError, errors, source, file)
    }

    private func runStatement(_ s: Stmt, _ origin: SourceOrigin) throws {
        do {
            let flow = try interpreter.execute(s)
            if case .breakLoop = flow { throw RuntimeError("'break' outside a loop", at: s.span) }
            if case .continueLoop = flow { throw RuntimeError("'continue' outside a loop", at: s.span) }
        } catch let error as RuntimeError {
            var d = Diagnostic(error.message, error.span ?? s.span, phase: .runtime)
            // Only keep an origin that differs from this run's own source.
            if let o = error.origin, o != origin { d.origin = o }
            throw d
        } catch let error as Interrupted {
            Cancellation.reset()
            throw Diagnostic("interrupted", error.span, phase: .interrupted)
        } catch let error as EngineError {
            if error.kind == .cancelled {
                Cancellation.reset()
                throw Diagnostic("interrupted", s.span, phase: .interrupted)
            }
            throw Diagnostic(error.message, s.span, phase: .runtime)
        }
    }

    private func outcome(_ status: Status, _ diagnostics: [Diagnostic], _ source: String, _ file: String) -> Outcome {
        Outcome(status: status, diagnostics: diagnostics, rendered: renderer.render(diagnostics, source: source, file: file),
                source: source, file: file)
    }

    // MARK: inspection (the REPL's :vars, completion)

    /// Global variables, sorted by name.
    public var variables: [(name: String, value: Value)] {
        interpreter.environment.globals.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func value(of name: String) -> Value? { interpreter.environment.lookup(name) }

    /// The first global variable (by name) whose value is this very tensor: graph labels.
    public func variableName(of tensor: Tensor) -> String? { interpreter.variableName(of: tensor) }

    /// Forgets every variable and every kept gradient (`:reset`).
    public func reset() {
        interpreter.environment.reset()
        interpreter.retainedGradients?.clear()
    }

    /// Where backward and grad keep the gradients of op outputs (the graph view's
    /// `|grad|` on every node, `stats`); nil keeps none.
    public var retainedGradients: RetainedGradients? {
        get { interpreter.retainedGradients }
        set { interpreter.retainedGradients = newValue }
    }

    /// The gradient of a graph node's output: a leaf's (or a retained op output's)
    /// `.grad`, else the gradient the last backward/grad kept.
    public func gradient(of tensor: Tensor) -> Tensor? {
        tensor.grad ?? interpreter.retainedGradients?.gradient(of: tensor)
    }

    /// Receives `for x in progress(xs)` steps; the command line sets one when stderr is a terminal.
    public var progressSink: ProgressSink? {
        get { interpreter.progressSink }
        set { interpreter.progressSink = newValue }
    }

    /// Where show/graph/plot/save_image draw: the workbench pane or plain text.
    public var display: DisplaySink? {
        get { interpreter.display }
        set { interpreter.display = newValue }
    }

    /// Columns of the front end's text (the terminal, the workbench's transcript): `:vars` cuts its lines to it.
    public var outputWidth = 80

    public var arguments: [String] {
        get { interpreter.scriptArguments }
        set { interpreter.scriptArguments = newValue }
    }
}
