import Dispatch

/// Runs blocking file work (hashing gigabytes, walking folders) on a GCD thread, never on Swift's
/// cooperative pool, which has only as many threads as cores.
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
}
