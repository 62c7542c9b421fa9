@testable import TenshIO

/// Hostile pickles for HostileFileTests: commands, opcodes outside the
/// protocol-2 set, containers that hold themselves or expand without bound,
/// truncation and stack abuse.
enum PickleRows {
    static func row(_ name: String, _ text: String, _ message: String) -> HostileFileTests.Row {
        HostileFileTests.Row(name: name, bytes: text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }, parser: .pickle, message: message)
    }

    static func string(_ s: String) -> String {
        "X" + String(UnicodeScalar(UInt8(s.utf8.count))) + "\u{0}\u{0}\u{0}" + s
    }

    static var all: [HostileFileTests.Row] {
        [
            row("os.system", "\u{80}\u{2}cos\nsystem\nq\u{0}" + string("touch /tmp/tensh_pickle_marker_rows") + "\u{85}R.",
                "at byte 2: the pickle names the global 'os.system', which tensh does not allow"),
            row("builtins.eval", "\u{80}\u{2}cbuiltins\neval\n" + string("1") + "\u{85}R.", "the global 'builtins.eval'"),
            row("subprocess.Popen", "\u{80}\u{2}csubprocess\nPopen\n" + string("ls") + "\u{85}R.", "the global 'subprocess.Popen'"),
            row("a model class", "\u{80}\u{2}ctorch.nn.modules.conv\nConv2d\n)R.", "the global 'torch.nn.modules.conv.Conv2d'"),
            row("escape codes in a global", "\u{80}\u{2}c\u{1b}]0;pwned\u{7}\nx\n.", "the global '\\x1b]0;pwned\\x07.x'"),
            row("STACK_GLOBAL", "\u{80}\u{2}" + string("os") + string("system") + "\u{93}.", "unsupported pickle opcode 0x93"),
            row("INST", "\u{80}\u{2}(ios\nsystem\n.", "unsupported pickle opcode 0x69"),
            row("protocol 6", "\u{80}\u{6}N.", "unsupported pickle protocol 6"),
            row("REDUCE on a number", "\u{80}\u{2})K\u{1}R.", "REDUCE needs an allowed global and a tuple, not a tuple and an int"),
            row("NEWOBJ of OrderedDict", "\u{80}\u{2}ccollections\nOrderedDict\n)\u{81}.", "NEWOBJ may only create torch.nn.Parameter"),
            row("BUILD on a list", "\u{80}\u{2}]}b.", "BUILD may only set the state of a dict, not of a list"),
            row("a list that holds itself", "\u{80}\u{2}]q\u{0}h\u{0}a.", "nests more than 100 levels deep (or a container holds itself)"),
            row("a billion laughs", laughs(levels: 30), "expands to more than 4194304 values"),
            row("truncated string", "\u{80}\u{2}X\u{ff}\u{0}\u{0}\u{0}ab", "the pickle ends early (truncated)"),
            row("no STOP", "\u{80}\u{2}K\u{1}", "the pickle ends early (truncated)"),
            row("stack underflow", "\u{80}\u{2}R.", "stack underflow"),
            row("unknown memo", "\u{80}\u{2}h\u{5}.", "memo entry 5 is read before it is written"),
            row("persistent id that is not a storage", "\u{80}\u{2}(" + string("module") + "tQ.", "a persistent id must be ('storage'"),
            row("huge integer", "\u{80}\u{2}\u{8a}\u{9}123456789.", "an integer of 9 bytes is too large"),
            row("SETITEM on a list", "\u{80}\u{2}]K\u{1}K\u{2}s.", "SETITEM needs a dict, not a list"),
            row("APPENDS without MARK", "\u{80}\u{2}]e.", "no MARK to pop to"),
            row("a storage as a value", "\u{80}\u{2}(" + string("storage") + "ctorch\nFloatStorage\n" + string("0") + string("cpu") + "K\u{2}tQ.",
                "the pickle holds a storage as a value"),
        ]
    }

    /// Level k is a list of two references to level k - 1: 2^levels values once expanded.
    static func laughs(levels: Int) -> String {
        var text = "\u{80}\u{2}]q\u{0}"
        for k in 1...levels {
            text += "](h" + String(UnicodeScalar(UInt8(k - 1))) + "h" + String(UnicodeScalar(UInt8(k - 1))) + "eq" + String(UnicodeScalar(UInt8(k)))
        }
        return text + "."
    }
}
