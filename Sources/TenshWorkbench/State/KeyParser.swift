/// Turns the bytes a terminal sends into `Key`s for the pane. ncurses' keypad
/// mode is never switched on (readline must see raw escape sequences), so the
/// pane decodes the common xterm sequences itself, in both cursor modes:
/// `ESC [ A` and `ESC O A` are both Up. A lone ESC becomes `.escape` when no
/// byte follows in time (`flush`).
public struct KeyParser: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// True while an escape sequence is incomplete (the caller waits briefly, then flushes).
    public var isPending: Bool { !pending.isEmpty }

    public mutating func feed(_ byte: UInt8) -> [Key] {
        if pending.isEmpty {
            if byte == 27 { pending = [27]; return [] }
            return Self.plain(byte).map { [$0] } ?? []
        }
        pending.append(byte)
        if pending.count == 2 {
            guard byte == UInt8(ascii: "[") || byte == UInt8(ascii: "O") else {
                pending = []  // Alt+key: an escape, then the key
                return [.escape] + (Self.plain(byte).map { [$0] } ?? [])
            }
            return []
        }
        if pending[1] == UInt8(ascii: "O") || (0x40...0x7e).contains(byte) {
            let sequence = pending
            pending = []
            return Self.decode(sequence).map { [$0] } ?? []
        }
        if pending.count > 16 { pending = [] }  // garbage: drop it rather than grow
        return []
    }

    /// Called when no further byte came: a pending lone ESC is the Escape key.
    public mutating func flush() -> [Key] {
        defer { pending = [] }
        return pending == [27] ? [.escape] : []
    }

    static func plain(_ byte: UInt8) -> Key? {
        switch byte {
        case 13, 10: return .enter
        case 9: return .tab
        case 0x20...0x7e: return .character(Character(Unicode.Scalar(byte)))
        default: return nil
        }
    }

    /// `ESC [ params final` or `ESC O final`.
    static func decode(_ sequence: [UInt8]) -> Key? {
        guard let final = sequence.last else { return nil }
        switch Character(Unicode.Scalar(final)) {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Q": return sequence[1] == UInt8(ascii: "O") ? .f2 : nil
        case "~":
            let number = Int(String(decoding: sequence.dropFirst(2).dropLast().prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self))
            switch number {
            case 1, 7: return .home
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case 12: return .f2
            default: return nil
            }
        default: return nil
        }
    }
}
