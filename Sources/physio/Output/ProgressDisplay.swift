import FoundationEssentials
import PhysioKit
import Synchronization

/// Shows a fetch's progress on stderr: a redrawn bar (4 updates a second) on a terminal, a plain line every
/// 10 seconds otherwise, nothing when quiet. Event lines (retries, failures) go above the bar. The rate and
/// the time left are smoothed over the last 15 seconds; a total that is not known is shown as unknown.
///
/// With `--progress-fd N` the same figures also go to descriptor N as JSON lines, 4 a second and once more
/// at the end, for programs that draw their own progress (the Python package's notebook bar):
/// `{"type":"progress","filesDone":…,"filesTotal":…,"bytesDone":…,"bytesTotal":…|null,"totalIsEstimate":…,
/// "bytesPerSecond":…,"secondsLeft":…|null}`. `--quiet` does not silence it.
final class ProgressDisplay: Sendable {
    enum Style: Sendable {
        case bar, lines, quiet
    }

    private let style: Style
    /// Where the JSON lines go (`--progress-fd`), if anywhere.
    private let stream: Int32?
    /// A dry run: it plans, and fetches nothing.
    private let dryRun: Bool
    /// Failed files are listed at the end where these lines are read too: a failure is not said as it happens.
    private let failuresInSummary: Bool
    private let lastLine = Mutex<Date>(Date())
    private let progress: TransferProgress
    private let started = Date()
    private let barShown = Atomic<Bool>(false)
    private let ticker = Mutex<Task<Void, Never>?>(nil)
    /// Recent (time, bytes done) samples for the smoothed rate, and whether the throttle note was shown.
    private let recent = Mutex<(samples: [(Date, Int64)], throttleNoted: Bool)>(([], false))
    private static let window: TimeInterval = 15
    /// Per-connection rate under which the run is plainly throttled by the server, not by physio.
    private static let throttledBytesPerSecond = 100_000.0

    init(progress: TransferProgress, quiet: Bool, stream: Int32? = nil, dryRun: Bool = false, failuresInSummary: Bool = false) {
        self.progress = progress
        self.stream = stream
        self.dryRun = dryRun
        self.failuresInSummary = failuresInSummary
        style = quiet ? .quiet : (Console.stderrIsTerminal ? .bar : .lines)
    }

