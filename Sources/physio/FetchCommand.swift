import ArgumentParser
import FoundationEssentials
import PhysioKit

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a dataset version, verified against SHA256SUMS.txt, resuming what is partial.",
        discussion: """
            Files land in <dest>/<slug>/<version>/ byte-identical to PhysioNet; physio's own state (manifests, \
            partial files, locks) lives in <dest>/.physio/. Rerun at will: verified files are skipped without \
            re-hashing, partial files resume. A file the server replaced keeps its previous bytes under \
            <dest>/.physio/removed/<date>/<slug>/<version>/, and a file edited locally is replaced with a \
            warning and kept under <version>.modified/ there (`physio prune` removes old entries).
            --include/--exclude: a pattern without '/' matches file names anywhere ('*.csv.gz'); with '/' it \
            matches the whole path ('hosp/*'); one ending in '/' selects a folder.
            --shard I/N: one of N processes (on many nodes over a shared filesystem) fetching part I of the list; \
            each records into its own part under <dest>/.physio/shards/, joined by `physio inventory merge`. \
            Against physionet.org, N x -j must stay at most 8 (PhysioNet throttles and times out clients that \
            open more) unless --force.
            """)

    @Argument(help: "The dataset: <slug> for the latest version, or <slug>@<version>.")
    var dataset: DatasetSpecifier

    @OptionGroup var data: DataRootOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Only files matching this glob (repeatable).")
    var include: [String] = []

    @Option(name: .long, help: "Skip files matching this glob (repeatable).")
    var exclude: [String] = []

    @Option(name: .short, help: "Parallel transfers (default 4 from PhysioNet, at most 8 without --force; 16 from a mirror, at most 64).")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Where the bytes come from: physionet, aws-open (PhysioNet's AWS Open Data bucket), s3://BUCKET[/PREFIX], gs://BUCKET[/PREFIX], or auto (aws-open when it has the version). The list and hashes always come from PhysioNet.",
        valueName: "source"))
    var source: MirrorSource = .physionet

    @Option(name: .long, help: ArgumentHelp("The Google Cloud project billed for a requester-pays gs:// mirror (default: $GOOGLE_CLOUD_PROJECT).", valueName: "project"))
    var billingProject: String?

    @Flag(name: .long, help: "With a mirror: a file the mirror lacks or serves differently fails instead of coming from PhysioNet.")
    var noFallback = false

    /// A named mirror (not PhysioNet, not `auto`, which may land on PhysioNet).
    private var namedMirror: Bool {
        switch source {
        case .physionet, .auto: return false
        default: return true
        }
    }


    @Flag(name: .long, help: "Allow -j above 8 (PhysioNet times out around 24 connections), beyond the machine-wide connection cap too.")
    var force = false

    @Flag(name: .long, help: "Never split a file across connections (by default large files may use spare connections, up to 2 x -j, at most 8).")
    var noSplit = false

    @Flag(name: .long, help: "List what would be fetched, with sizes where known, and download nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Accept a server SHA256SUMS.txt that differs from the copy pinned in physio.")
    var trustServer = false

    @Option(name: .long, help: "Folder layout: physio (<dest>/<slug>/<version>) or wget (<dest>/<host>/files/<slug>/<version>).")
    var layout: DatasetLocation.Layout = .physio

    @Option(name: .long, help: "Authentication: session (the saved `physio login`, default) or wget-basic (HTTP Basic sent with a Wget/ User-Agent; impersonates wget).")
    var auth: AuthMode = .session

    enum AuthMode: String, ExpressibleByArgument {
        case session
        case wgetBasic = "wget-basic"
    }

    @Flag(name: .long, help: "Print one JSON summary on stdout.")
    var json = false

    @OptionGroup var sharding: ShardOptions

    @OptionGroup var lockWait: LockWaitOptions

    @Option(name: .long, help: ArgumentHelp(
        "Retry each failed request N times, a server refusing connections included (default: 7 times, but a refused connection only for 5 s, so a dead server fails fast).",
        valueName: "N"))
    var retries: Int?

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if let retries, !(0...100).contains(retries) { throw ValidationError("--retries takes a whole number from 0 to 100.") }
        guard let jobs else { return }
        guard jobs >= 1 else { throw ValidationError("-j must be at least 1.") }
        if namedMirror {
            guard jobs <= 64 else { throw ValidationError("-j \(jobs) is above 64; mirrors serve many connections, but not that many from one process.") }
        } else {
            guard jobs <= 8 || force else {
                throw ValidationError("-j \(jobs) is above PhysioNet's safe limit of 8 connections; pass --force to insist.")
            }
        }
        if source == .auto && jobs > 8 && !force {
            throw ValidationError("--source auto may fetch from PhysioNet, whose safe limit is 8 connections; lower -j or pass --force.")
        }
    }

    func run() async throws {
        try await reportingFailures(json: json, quiet: progressOptions.quiet) {
            let session = try connection.openSession()
            do {
                return try await fetch(session: session)
            } catch let error as PhysioError where error.kind == .projectNotFound || error.kind == .versionNotFound {
                // A wrong name gets help: the closest published slugs, or the versions there are.
                let slug = dataset.slug
                let words = commandWords
                throw await ProjectCatalog(transport: session.transport, site: session.site, retry: invocation.retryPolicy)
                    .explain(error) { version in .physio(["fetch", "\(slug)@\(version)"] + words) }
            }
        }
    }

    private func fetch(session: AccountSession) async throws -> PhysioExitCode {
        let shard = try sharding.resolved()
        let plan = ConnectionPlan(jobs: jobs, source: source, noSplit: noSplit, force: force, shards: shard?.count ?? 1)
        try plan.checkShards(shard?.count ?? 1, site: session.site, force: force)
        let (version, locks) = try await takeDatasetLocks(session: session, shard: shard)
        let budget = try await connection.connectionBudget(
            for: session, wanted: plan.physioNetConnections, force: force, mirrorConnections: plan.mirrorConnections)
        defer { withExtendedLifetime(budget) {} }
        let progress = TransferProgress()
        // The text summary lists every failed file; where stderr lands in the same place (a terminal, `2>&1`)
        // the display leaves them to it.
        let display = progressOptions.display(
            for: progress, dryRun: dryRun, failuresInSummary: !json && !dryRun && Console.stdoutSharesStderr)
        let transport: any HTTPTransport
        let advisor: any FetchAccessAdvisor
        switch auth {
        case .session:
            transport = session.transport
            advisor = AccountAccessAdvisor(session: session)
        case .wgetBasic:
            let resolved = try session.resolveCredentials()
            let basic = WgetBasicTransport(
                credentials: resolved.credentials, source: resolved.source, site: session.site, configuration: session.configuration)
            transport = basic
            advisor = WgetBasicAccessAdvisor(site: session.site, transport: basic, server: session.server)
        }
        let interruption = RunInterruption()
        SignalTrap.install(interruption)
        let engine = FetchEngine(
            transport: transport, site: session.site, events: display.eventSink, progress: progress,
            advisor: advisor, interruption: interruption)
        var options = FetchOptions(
            slug: dataset.slug, version: version, root: data.root, layout: layout,
            filter: PathFilter(includes: include, excludes: exclude), plan: plan, granted: budget.granted, context: invocation)
        options.dryRun = dryRun
        options.trustServer = trustServer
        options.shard = shard
        options.source = source
        options.noFallback = noFallback
        options.heldLocks = locks
        options.server = session.server
        if let retries { options.retry = options.retry.retrying(retries) }
        let slug = dataset.slug
        let words = commandWords
        options.rerunCommand = { version in .physio(["fetch", version.map { "\(slug)@\($0)" } ?? slug] + words) }
        if source != .physionet {
            options.mirrorContext = CloudMirror.Context(
                environment: invocation.environment, homeDirectory: invocation.homeDirectory,
                billingProject: billingProject, base: session.configuration)
        }
        // A dry run's plan streams: printed as it is made, or spooled for --json (StreamedPlanJSON).
        let streamedPlan = dryRun && json ? try StreamedPlanJSON<FetchSummary.PlannedFile>() : nil
        if let streamedPlan {
            options.planSink = { streamedPlan.append($0) }
        } else if dryRun {
            options.planSink = { FetchReportPrinter.printPlanned($0) }
        }
        display.start()
        let summary: FetchSummary
        do {
            summary = try await engine.run(options)
            display.stop()
        } catch {
            display.stop()
            throw error
        }
        if let streamedPlan {
            try streamedPlan.print(summary)
        } else if json {
            try Console.json(summary)
        } else if progressOptions.quiet && !dryRun {
            // Nothing on success; what failed, on stderr, otherwise (cron mails only failures).
            FetchReportPrinter.printFailures(summary)
        } else {
            FetchReportPrinter.print(summary)
        }
        return summary.exitCode
    }

    /// The dataset's locks, taken before waiting for connections, so that a second fetch of a dataset
    /// exits 10 at once (or waits `--wait-lock`) instead of first queueing for the connections the first one
    /// holds. Only where the root has physio state already (a run in progress there has made it): a first
    /// fetch into a fresh root must leave nothing behind when it is refused, and the engine takes the locks
    /// after the access check then. A dry run takes none. Returns the version, resolved if it had to be.
    private func takeDatasetLocks(session: AccountSession, shard: Shard?) async throws -> (String?, [RunLock]?) {
        let root = data.root
        guard !dryRun, FileSystem.exists(root.appendingPathComponent(".physio", isDirectory: true)) else {
            return (dataset.version, nil)
        }
        let version = try await resolveVersion(dataset, session: session)
        let location = DatasetLocation(root: root, slug: dataset.slug, version: version, layout: layout, host: session.site.origin.host)
        let selection = PathFilter(includes: include, excludes: exclude)
        let wait = lockWait
        let locks = try await BlockingIO.run { () throws in
            try FetchEngine.takeLocks(
                location: location, shard: shard, selection: selection, waitSeconds: wait.waitLock,
                waiting: wait.announceWait("\(location.slug)@\(version) in \(root.path)"))
        }
        return (version, locks)
    }

    /// This fetch's options as a command to paste (after `physio fetch <dataset>`): every one that decides
    /// what is fetched, from where and into where, and none that only shape one run's output (--dry-run,
    /// --json, --progress-fd, --quiet). Hints that rerun the fetch are built from it.
    var commandWords: [String] {
        var words = data.commandWords + connection.commandWords
        for pattern in include { words += ["--include", pattern] }
        for pattern in exclude { words += ["--exclude", pattern] }
        if let jobs { words += ["-j", "\(jobs)"] }
        if source != .physionet { words += ["--source", source.description] }
        if let billingProject { words += ["--billing-project", billingProject] }
        if noFallback { words.append("--no-fallback") }
        if force { words.append("--force") }
        if noSplit { words.append("--no-split") }
        if trustServer { words.append("--trust-server") }
        if layout != .physio { words += ["--layout", layout.rawValue] }
        if auth != .session { words += ["--auth", auth.rawValue] }
        if let retries { words += ["--retries", "\(retries)"] }
        return words + sharding.commandWords
    }
}

extension DatasetLocation.Layout: ExpressibleByArgument {}

extension MirrorSource: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
