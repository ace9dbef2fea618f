import Foundation
import PhysioKit
import Synchronization

/// Shows a fetch's progress on stderr: a redrawn bar (at most 4 updates a second) on a terminal, a plain
/// line every few seconds otherwise, nothing when quiet. Event lines (retries, failures) go above the bar.
final class ProgressDisplay: Sendable {
    enum Style: Sendable {
        case bar, lines, quiet
    }

    private let style: Style
    private let progress: TransferProgress
    private let started = Date()
    private let barShown = Atomic<Bool>(false)
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(progress: TransferProgress, quiet: Bool) {
        self.progress = progress
        style = quiet ? .quiet : (Console.stderrIsTerminal ? .bar : .lines)
    }

    func start() {
        guard style != .quiet else { return }
        let interval: UInt64 = style == .bar ? 250_000_000 : 5_000_000_000
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                if Task.isCancelled { break }
                draw()
            }
        }
        ticker.withLock { $0 = task }
    }

    func stop() {
        ticker.withLock { $0?.cancel() }
        if style == .bar && barShown.load(ordering: .relaxed) { Console.rawError("\r\u{1B}[K") }
    }

    var eventSink: FetchEventSink {
        FetchEventSink { [self] event in handle(event) }
    }

    private func handle(_ event: FetchEvent) {
        switch event {
        case .resolvedVersion(let slug, let version):
            message("Fetching \(slug) \(version)")
        case .planned(let files, let toDownload, let bytes, let verified):
            let size = bytes.map { " (\(ByteFormat.string($0)))" } ?? ""
            message("\(files) files listed: \(verified) already verified, \(toDownload) to download\(size)")
        case .fileFailed(let path, let reason):
            message("failed: \(path): \(reason)")
        case .retrying(let path, let attempt, let delay, let reason):
            message(String(format: "retrying %@ in %.1fs (attempt %d): %@", path.value, delay, attempt + 1, reason))
        case .concurrencyChanged(let limit):
            message("server pushed back; now using \(limit) connection\(limit == 1 ? "" : "s")")
        case .warning(let text):
            message("warning: \(text)")
        case .fileStored:
            break
        }
    }

    private func message(_ text: String) {
        guard style != .quiet else { return }
        if style == .bar && barShown.load(ordering: .relaxed) {
            Console.rawError("\r\u{1B}[K")
        }
        Console.error(text)
    }

    private func draw() {
        let snapshot = progress.snapshot
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let rate = Double(snapshot.bytesDone) / elapsed
        var text = "\(ByteFormat.string(snapshot.bytesDone))"
        if let total = snapshot.bytesTotal, total > 0 {
            let fraction = min(1, Double(snapshot.bytesDone) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
                + "\(ByteFormat.string(snapshot.bytesDone)) / \(ByteFormat.string(total))"
            if rate > 0 {
                let remaining = Double(total - snapshot.bytesDone) / rate
                text += String(format: "  ETA %@", Self.duration(remaining))
            }
        }
        text += "  \(ByteFormat.string(Int64(rate)))/s  files \(snapshot.filesDone)/\(snapshot.filesTotal)  active \(snapshot.activeFiles)"
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

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%02d:%02d", total / 60, total % 60)
    }
}
