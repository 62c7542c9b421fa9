import Foundation
import XCTest

/// Runs a command in a detached tmux session of a given size (COLORTERM=truecolor
/// by default), types into it with `send-keys`, reads the screen with
/// `capture-pane -p [-e]`, and waits for text with a timeout. Each session has
/// its own tmux server socket, so tests never touch the user's tmux.
final class TmuxSession {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socket: String
    let name = "t"
    private var alive = true
    nonisolated(unsafe) private static var counter = 0

    init(command: String, width: Int, height: Int, environment: [String: String] = ["COLORTERM": "truecolor"]) throws {
        try Self.requireTmux()
        Self.counter += 1
        socket = "tensh-test-\(getpid())-\(Self.counter)"
        var args = ["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height)]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(key)=\(value)"] }
        // `swift test` exports NO_COLOR=1; the program under test must not inherit it.
        args.append("unset NO_COLOR; " + command)
        // The server forks off and would hold an output pipe open forever: no capture here.
        try Self.run("tmux", ["-L", socket] + args, captureOutput: false)
    }

    deinit { kill() }

    /// tmux key names (`Enter`, `C-c`, `F2`, `Up`) or literal text with `literal: true`.
    func send(_ keys: String..., literal: Bool = false) throws {
        _ = try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// Types `text` and presses Enter.
    func type(_ text: String) throws {
        try send(text, literal: true)
        try send("Enter")
    }

    /// The screen as text; with `escapes` the SGR colour codes are kept.
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-t", name, "-p"] + (escapes ? ["-e"] : []))
    }

    /// The pane's title, as escape sequences from the program may have set it.
    func title() throws -> String {
        try tmux(["display-message", "-p", "-t", name, "#{pane_title}"]).trimmingCharacters(in: .newlines)
    }

    func resize(width: Int, height: Int) throws {
        _ = try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `predicate` holds; returns that screen or throws with the last one.
    /// The timeout is generous because a wait ends as soon as the screen is right: only a
    /// screen that never comes costs it, and a loaded machine may take seconds to start tmux.
    @discardableResult
    func wait(for description: String, timeout: TimeInterval = 60, escapes: Bool = false,
              _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = (try? capture(escapes: escapes)) ?? ""
            if predicate(screen) { return screen }
            usleep(50_000)
        } while Date() < deadline
        throw Failure(description: "timed out after \(timeout)s waiting for \(description); screen:\n\(screen)")
    }

    @discardableResult
    func wait(forText text: String, timeout: TimeInterval = 60, escapes: Bool = false) throws -> String {
        try wait(for: "\"\(text)\"", timeout: timeout, escapes: escapes) { $0.contains(text) }
    }

    func kill() {
        guard alive else { return }
        alive = false
        _ = try? Self.run("tmux", ["-L", socket, "kill-server"], captureOutput: false)
    }

    private func tmux(_ args: [String]) throws -> String {
        try Self.run("tmux", ["-L", socket] + args)
    }

    /// tmux must exist; scripts/setup.sh installs it (the test command runs it first).
    static func requireTmux() throws {
        if (try? run("tmux", ["-V"])) != nil { return }
        throw Failure(description: "tmux is not installed: run scripts/setup.sh")
    }

    /// Runs a tool through `system` (which waits for exactly its child) with output
    /// in a temporary file: tmux's server forks off and would keep a pipe open.
    @discardableResult
    static func run(_ tool: String, _ args: [String], captureOutput: Bool = true) throws -> String {
        let outputPath = NSTemporaryDirectory() + "tensh-tmux-\(getpid())-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let target = captureOutput ? shellQuoted(outputPath) : "/dev/null"
        let command = ([tool] + args).map(shellQuoted).joined(separator: " ") + " >\(target) 2>&1 </dev/null"
        let status = system(command)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failure(description: "\(tool) \(args.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }
}

/// Shell quoting for commands handed to tmux.
func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
