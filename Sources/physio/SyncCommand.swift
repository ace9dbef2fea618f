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
            --dry-run lists, per dataset, the files a sync would fetch (new), replace (changed upstream or \
            locally) and move aside or delete, with sizes and totals, and changes nothing: no download, no \
            inventory, physio.lock or last-sync.json written, no lock taken (--json: the same as one document).
            """)

    @Option(name: .long, help: ArgumentHelp("The physio.toml to use (default: found from the current folder upwards).", valueName: "path"))
    var file: String?

    @Flag(name: .long, help: "Hold every dataset to physio.lock: the locked version and exactly the locked file list, or fail (exit 7).")
    var locked = false

    @Flag(name: .long, help: "Delete files the server no longer lists, and the previous bytes of files it replaced, instead of keeping them in .physio/removed/ (locally edited files are kept anyway).")
    var prune = false

    @Flag(name: .long, help: "Say what a sync would fetch, replace, move aside or delete, with sizes, and change nothing.")
    var dryRun = false

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
        try await reportingFailures(json: json, quiet: progressOptions.quiet) {
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
            // A dry run writes nothing, not even the lock (which would make .physio/ in a fresh root); it reads
            // what a running sync may be changing, which a plan can live with.
            let syncLock: RunLock? = dryRun ? nil : try await BlockingIO.run { () throws in
                try RunLock(
                    at: SyncEngine.lockFile(root: environment.root), waitSeconds: lockWait.waitLock,
                    waiting: lockWait.announceWait("syncing \(environment.root.path)"),
                    staleHolder: { holder in
                        Console.notice("physio: taking over the sync lock of a run that ended without releasing it (\(holder)).")
                    })
            }
            defer { withExtendedLifetime(syncLock) {} }
            let mirrorConnections = environment.datasets.map { ConnectionPlan(jobs: $0.jobs, source: $0.source).mirrorConnections }.max() ?? 0
            let budget = try await connection.connectionBudget(
                for: session, wanted: ConnectionPlan.physioNetLimit, mirrorConnections: mirrorConnections)

            let progress = TransferProgress()
            let display = progressOptions.display(for: progress, dryRun: dryRun)
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
            options.rerunCommand = .physio(["sync"] + commandWords)
            options.server = session.server
            // Unattended: a server restarting under cron is waited out for a minute, not a few seconds.
            var retry = invocation.retryPolicy
            retry.refusedConnectionSeconds = RetryPolicy.unattendedRefusedConnectionSeconds
            if let retries = retries ?? environment.retries { retry = retry.retrying(retries) }
            options.retry = retry
            options.mirrorContext = CloudMirror.Context(
                environment: invocation.environment, homeDirectory: invocation.homeDirectory,
                billingProject: environment.billingProject, base: session.configuration)
            if dryRun {
                defer { withExtendedLifetime(budget) {} }
                return try await plan(environment, engine: engine, options: options)
            }
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

    /// `--dry-run`: the plan, printed as it is made (or spooled for `--json`), then the totals. No progress
    /// bar: nothing is transferred, and the plan is printed on the same terminal. Exits with the code a sync
    /// would have as far as planning can tell (a refused dataset, `--locked` drift), else 0.
    private func plan(_ environment: DataEnvironment, engine: SyncEngine, options: SyncEngine.Options) async throws -> PhysioExitCode {
        let streamed = json ? try StreamedPlanJSON<SyncPlan.File>() : nil
        let printer = SyncPlanPrinter()
        let plan = try await engine.dryRun(environment, options: options) { event in
            guard let streamed else { return printer.handle(event) }
            switch event {
            case .file(let file):
                streamed.append(file)
            case .planned(let dataset):
                if let error = dataset.error { Console.error("physio: \(dataset.slug) \(dataset.version ?? dataset.requested): \(error)") }
            }
        }
        if let streamed { try streamed.print(plan) } else { SyncPlanPrinter.printTotals(plan) }
        return plan.exitCode
    }

    /// This sync's options as a command to paste (after `physio sync`): every one that decides what is synced,
    /// from where and how, and none that only shape one run's output or wait (--json, --quiet,
    /// --progress-fd, --wait-lock).
    var commandWords: [String] {
        var words: [String] = []
        if let file { words += ["--file", URL(fileURLWithPath: file).standardizedFileURL.path] }
        if locked { words.append("--locked") }
        if prune { words.append("--prune") }
        for slug in only { words += ["--only", slug] }
        if let retries { words += ["--retries", "\(retries)"] }
        if interactive { words.append("--interactive") }
        return words + connection.commandWords
    }

    /// `--file`, else physio.toml in the current folder or the nearest above it.
    static func environmentFile(_ file: String?) throws(PhysioError) -> URL {
        if let file { return URL(fileURLWithPath: file).standardizedFileURL }
        let here = URL(fileURLWithPath: invocation.workingDirectory, isDirectory: true)
        guard let found = DataEnvironment.find(from: here) else { throw .noDataEnvironment(from: here.path) }
        return found
    }
}
