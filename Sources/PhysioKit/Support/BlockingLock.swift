import Glibc

/// A plain mutual-exclusion lock around work that blocks (SQLite calls) and returns values that are not
/// `Sendable`. `Mutex` would require the result to be `sending`, which rows read in place from SQLite's own
/// buffers cannot be; Foundation's `NSLock` lives in the full Foundation module, which physio does not link.
final class BlockingLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
