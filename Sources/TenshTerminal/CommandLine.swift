import CNcurses
import CReadline
import TenshWorkbench

/// The `tensh` command line. Filled in by the language and terminal work.
public enum TenshCommandLine {
    public static func main() {
        print("tensh 0.1.0")
    }
}
