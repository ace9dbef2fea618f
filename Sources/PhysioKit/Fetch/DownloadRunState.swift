import FoundationEssentials
import Synchronization

/// What the download workers of one run share: the files still to start, the records not yet written to the
/// inventory, the counts so far, when the last checkpoint was, and the one session renewal a run may make.
///
/// A lock, not an actor and not a parent task collecting results: with a handful of long-lived workers
/// pulling from here, a dataset of 20,000 small files costs no task and no extra thread wake-up per file.
final class DownloadRunState: Sendable {
    private struct State {
        var queue: ArraySlice<UInt32>
        /// Bytes already in the `.part` files of queued files that have one.
        var partials: [Int: Int64]
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
    /// The run's list: queued files are indices into it, made candidates only when they start.
    private let files: FileList

    init(files: FileList, queue: [UInt32], partials: [Int: Int64] = [:]) {
        self.files = files
        state = Mutex(State(queue: queue[...], partials: partials))
    }

    /// A run over files given one by one (without digests), queued in the order given.
    convenience init(paths: [(path: DatasetPath, size: Int64?)]) {
        var files = FileList()
        for file in paths { files.append(file.path, size: file.size) }
        self.init(files: files, queue: files.indices.map(UInt32.init))
    }

    /// The next file to start and the session generation it starts under; `nil` when none is left.
    func next() -> (candidate: DownloadCandidate, generation: Int)? {
        let next = state.withLock { state -> (index: Int, present: Int64, generation: Int)? in
            guard let index = state.queue.popFirst().map(Int.init) else { return nil }
            return (index, state.partials.removeValue(forKey: index) ?? 0, state.sessionGeneration)
        }
        guard let next else { return nil }
        let candidate = DownloadCandidate(
            index: next.index, path: files.path(next.index), digest: files.digest(next.index), size: files.size(next.index),
            bytesPresent: next.present)
        return (candidate, next.generation)
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
            state.pending.append(FileRecord(
                path: candidate.path, size: candidate.size, sha256: candidate.digest, state: .failed, reason: failure.reason))
        }
    }

    /// A transfer cut by an interruption left bytes in its `.part` file.
    func cut() {
        state.withLock { $0.outcome.partial += 1 }
    }

    /// Puts a file back at the front of the queue (its bytes so far still count as transferred).
    func retry(_ candidate: DownloadCandidate, bytes: Int64) {
        state.withLock { state in
            state.outcome.bytes += bytes
            if candidate.bytesPresent > 0 { state.partials[candidate.index] = candidate.bytesPresent }
            state.queue.insert(UInt32(candidate.index), at: state.queue.startIndex)
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