    func start() {
        guard style != .quiet || stream != nil else { return }
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                if Task.isCancelled { break }
                tick()
            }
        }
        ticker.withLock { $0 = task }
    }

    func stop() {
        ticker.withLock { $0?.cancel() }
        if style == .bar && barShown.load(ordering: .relaxed) { Console.rawError("\r\u{1B}[K") }
        if stream != nil {
            let snapshot = progress.snapshot
            streamLine(snapshot, rate: smoothedRate(snapshot.bytesDone))
        }
    }

    /// Four times a second: the stream's line, the bar, and every 10 seconds a plain line.
    private func tick() {
        let snapshot = progress.snapshot
        // One rate sample a tick, shared by the stream and the display.
        let rate = smoothedRate(snapshot.bytesDone)
        if stream != nil { streamLine(snapshot, rate: rate) }
        switch style {
        case .bar:
            draw(snapshot, rate: rate)
        case .lines:
            let due = lastLine.withLock { last in
                guard Date().timeIntervalSince(last) >= Self.lineInterval else { return false }
                last = Date()
                return true
            }
            if due { draw(snapshot, rate: rate) }
        case .quiet:
            break
        }
    }

    private static let lineInterval: TimeInterval = 10

    private struct StreamLine: Encodable {
        var type = "progress"
        var filesDone: Int
        var filesTotal: Int
        var bytesDone: Int64
        var bytesTotal: Int64?
        var totalIsEstimate: Bool
        var bytesPerSecond: Double
        var secondsLeft: Double?
    }

    private func streamLine(_ snapshot: TransferProgress.Snapshot, rate: Double) {
        guard let stream else { return }
        let total = wholeTotal(snapshot)
        let line = StreamLine(
            filesDone: snapshot.filesDone, filesTotal: snapshot.filesTotal, bytesDone: snapshot.bytesDone,
            bytesTotal: total, totalIsEstimate: total != nil && snapshot.filesOfUnknownSize > 0,
            bytesPerSecond: (rate * 10).rounded() / 10,
            secondsLeft: total.flatMap { rate > 0 ? (Double(max(0, $0 - snapshot.bytesDone)) / rate * 10).rounded() / 10 : nil })
        guard var bytes = try? Array(PhysioJSON.encoder(.line).encode(line)) else { return }
        bytes.append(UInt8(ascii: "\n"))
        // A reader that went away (a closed pipe) only loses the stream; the fetch goes on.
        _ = bytes.withUnsafeBytes { FileSystem.writeAll(stream, $0) }
    }

    /// A whole total: exact, or estimated from the project page for the files of unknown size; nil when
    /// some sizes are unknown and there is no estimate.
    private func wholeTotal(_ snapshot: TransferProgress.Snapshot) -> Int64? {
        let total = snapshot.knownBytesTotal
        return snapshot.filesOfUnknownSize == 0 ? total : snapshot.estimatedUnknownBytes.map { total + $0 }
    }

    var eventSink: FetchEventSink {
        FetchEventSink { [self] event in handle(event) }
    }

    private func handle(_ event: FetchEvent) {
        switch event {
        case .resolvedVersion(let slug, let version):
            message(dryRun ? "Planning \(slug) \(version) (dry run: nothing is downloaded or changed)" : "Fetching \(slug) \(version)")
        case .planned(let files, let toDownload, let bytes, let estimate, let verified):
            let size = bytes.map { " (\(ByteFormat.string($0)))" }
                ?? estimate.map { " (about \(ByteFormat.string($0)), from the project page's total: the listings give no sizes)" } ?? ""
            message("\(files) files listed: \(verified) already verified, \(toDownload) to download\(size)")
        case .fileFailed(let path, let reason):
            // Said once: in the list at the end when that reaches the same terminal or file (a reader of the
            // scrollback finds every failure there, beside the totals, rather than among retry lines).
            if !failuresInSummary { message("failed: \(path): \(reason)") }
        case .retrying(let path, let attempt, let delay, let reason):
            message("retrying \(path.value) in \(PrintfFormat.string("%.1f", delay))s (attempt \(attempt + 1)): \(reason)")
        case .concurrencyChanged(let limit):
            message("server pushed back; now using \(limit) connection\(limit == 1 ? "" : "s")")
        case .warning(let text):
            message("warning: \(text)")
        case .keptLocalCopy(let file):
            // Someone's own bytes moved: said even with --quiet, so a cron mail carries it.
            announce("warning: " + Self.describe(file))
        case .fileStored:
            break
        }
    }

    /// The line for a local copy a fetch kept before replacing it.
    static func describe(_ file: FetchSummary.KeptFile) -> String {
        let what = file.cause == .changedSinceVerified
            ? "\(file.path) was changed after physio verified it" : "\(file.path) holds bytes physio has no record of verifying"
        let done = file.action == .replaced ? "the server's copy replaces it" : "the server no longer lists it"
        return "\(what); \(done), and the local copy is kept at \(file.keptAt)"
    }

    /// A result line: shown even when quiet, above the bar when there is one.
    func announce(_ text: String) {
        if style == .bar && barShown.load(ordering: .relaxed) {
            Console.rawError("\r\u{1B}[K")
        }
        Console.error(text)
    }

    private func message(_ text: String) {
        guard style != .quiet else { return }
        if style == .bar && barShown.load(ordering: .relaxed) {
            Console.rawError("\r\u{1B}[K")
        }
        Console.error(text)
    }

    private func draw(_ snapshot: TransferProgress.Snapshot, rate: Double) {
        var text: String
        let total = snapshot.knownBytesTotal
        // Estimated from the project page, every figure from the total is marked "~".
        let whole = wholeTotal(snapshot)
        if let whole, whole > 0 {
            let mark = snapshot.filesOfUnknownSize == 0 ? "" : "~"
            let fraction = min(1, Double(snapshot.bytesDone) / Double(whole))
            let width = 24
            let filled = Int(fraction * Double(width))
            text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
                + mark + PrintfFormat.string("%3d%% ", Int(fraction * 100))
                + "\(ByteFormat.string(snapshot.bytesDone)) / \(mark)\(ByteFormat.string(whole))"
            text += "  left " + (rate > 0 ? mark + Self.duration(Double(max(0, whole - snapshot.bytesDone)) / rate) : "--:--")
        } else if total > 0 {
            // Some sizes are unknown: say how much is known, never invent the rest.
            let unknown = snapshot.filesOfUnknownSize
            text = "\(ByteFormat.string(snapshot.bytesDone)) of \(ByteFormat.string(total)) + \(unknown) file\(unknown == 1 ? "" : "s") of unknown size"
        } else {
            text = "\(ByteFormat.string(snapshot.bytesDone)) of an unknown total"
        }
        text += "  \(ByteFormat.string(Int64(rate)))/s  files \(snapshot.filesDone)/\(snapshot.filesTotal)  active \(snapshot.activeFiles)"
        noteThrottling(rate: rate, active: snapshot.activeFiles)
        switch style {
        case .bar:
            barShown.store(true, ordering: .relaxed)
            Console.rawError("\r\u{1B}[K" + text)
        case .lines:
            Console.error(text)
        case .quiet:
            break
        }
    }

    /// Bytes a second over the last `window` seconds (over the whole run until that much has passed).
    private func smoothedRate(_ bytesDone: Int64) -> Double {
        let now = Date()
        return recent.withLock { recent in
            recent.samples.append((now, bytesDone))
            recent.samples.removeAll { now.timeIntervalSince($0.0) > Self.window }
            let (since, bytesThen) = recent.samples.first ?? (started, 0)
            let origin = recent.samples.count > 1 ? since : started
            let base = recent.samples.count > 1 ? bytesThen : 0
            return Double(bytesDone - base) / max(0.25, now.timeIntervalSince(origin))
        }
    }

    /// Once, when every connection crawls: PhysioNet limits each connection, so the user knows the wait is
    /// the server's and not physio's.
    private func noteThrottling(rate: Double, active: Int) {
        guard active > 0, Date().timeIntervalSince(started) > Self.window,
            rate / Double(active) < Self.throttledBytesPerSecond
        else { return }
        let first = recent.withLock { recent -> Bool in
            defer { recent.throttleNoted = true }
            return !recent.throttleNoted
        }
        if first {
            message("the server is throttling: \(active) connection\(active == 1 ? "" : "s") at about "
                + "\(ByteFormat.string(Int64(rate / Double(active))))/s each (PhysioNet limits each connection; -j raises the count, up to 8)")
        }
    }

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(seconds.rounded())
        return total >= 3600
            ? PrintfFormat.string("%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : PrintfFormat.string("%02d:%02d", total / 60, total % 60)
    }
}
