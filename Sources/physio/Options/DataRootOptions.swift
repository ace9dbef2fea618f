import ArgumentParser
import FoundationEssentials
import PhysioKit

/// Where datasets live locally.
struct DataRootOptions: ParsableArguments {
    @Option(name: .long, help: "Data root (default: $PHYSIO_DATA, else the current directory).")
    var dest: String?

    var root: URL { invocation.dataRoot(dest: dest) }
}
