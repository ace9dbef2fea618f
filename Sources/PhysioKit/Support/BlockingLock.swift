import Glibc

/// A plain mutual-exclusion lock around work that blocks (SQLite calls) and returns values that are not
/// `Sendable`. `Mutex` would require the result to be `sending`, which rows read in place from SQLite's own
/// buffers cannot be; Foundation's `NSLock` lives in the full Foundation module, which physio does not link.
/// It carries a condition too, for threads that wait until another changes what the lock guards (`StatTable`,
/// `FilePublisher`).
final class BlockingLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        changed = .allocate(capacity: 1)
        changed.initialize(to: pthread_cond_t())
        // Timed waits measure the monotonic clock: a wall clock set back would stretch them.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(changed)
        changed.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Inside `withLock` only: releases the lock until `signalChange()` (or a spurious wake-up), then holds
    /// it again. Callers re-check what they wait for.
    func waitForChange() {
        pthread_cond_wait(changed, mutex)
    }

    /// Like `waitForChange()`, but for at most `nanoseconds`.
    func waitForChange(nanoseconds: Int) {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let total = deadline.tv_nsec + nanoseconds
        deadline.tv_sec += total / 1_000_000_000
        deadline.tv_nsec = total % 1_000_000_000
        pthread_cond_timedwait(changed, mutex, &deadline)
    }

    /// Inside `withLock` only: wakes every thread in `waitForChange()`.
    func signalChange() {
        pthread_cond_broadcast(changed)
    }
}
