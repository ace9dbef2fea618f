import ArgumentParser
import FoundationEssentials
import PhysioKit

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove old entries of .physio/removed/ and, with --old-versions, old versions of datasets (a dry run without --yes).",
        discussion: """
            <root>/.physio/removed/<date>/ keeps what runs took out of the dataset folders: files the server no \
            longer lists, the previous bytes of files it replaced, and local copies that were edited \
            (<version>.modified/). prune removes its entries older than --older-than (default 30d), dated by \
            their day folder and counted from the end of that day (UTC); 0d takes every entry. --old-versions \
            also removes each version of a dataset older than another version of it under the root, unless \
            physio.toml declares it (a sync following "latest" leaves the previous one behind): its recorded \
            files, partial downloads and inventory rows. A recorded file that changed since physio verified it is \
            moved to .physio/removed/<today>/<slug>/<version>.modified/, never deleted, and files physio did not \
            record stay where they are. Nothing outside the data root is touched.
            Without --yes nothing changes: prune lists what it would remove, with sizes. With --yes it takes the \
            root's sync lock and each affected dataset's lock (exit 10 while a fetch or sync holds one, or wait \
            --wait-lock seconds).
            """)

    @OptionGroup var data: DataRootOptions

    @Option(name: .long, help: ArgumentHelp(
        "Remove entries of .physio/removed/ older than this: whole days or hours, such as 30d or 12h (0d: every entry).",
        valueName: "age"))
    var olderThan: String = PruneAge.default.description

    @Flag(name: .long, help: "Also remove old versions of datasets (older than another version under the root, and not declared by physio.toml).")
    var oldVersions = false

    @Flag(name: .long, help: "Remove what the dry run lists; without it nothing changes.")
    var yes = false

    @OptionGroup var lockWait: LockWaitOptions

    @Flag(name: .long, help: "Print the report as JSON on stdout.")
    var json = false

    func validate() throws {
        guard PruneAge(olderThan) != nil else {
            throw ValidationError("--older-than takes a whole number of days or hours, such as 30d or 12h, not '\(olderThan)'.")
        }
    }

    func run() async throws {
        try await reportingFailures(json: json) {
            guard let age = PruneAge(olderThan) else { throw PhysioError.usage("--older-than \(olderThan) is not an age.") }
            let root = data.root
            let pruner = Pruner(root: root, olderThan: age, oldVersions: oldVersions, context: invocation)
            let wait = lockWait
            let report = try await BlockingIO.run { () throws in
                yes ? try pruner.prune(waitSeconds: wait.waitLock, waiting: wait.announceWait(root.path)) : try pruner.plan()
            }
            if json {
                try Console.json(report)
            } else {
                PruneReportPrinter.print(report, confirm: confirmCommand)
            }
            return .success
        }
    }

    /// This dry run's command with `--yes`, as printed for the user to run.
    var confirmCommand: PrintedCommand {
        var words = ["prune"] + data.commandWords
        if olderThan != PruneAge.default.description { words += ["--older-than", olderThan] }
        if oldVersions { words.append("--old-versions") }
        return .physio(words + ["--yes"])
    }
}
