/// The options a printed command needs to reach the server this run talks to (`--base-url`,
/// `--allow-insecure-http`, `--proxy`, `--cacert`), as the user gave them. Hints that name a command talking
/// to the server (`physio sign-dua`, `physio login`, `physio status`) are built through it: without them, a
/// hint printed by a run against a simulator or a proxy would, pasted into another shell, talk to
/// physionet.org directly.
public struct ServerArguments: Sendable, Equatable {
    public var words: [String]

    public init(_ words: [String] = []) {
        self.words = words
    }

    /// `physio` with `arguments`, then these options.
    public func physio(_ arguments: [String]) -> PrintedCommand {
        .physio(arguments + words)
    }
}
