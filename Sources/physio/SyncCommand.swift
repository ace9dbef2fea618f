import ArgumentParser
import FoundationEssentials
import PhysioKit

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the data root to what physio.toml declares, and write physio.lock.",
        discussion: """
            Reads physio.toml from the current folder or the nearest one above it (or --file). Each dataset is \
            fetched, verified and kept current as `physio fetch` does; with nothing new a dataset costs one \
            conditional request for its SHA256SUMS.txt and a stat per file. Files the server (or the selection) \
            no longer has move to <root>/.physio/removed/<date>/ (--prune deletes them), and so do the previous \
            bytes of files it replaced; a file edited locally is replaced with a warning and kept there under \
            <version>.modified/, --prune or not. A newer version of a pinned dataset is reported, never \
            fetched: a data use agreement is signed per version; the version "latest" stood for before stays \
            (`physio prune --old-versions` removes it).
            Unattended by design: credentials come only from PHYSIONET_USERNAME with PHYSIONET_PASSWORD or \
            PHYSIONET_PASSWORD_FILE, ~/.netrc (or $NETRC) or a saved `physio login`; without them a dataset that needs a login stops the sync with exit 5 at once \
            (--interactive allows a prompt). One sync per root at a time: another exits 10, or waits \
            --wait-lock seconds. Connections to one server are shared by every physio process of this user on \
            the machine (at most $PHYSIO_MAX_CONNECTIONS, default 8).
            Writes the run's summary to <root>/.physio/last-sync.json (also printed by --json). Exit 0 when \
            every dataset is verified and current, else the most severe code of the table in `physio --help`.
            """)

    @Option(name: .long, help: ArgumentHelp("The physio.toml to use (default: found from the current folder upwards).", valueName: "path"))
    var file: String?

    @Flag(name: .long, help: "Hold every dataset to physio.lock: the locked version and exactly the locked file list, or fail (exit 7).")
    var locked = false

    @Flag(name: .long, help: "Delete files the server no longer lists, and the previous bytes of files it replaced, instead of keeping them in .physio/removed/ (locally edited files are kept anyway).")
    var prune = false

    @OptionGroup var lockWait: LockWaitOptions

    @Option(name: .long, help: ArgumentHelp(
        "Retry each failed request N times, a server refusing connections included (default: [data] retries, else a refused connection for a minute and anything else 7 times; fetch gives a refused connection 5 s).",
        valueName: "N"))
    var retries: Int?

    @Flag(name: .long, help: "Allow a login prompt when a dataset needs credentials none of the unattended sources gives.")
    var interactive = false

    @Option(name: .long, help: ArgumentHelp("Sync only this dataset of physio.toml (repeatable); the others and their physio.lock entries stay as they are.", valueName: "slug"))
    var only: [String] = []

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let retries, !(0...100).contains(retries) { throw ValidationError("--retries takes a whole number from 0 to 100.") }
    }

    @Flag(name: .long, help: "Print the run summary as JSON on stdout.")
    var json = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() async throws {
        try await reportingFailures(json: json) {
            let environment = try DataEnvironment.load(try Self.environmentFile(file), context: invocation)
            let session = try connection.openSession(declared: environment)
            for slug in only where !environment.datasets.contains(where: { $0.slug == slug }) {
                throw PhysioError.usage(
                    "--only \(slug): \(environment.file.path) declares no such dataset (it has \(environment.datasets.map(\.slug).joined(separator: ", "))).")
            }
            // A misspelt slug is a physio.toml mistake, reported before anything downloads.
            if let mistake = await ProjectCatalog(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                .unpublished(in: environment)
            {
                throw mistake
            }
            let syncLock = try await BlockingIO.run { () throws in
                try RunLock(
                    at: SyncEngine.lockFile(root: environment.root), waitSeconds: lockWait.waitLock,
                    waiting: lockWait.announceWait("syncing \(environment.root.path)"),
                    staleHolder: { holder in
                        Console.error("physio: taking over the sync lock of a run that ended without releasing it (\(holder)).")
                    })
            }
            defer { withExtendedLifetime(syncLock) {} }
            let mirrorConnections = environment.datasets.map { ConnectionPlan(jobs: $0.jobs, source: $0.source).mirrorConnections }.max() ?? 0
            let budget = try await connection.connectionBudget(
                for: session, wanted: ConnectionPlan.physioNetLimit, mirrorConnections: mirrorConnections)

            let progress = TransferProgress()
            let display = progressOptions.display(for: progress)
            let interruption = RunInterruption()
            SignalTrap.install(interruption)
            let engine = SyncEngine(
                engine: FetchEngine(
                    transport: session.transport, site: session.site, events: display.eventSink, progress: progress,
                    advisor: AccountAccessAdvisor(session: session, prompting: interactive), interruption: interruption),
                // --quiet: the datasets that failed are named after the run, nothing else.
                say: { [quiet = progressOptions.quiet] line in if !quiet { display.announce(line) } })
            var options = SyncEngine.Options()
            options.locked = locked
            options.prune = prune
            options.connections = budget.granted
            options.context = invocation
            options.only = only.isEmpty ? nil : Set(only)
            // Unattended: a server restarting under cron is waited out for a minute, not a few seconds.
            var retry = invocation.retryPolicy
            retry.refusedConnectionSeconds = RetryPolicy.unattendedRefusedConnectionSeconds
            if let retries = retries ?? environment.retries { retry = retry.retrying(retries) }
            options.retry = retry
            options.mirrorContext = CloudMirror.Context(
                environment: invocation.environment, homeDirectory: invocation.homeDirectory,
                billingProject: environment.billingProject, base: session.configuration)
            display.start()
            let report: SyncReport
            do {
                report = try await engine.run(environment, options: options)
                display.stop()
            } catch {
                display.stop()
                throw error
            }
            withExtendedLifetime(budget) {}
            if progressOptions.quiet {
                for dataset in report.datasets where dataset.exitCode != .success {
                    Console.error("physio: " + SyncEngine.describe(dataset))
                }
            }
            if json { try Console.json(report) }
            return report.exitCode
        }
    }

    /// `--file`, else physio.toml in the current folder or the nearest above it.
    static func environmentFile(_ file: String?) throws(PhysioError) -> URL {
        if let file { return URL(fileURLWithPath: file).standardizedFileURL }
        let here = URL(fileURLWithPath: invocation.workingDirectory, isDirectory: true)
        guard let found = DataEnvironment.find(from: here) else { throw .noDataEnvironment(from: here.path) }
        return found
    }
}
