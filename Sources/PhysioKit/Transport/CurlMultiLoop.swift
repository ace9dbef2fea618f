import CCurl
import CPhysioShims
import FoundationEssentials
import Synchronization

/// The one thread that owns every curl handle and drives them all through `curl_multi_poll`.
///
/// Async callers hand a `CurlTransfer` over with `start`; the loop adds it to the multi handle, pumps
/// callbacks (which feed the transfer's sink on this thread) and resumes the caller's continuation when
/// curl reports the transfer done. Nothing here ever blocks Swift's cooperative thread pool.
///
/// The loop is also a `TaskExecutor`: tasks that prefer it (a fetch's download workers) run on this thread
/// between turns of the multi handle. A finished small file then resumes its worker, which stores the file
/// and starts the next transfer, without a thread hop either way: with the workers on the cooperative pool,
/// each file cost two context switches (130,000 for 75,000 files against curl's 1,400, and 2.3 s more
/// CPU). Such tasks must not block on anything this thread does.
final class CurlMultiLoop: TaskExecutor, @unchecked Sendable {
    static let shared = CurlMultiLoop()

    private let multi: UnsafeMutableRawPointer
    /// Transfers handed over by other threads, waiting to be added on the loop thread, and whether the
    /// loop is (about to be) asleep in `curl_multi_poll` and so needs a wake-up to notice them.
    private struct Arrivals {
        var transfers: [CurlTransfer] = []
        /// Paused transfers whose sinks have room again.
        var unpaused: [CurlTransfer] = []
        /// A new cap on connections per host, to apply before the next transfer is added.
        var hostConnectionLimit: Int?
        /// Jobs of tasks that prefer this executor, to run on the loop thread.
        var jobs: [UnownedJob] = []
        var sleeping = false
    }
    private let arrivals = Mutex(Arrivals())
    /// Transfers inside the multi handle, keyed by easy handle. Touched only on the loop thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private let handles = CurlHandlePool()

    private init() {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        // Keep enough idle connections for the widest fetch so parallel transfers reuse them.
        _ = physio_multi_set_long(multi, CURLMOPT_MAXCONNECTS, 64)
        DedicatedThread.start { [self] in self.run() }
    }

    func start(_ transfer: CurlTransfer) {
        handOver { $0.transfers.append(transfer) }
    }

    /// Asks the loop thread to let a paused transfer receive again.
    func unpause(_ transfer: CurlTransfer) {
        handOver { $0.unpaused.append(transfer) }
    }

    /// Caps this process's connections to any one host, idle ones included (curl queues transfers beyond
    /// it): how a run stays within its share of the machine-wide `ConnectionBudget`.
    func limitConnectionsPerHost(_ count: Int) {
        handOver { $0.hostConnectionLimit = count }
    }

    /// Queues work for the loop thread. A busy loop picks it up on its next turn; only a sleeping one needs
    /// the wake-up (a system call on both sides, which adds up over 20,000 small files).
    private func handOver(_ change: (inout Arrivals) -> Void) {
        let wake = arrivals.withLock { state -> Bool in
            change(&state)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if wake { curl_multi_wakeup(multi) }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        handOver { $0.jobs.append(job) }
    }

    /// Wakes the loop so it notices a cancelled transfer promptly.
    func wake() {
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            runJobs()
            addArrivals()
            resumeUnpaused()
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            abortCancelled()
            let idle = arrivals.withLock { state -> Bool in
                state.sleeping = state.transfers.isEmpty && state.unpaused.isEmpty && state.jobs.isEmpty
                return state.sleeping
            }
            guard idle else { continue }
            _ = curl_multi_poll(multi, nil, 0, 250, nil)
            arrivals.withLock { $0.sleeping = false }
        }
    }

    /// Runs the jobs queued so far; those they enqueue wait for the next turn, after curl has had its own.
    private func runJobs() {
        let jobs = arrivals.withLock { state -> [UnownedJob] in
            defer { state.jobs.removeAll(keepingCapacity: true) }
            return state.jobs
        }
        let executor = asUnownedTaskExecutor()
        for job in jobs { job.runSynchronously(on: executor) }
    }

    private func addArrivals() {
        let (newTransfers, limit) = arrivals.withLock { state -> ([CurlTransfer], Int?) in
            defer {
                state.transfers.removeAll(keepingCapacity: true)
                state.hostConnectionLimit = nil
            }
            return (state.transfers, state.hostConnectionLimit)
        }
        if let limit { _ = physio_multi_set_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limit) }
        for transfer in newTransfers {
            switch transfer.makeEasyHandle(pool: handles) {
            case .success(let easy):
                active[easy] = transfer
                let code = curl_multi_add_handle(multi, easy)
                if code != CURLM_OK {
                    active[easy] = nil
                    transfer.complete(curlCode: CURLE_FAILED_INIT)
                }
            case .failure(let error):
                transfer.fail(error)
            }
        }
    }

    private func resumeUnpaused() {
        let transfers = arrivals.withLock { state -> [CurlTransfer] in
            defer { state.unpaused.removeAll(keepingCapacity: true) }
            return state.unpaused
        }
        for transfer in transfers { transfer.unpause() }
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            active.removeValue(forKey: easy)?.complete(curlCode: code)
        }
    }

    /// A cancelled transfer that is idle gets no progress callback to abort it, so remove it here.
    private func abortCancelled() {
        for (easy, transfer) in active where transfer.isCancelled {
            curl_multi_remove_handle(multi, easy)
            active[easy] = nil
            transfer.complete(curlCode: CURLE_ABORTED_BY_CALLBACK)
        }
    }
}
