import Glibc

/// A thread of its own, for loops that block for the life of the process (libcurl's event loop, the reader
/// of the signal pipe) and so must not hold one of the cooperative pool's few threads. Foundation's `Thread`
/// would do, but it lives in the full Foundation module, which physio does not link (see `PrintfFormat`).
public enum DedicatedThread {
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread.
    public static func start(_ body: @escaping @Sendable () -> Void) {
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            Unmanaged<Work>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, work)
        precondition(result == 0, "pthread_create failed with \(result): the process is out of threads or memory")
        pthread_detach(thread)
    }
}
