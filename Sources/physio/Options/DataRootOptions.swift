import ArgumentParser
import FoundationEssentials
import PhysioKit

/// Where datasets live locally.
struct DataRootOptions: ParsableArguments {
    @Option(name: .long, help: "Data root (default: $PHYSIO_DATA, else the current directory).")
    var dest: String?

    var root: URL { invocation.dataRoot(dest: dest) }

    /// `--dest` as typed, for a command physio prints (a hint works on the same root).
    var commandWords: [String] { dest.map { ["--dest", $0] } ?? [] }
}
