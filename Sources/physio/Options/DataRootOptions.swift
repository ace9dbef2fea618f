import ArgumentParser
import FoundationEssentials

/// Where datasets live locally.
struct DataRootOptions: ParsableArguments {
    @Option(name: .long, help: "Data root (default: $PHYSIO_DATA, else the current directory).")
    var dest: String?

    var root: URL {
        let environment = ProcessInfo.processInfo.environment
        let path = dest ?? environment["PHYSIO_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }
}
