import FoundationEssentials
import Synchronization

/// What the download workers of one run share: the files still to start, the records not yet written to the
/// inventory, the counts so far, when the last checkpoint was, and the one session renewal a run may make.
///
/// A lock, not an actor and not a parent task collecting results: with a handful of long-lived workers
/// pulling from here, a dataset of 20,000 small files costs no task and no extra thread wake-up per file.
final class DownloadRunState: Sendable {
    private struct State {
        /// The window being worked through: its files, what is left of its queue and its facts.
        var files = FileList()
        var queue: ArraySlice<UInt32> = []
        var partials: [Int: Int64] = [:]
        var replaced: Set<UInt32> = []
        var keeps: [UInt32: PreviousCopies.Kind] = [:]
        /// The windows not reached yet.
        var windows: ArraySlice<DownloadQueue.Window>
        /// Files put back after a refusal, started before anything else.
        var retried: [DownloadCandidate] = []
        /// Records since the last checkpoint: a checkpoint writes only these, so its cost does not grow
        /// with the dataset.
        var pending: [FileRecord] = []
        var outcome = FetchEngine.DownloadRunOutcome()
        var lastCheckpoint = Date()
        var checkpointing = false
        /// Bumped by a successful renewal: a file refused under an older session is simply tried again.
        var sessionGeneration = 0
        var renewal: (generation: Int, task: Task<Bool, Never>)?
    }

    private let state: Mutex<State>
    /// Reads a window's files again when the workers reach it.
    private let selection: ListSelection?

    init(queue: DownloadQueue) {
        selection = queue.selection
        state = Mutex(State(windows: queue.windows[...]))
    }

    /// A run over files given one by one (without digests), queued in the order given.
    convenience init(paths: [(path: DatasetPath, size: Int64?)]) {
        var files = FileList()
        for file in paths { files.append(file.path, size: file.size) }
        let window = DownloadQueue.Window(
            place: ListWindowPlace(bytes: 0..<0, firstLine: 0, selectedBefore: 0), files: files,
            queue: files.indices.map(UInt32.init), partials: [:], replaced: [], knownSizes: [])
        self.init(queue: DownloadQueue(selection: nil, windows: [window]))
    }

    /// The next file to start and the session generation it starts under; `nil` when none is left. The
    /// next window's files are read here, under the lock, when the one before is used up: a few
    /// milliseconds for 40,000 lines, once per window.
    func next() throws(PhysioError) -> (candidate: DownloadCandidate, generation: Int)? {
        enum Next {
            case again(DownloadCandidate)
            case queued(files: FileList, index: Int, present: Int64, replaces: Bool, keep: PreviousCopies.Kind?)
        }
        let next = try state.withLock { state throws(PhysioError) -> (Next, generation: Int)? in
            if let candidate = state.retried.popLast() { return (.again(candidate), state.sessionGeneration) }
            while state.queue.isEmpty {
                guard let window = state.windows.popFirst() else { return nil }
                state.files = try DownloadQueue.files(of: window, selection: selection)
                var queue = window.queue ?? state.files.indices.map(UInt32.init)
                FetchEngine.sortForDownload(&queue, files: state.files)
                state.queue = queue[...]
                state.partials = window.partials
                state.replaced = window.replaced
                state.keeps = window.keeps
            }
            let index = Int(state.queue.removeFirst())
            let present = state.partials.removeValue(forKey: index) ?? 0
            let queued = Next.queued(
                files: state.files, index: index, present: present, replaces: state.replaced.contains(UInt32(index)),
                keep: state.keeps[UInt32(index)])
            return (queued, state.sessionGeneration)
        }
        switch next {
        case nil:
            return nil
        case (.again(let candidate), let generation)?:
            return (candidate, generation)
        case (.queued(let files, let index, let present, let replaces, let keep), let generation)?:
            // Made a candidate outside the lock: the path string and digest are built only as a file starts.
            let candidate = DownloadCandidate(
                index: index, path: files.path(index), digest: files.digest(index), size: files.size(index),
                bytesPresent: present, replaces: replaces, keep: keep)
            return (candidate, generation)
        }
    }

