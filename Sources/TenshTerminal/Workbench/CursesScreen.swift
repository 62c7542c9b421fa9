import CNcurses
import Foundation
import TenshRender
import TenshText
import TenshWorkbench
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses side of the workbench: starts the terminal (24-bit colour via a
/// direct-colour terminfo when COLORTERM says so), paints buffer diffs, and
/// restores the terminal. The only Swift that draws with ncurses.
final class CursesScreen {
    private(set) var colorMode: TerminalColorMode = .none
    private var pairs = ColorPairCache(capacity: 1)
    private var previous: Buffer?
    private var screen: OpaquePointer?
    private(set) var isActive = false

    /// Starts ncurses. `allowColor` false (`--color=never`, NO_COLOR) forces the ramp.
    /// Returns nil when no terminal description works (the caller falls back to plain).
    init?(allowColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        setlocale(LC_ALL, "")
        guard let started = Self.newTerminal(environment: environment) else { return nil }
        screen = started
        isActive = true
        raw()
        noecho()
        nonl()
        set_escdelay(25)
        if allowColor, has_colors() {
            start_color()
            use_default_colors()
            colorMode = TerminalColorMode.detect(colors: Int(tensh_colors()), hasColors: true)
            pairs = ColorPairCache(capacity: Int(tensh_color_pairs()))
        }
    }

    /// `newterm` with a direct-colour terminfo first when the terminal claims
    /// 24-bit colour (ncurses-term provides xterm-direct / tmux-direct), then $TERM.
    private static func newTerminal(environment: [String: String]) -> OpaquePointer? {
        let term = environment["TERM"] ?? "xterm"
        var candidates: [String] = []
        if let colorterm = environment["COLORTERM"]?.lowercased(), colorterm == "truecolor" || colorterm == "24bit" {
            candidates.append(term.hasPrefix("tmux") || term.hasPrefix("screen") ? "tmux-direct" : "xterm-direct")
        }
        candidates.append(term)
        // newterm returns nil (it does not exit, unlike initscr) when an entry is missing.
        for name in candidates {
            if let s = newterm(name, stdout, stdin) { return s }
        }
        return nil
    }

    var size: (width: Int, height: Int) {
        (Int(tensh_getmaxx(tensh_stdscr())), Int(tensh_getmaxy(tensh_stdscr())))
    }

    /// While a statement runs nobody calls wgetch, so ncurses never sees SIGWINCH:
    /// ask the terminal for its size and resize when it changed. True on a change.
    func followTerminalSize() -> Bool {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return false }
        let rows = Int32(size.ws_row), columns = Int32(size.ws_col)
        guard is_term_resized(rows, columns) else { return false }
        resizeterm(rows, columns)
        invalidate()
        return true
    }

    /// Reads one byte (keypad decoding stays off: readline and the pane's
    /// `KeyParser` read raw sequences), KEY_RESIZE, or ERR after `milliseconds`.
    func readKey(timeout milliseconds: Int32) -> Int32 {
        wtimeout(tensh_stdscr(), milliseconds)
        return wgetch(tensh_stdscr())
    }

    /// Forgets what is on screen: the next paint redraws every cell.
    func invalidate() {
        previous = nil
        clearok(tensh_stdscr(), true)
    }

    /// Paints the cells that changed since the last paint, then places the cursor.
    func paint(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        guard isActive else { return }
        let runs = previous.map { buffer.diff(from: $0) } ?? buffer.diff(from: Buffer(width: 0, height: 0))
        var needsRepaint = false
        for run in runs {
            var x = run.x
            for cell in run.cells {
                if !cell.isContinuation { needsRepaint = put(cell, x: x, y: run.y) || needsRepaint }
                x += 1
            }
        }
        previous = buffer
        if needsRepaint {
            // The pair cache started over: cells painted earlier may now show wrong colours.
            previous = nil
            return paint(buffer, cursor: cursor)
        }
        if let c = cursor {
            curs_set(1)
            wmove(tensh_stdscr(), Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        wrefresh(tensh_stdscr())
    }

    /// Writes one cell; returns true when the colour-pair cache was reset.
    private func put(_ original: Cell, x: Int, y: Int) -> Bool {
        let cell = colorMode == .none ? TerminalColorMode.monochrome(original) : original
        let fg = colorMode.colorNumber(cell.fg), bg = colorMode.colorNumber(cell.bg)
        let allocation = pairs.pair(fg: fg, bg: bg)
        if allocation.isNew { init_extended_pair(allocation.pair, fg, bg) }
        var text: [wchar_t] = Self.displayable(cell.symbol).unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        if text.isEmpty { text = [wchar_t(32)] }
        text.append(0)
        _ = tensh_put_cell(tensh_stdscr(), Int32(y), Int32(x), text, attributes(cell.attributes), allocation.pair)
        return allocation.reset
    }

    /// A cell never sends the terminal a control, format (bidi override) or other
    /// non-printable character: printed text reaches the transcript as it is.
    static func displayable(_ symbol: String) -> String {
        symbol.unicodeScalars.allSatisfy(Escaping.isPrintable) ? symbol : "\u{FFFD}"
    }

    private func attributes(_ a: Attributes) -> Int32 {
        var value: Int32 = 0
        if a.contains(.bold) { value |= tensh_a_bold() }
        if a.contains(.dim) { value |= tensh_a_dim() }
        if a.contains(.underline) { value |= tensh_a_underline() }
        if a.contains(.reverse) { value |= tensh_a_reverse() }
        return value
    }

    /// Restores the terminal. Safe to call more than once.
    func shutdown() {
        guard isActive else { return }
        isActive = false
        curs_set(1)
        endwin()
        if let s = screen { delscreen(s) }
        screen = nil
    }
}
