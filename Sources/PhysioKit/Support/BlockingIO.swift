import Dispatch

/// The one executor for blocking work: file hashing, folder walks, fsync and syncfs, the write and hash
/// pipelines of large downloads. Never Swift's cooperative pool, which has only as many threads as cores,
/// and never the transfer thread, which serves every download.
public enum BlockingIO {
    private static let queue = DispatchQueue(label: "physio.blocking-io", attributes: .concurrent)

    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// A serial queue for one pipeline (a file's hashing or writing) whose work runs on this executor.
    static func serialQueue(label: String) -> DispatchQueue {
        DispatchQueue(label: label, target: queue)
    }
}
