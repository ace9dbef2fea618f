/// A command for a person to paste: its words, each quoted for a POSIX shell only when it needs it, so a
/// printed hint runs as printed (`--include '*.csv.gz'`, `--dest 'my data'`).
public struct PrintedCommand: Sendable, Equatable, CustomStringConvertible {
    public var words: [String]

    public init(_ words: [String]) {
        self.words = words
    }

    /// `physio` followed by `arguments`.
    public static func physio(_ arguments: [String]) -> PrintedCommand {
        PrintedCommand(["physio"] + arguments)
    }

    public var description: String { words.map(Self.quoted).joined(separator: " ") }

    /// `word` as the shell would read it back: bare when every character is safe, else in single quotes
    /// (a quote inside becomes `'\''`).
    public static func quoted(_ word: String) -> String {
        guard !word.isEmpty else { return "''" }
        let safe = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "@", "%", "+", "=", ":", ",", ".", "/", "_", "-": return true
            default: return false
            }
        }
        if safe { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
