import CNcurses
import TenshWorkbench

/// ncurses key codes (keypad on, pane focus) to the workbench's abstract keys.
enum KeyDecoding {
    static func key(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_ENTER, 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case tensh_key_f(2): return .f2
        default:
            guard code > 0, code < 128, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }
}
