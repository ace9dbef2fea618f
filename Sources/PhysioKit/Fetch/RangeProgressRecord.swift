import Dispatch
import FoundationEssentials
import Synchronization

/// How far each range of a split download has got, kept beside its `.part` file so that a run which is
/// killed continues every range where it stopped instead of fetching the whole file again.
///
/// Ranges report bytes once they are written to the partial file; the record is saved after every 128 KiB of
/// progress, on the blocking-work executor, never on the transfer thread. It may lag behind the file (a
/// resumed range then fetches a few bytes twice) but never runs ahead of it. After a machine crash the bytes
/// it names may not have reached the disk: the SHA-256 check of the assembled file catches that.
final class RangeProgressRecord: Sendable {
    private struct State {
        var info: PartialFileInfo
        var unsaved: Int64 = 0
        var saving = false
    }

    private static let saveEvery: Int64 = 128 << 10
    private static let queue = BlockingIO.serialQueue(label: "physio.range-progress")

    private let state: Mutex<State>
    private let path: String

    init(_ info: PartialFileInfo, path: String) {
        state = Mutex(State(info: info))
        self.path = path
    }

    var info: PartialFileInfo { state.withLock { $0.info } }

    /// Writes the record now (the marker that makes the next run treat the file as split).
    func save() {
        info.save(toPath: path)
    }

    /// The server's validators, from the first range answer, so a later resume can send `If-Range`.
    func noteValidators(etag: String?, lastModified: String?) {
        state.withLock { state in
            if state.info.etag == nil && state.info.lastModified == nil {
                state.info.etag = etag
                state.info.lastModified = lastModified
            }
        }
    }

    /// Range `index` has `count` more bytes on disk.
    func advance(_ index: Int, by count: Int64) {
        let due = state.withLock { state -> PartialFileInfo? in
            state.info.ranges?[index].next += count
            state.unsaved += count
            guard state.unsaved >= Self.saveEvery, !state.saving else { return nil }
            state.unsaved = 0
            state.saving = true
            return state.info
        }
        guard let due else { return }
        Self.queue.async { [self] in
            due.save(toPath: path)
            state.withLock { $0.saving = false }
        }
    }

    /// Saves the latest progress after any save in flight (the queue is serial), and waits for it: when the
    /// ranges stop, on success, refusal or interrupt, the record is exact and no save lands after the partial
    /// file is gone.
    func settle() async {
        let latest = state.withLock { state -> PartialFileInfo? in
            guard state.unsaved > 0 else { return nil }
            state.unsaved = 0
            return state.info
        }
        await withCheckedContinuation { continuation in
            Self.queue.async { [path] in
                latest?.save(toPath: path)
                continuation.resume()
            }
        }
    }
}
