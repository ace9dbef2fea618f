import ArgumentParser
import FoundationEssentials
import PhysioKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented physio.toml to start from.",
        discussion: "The example names two open demos and explains every key; edit it, then run `physio sync`.")

    @Option(name: .long, help: ArgumentHelp("Where to write it (default: ./physio.toml).", valueName: "path"))
    var file: String?

    @Flag(name: .long, help: "Replace an existing file.")
    var force = false

    func run() throws {
        let url = URL(fileURLWithPath: file ?? DataEnvironment.fileName).standardizedFileURL
        do {
            if FileSystem.exists(url) && !force {
                throw PhysioError.usage("\(url.path) already exists; edit it, or pass --force to replace it with the example.")
            }
            try FileSystem.writeAtomically(Array(DataEnvironment.example.utf8), to: url)
            Console.out("Wrote \(url.path). Edit it, then run `physio sync`.")
        } catch let error as PhysioError {
            Console.error("physio: \(error.message)")
            throw ExitCode(error.exitCode.rawValue)
        }
    }
}