    func stored(_ record: FileRecord, bytes: Int64) {
        state.withLock { state in
            state.pending.append(record)
            state.outcome.stored += 1
            if record.state == .verified { state.outcome.storedVerified += 1 }
            state.outcome.bytes += bytes
        }
    }

    func failed(_ candidate: DownloadCandidate, failure: FileFailure, bytes: Int64) {
        state.withLock { state in
            state.outcome.bytes += bytes
            state.outcome.failures.append((candidate.path, failure))
            if candidate.replaces { state.outcome.failedReplacements += 1 }
            state.pending.append(FileRecord(
                path: candidate.path, size: candidate.size, sha256: candidate.digest, state: .failed, reason: failure.reason))
        }
    }

    /// A transfer cut by an interruption left bytes in its `.part` file.
    func cut() {
        state.withLock { $0.outcome.partial += 1 }
    }

    /// Puts a file back to start before any other (its bytes so far still count as transferred).
    func retry(_ candidate: DownloadCandidate, bytes: Int64) {
        state.withLock { state in
            state.outcome.bytes += bytes
            state.retried.append(candidate)
        }
    }

    private enum RefusalAction {
        case retry
        case lost
        case wait(Task<Bool, Never>)
    }

    /// Decides what a file refused mid-run (the session expired) does: `true` to try it again under a
    /// fresh session. The first refusal of the current session asks the advisor for a renewal, and every
    /// refusal of that session waits for it; a file refused under an older session is simply tried again.
    /// When the advisor cannot or will not renew (it allows one quick renewal per run), the run stops
    /// starting files.
    func retryAfterRefusal(startedUnder generation: Int, advisor: (any FetchAccessAdvisor)?, events: FetchEventSink) async -> Bool {
        let action = state.withLock { state -> RefusalAction in
            if state.outcome.accessLost { return .lost }
            if generation < state.sessionGeneration { return .retry }
            if let renewal = state.renewal, renewal.generation == generation { return .wait(renewal.task) }
            guard let advisor else { return stopStarting(&state) }
            let task = Task { await advisor.renewSession() }
            state.renewal = (generation, task)
            return .wait(task)
        }
        switch action {
        case .retry: return true
        case .lost: return false
        case .wait(let task):
            let renewed = await task.value
            let first = state.withLock { state -> Bool in
                guard renewed else {
                    _ = stopStarting(&state)
                    return false
                }
                defer { state.sessionGeneration = max(state.sessionGeneration, generation + 1) }
                defer { state.outcome.renewedSession = true }
                return !state.outcome.renewedSession
            }
            if first { events.emit(.warning("the login session had expired; logged in again and resuming")) }
            return renewed
        }
    }

    private func stopStarting(_ state: inout State) -> RefusalAction {
        state.outcome.accessLost = true
        state.queue.removeAll()
        state.windows.removeAll()
        state.retried.removeAll()
        return .lost
    }

    /// Records held before a checkpoint is due whatever the time: small files finish at over 10,000 a
    /// second, and five seconds of their records were 20 MB of a fetch's memory.
    static let checkpointRecords = 8_192

    /// The records to checkpoint (taken out of this state) when `interval` has passed since the last
    /// checkpoint, or `checkpointRecords` are waiting, and none is being written; the caller must call
    /// `checkpointWritten()` afterwards.
    func checkpointDue(every interval: TimeInterval) -> [FileRecord]? {
        state.withLock { state in
            let due = state.pending.count >= Self.checkpointRecords || Date().timeIntervalSince(state.lastCheckpoint) >= interval
            guard !state.checkpointing, !state.pending.isEmpty, due else { return nil }
            state.checkpointing = true
            defer { state.pending = [] }
            return state.pending
        }
    }

    func checkpointWritten() {
        state.withLock { state in
            state.lastCheckpoint = Date()
            state.checkpointing = false
        }
    }

    /// The outcome and the records no checkpoint has written yet, handed over once the workers are done.
    func takeResult() -> (outcome: FetchEngine.DownloadRunOutcome, records: [FileRecord]) {
        state.withLock { state in
            defer { state.pending = [] }
            return (state.outcome, state.pending)
        }
    }
}
