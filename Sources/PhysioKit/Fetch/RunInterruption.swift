import Synchronization

/// A request from outside (SIGINT, SIGTERM) to stop a run in good order: start no new file, let the
/// transfers in flight put what they received into their `.part` files, record what is verified, and say
/// how to resume. The CLI turns signals into `interrupt(signal:)`; the engine only reads it.
public final class RunInterruption: Sendable {
    private struct State {
        var signal: Int32?
        var handlers: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The signal that stopped the run, once one has.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Records the first request and runs the registered handlers; later requests change nothing.
    public func interrupt(signal: Int32) {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard state.signal == nil else { return [] }
            state.signal = signal
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }

    /// Runs `handler` when the run is interrupted, at once if it already was.
    public func onInterrupt(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { state -> Bool in
            if state.signal != nil { return true }
            state.handlers.append(handler)
            return false
        }
        if already { handler() }
    }
}
