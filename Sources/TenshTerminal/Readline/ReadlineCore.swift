import CReadline
import Foundation
import TenshWorkbench
#if canImport(Glibc)
import Glibc
#endif

/// GNU readline as both front ends use it — the plain REPL calls `readline()`,
/// the workbench drives the callback interface (`ReadlineBridge`) — with one set
/// of settings, one history file and one tab-completion trampoline. Readline is
/// global state and its hooks are C function pointers without context, so one
/// core is active at a time (`active`), reached from the trampoline.
final class ReadlineCore {
    nonisolated(unsafe) fileprivate static var active: ReadlineCore?

    /// Characters that end the word being completed. Not `.`: `w1.sha` is
    /// completed as a whole (to `w1.shape`). Not `:`: `:va` completes to `:vars`.
    static let wordBreaks = " \t\n\"'()[]{},=+-*/@<>;"

    /// Candidates for a word: (the line up to the cursor, the word) → completions.
    var complete: (String, String) -> [String]
    private var candidates: [String] = []
    private let history: ReplHistory?

    init(historyPath: String?, complete: @escaping (String, String) -> [String]) {
        self.complete = complete
        history = historyPath.map(ReplHistory.init(path:))
        rl_readline_name = UnsafePointer(Self.name)
        rl_catch_signals = 0
        rl_completer_word_break_characters = UnsafePointer(Self.breaks)
        rl_attempted_completion_function = attemptCompletion
        using_history()
        history?.load()
        ReadlineCore.active = self
    }

    // Readline keeps these pointers for the life of the process.
    nonisolated(unsafe) private static let name = strdup("tensh")
    nonisolated(unsafe) private static let breaks = strdup(wordBreaks)

    /// A line was entered: into the history, and onto the end of its file.
    func remember(_ line: String) {
        history?.append(line)
    }

    /// Cuts the history file to its last lines; the core is no longer active.
    func close() {
        history?.truncate()
        if ReadlineCore.active === self { ReadlineCore.active = nil }
    }

    fileprivate func matches(for text: UnsafePointer<CChar>?, lineEnd end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let word = text.map { String(cString: $0) } ?? ""
        candidates = complete(Self.lineBeforeCursor(end), word).filter { $0.hasPrefix(word) }
        return rl_completion_matches(text, nextCandidate)
    }

    fileprivate func candidate(_ index: Int) -> UnsafeMutablePointer<CChar>? {
        index >= 0 && index < candidates.count ? strdup(candidates[index]) : nil
    }

    /// The line buffer up to byte `end` (where the word being completed ends).
    private static func lineBeforeCursor(_ end: Int32) -> String {
        guard let buffer = rl_line_buffer else { return "" }
        let length = min(Int(max(0, end)), Int(max(0, rl_end)))
        return String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    }
}

/// readline's attempted-completion hook: only our candidates (no file-name
/// fallback), and no space appended after a completion.
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1
    rl_completion_append_character = 0
    return ReadlineCore.active?.matches(for: text, lineEnd: end)
}

/// readline's generator: called with state 0, 1, 2, ... until nil; the state is the candidate's index.
private func nextCandidate(_: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    ReadlineCore.active?.candidate(Int(state))
}

/// The history file (`$XDG_STATE_HOME/tensh/history`, else `~/.tensh_history`):
/// read when readline starts; each non-blank line appended the moment it is
/// entered, so a crash or a `kill` loses nothing; cut to the last `maxLines`
/// lines when the REPL starts and ends. The only code that creates its directory.
public struct ReplHistory {
    public static let maxLines: Int32 = 10_000
    let path: String

    /// nil when neither `XDG_STATE_HOME` nor `HOME` is set.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/tensh/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.tensh_history"
    }

    func load() {
        _ = read_history(path)
        truncate()
    }

    func append(_ line: String) {
        guard !EntryBuffer.isBlank(line) else { return }
        add_history(line)
        if access(path, F_OK) == 0 {
            _ = append_history(1, path)
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        _ = write_history(path)
    }

    func truncate() {
        _ = history_truncate_file(path, Self.maxLines)
    }
}
