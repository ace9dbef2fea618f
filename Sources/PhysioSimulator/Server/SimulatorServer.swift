import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A running simulated physionet.org on loopback. Start one per test (port 0 picks a free port) and stop it
/// at the end; `counters` and `setFaults` let the test observe and steer it, and `publish`, `replaceFile` and
/// `removeFile` change what it publishes while it runs.
public final class SimulatorServer: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A change the running site cannot make (`publish`, `replaceFile`, `removeFile`): an unknown project or
    /// version, a version already published, a path that cannot be a file.
    public struct ChangeError: Error, CustomStringConvertible {
        public let description: String
    }

    public let baseURL: URL
    public let counters: SimulatorCounters
    public let mode: SimulatorMode
    private let site: SimulatorSite
    private let task: Mutex<Task<Void, any Error>?>

    private init(baseURL: URL, site: SimulatorSite, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.site = site
        self.counters = site.counters
        self.mode = site.mode
        self.task = Mutex(task)
    }

    /// Starts serving `fixture`. `cloudStorage` adds GCS buckets beside the site (`/<bucket>/<object>`, the XML
    /// API); with nil, the default, nothing is served but the site. Throws `StartError` for a bucket the fixture
    /// cannot fill (an unknown version, a name that could shadow a path of the site).
    public static func start(
        fixture: SimulatorFixture, mode: SimulatorMode = .production, faults: FaultPlan = FaultPlan(),
        host: String = "127.0.0.1", port: Int = 0, behindTLSFront: Bool = false, newerAPI: Bool = false,
        cloudStorage: CloudStorageEmulation? = nil
    ) async throws -> SimulatorServer {
        let counters = SimulatorCounters()
        let site = try SimulatorSite(
            fixture: fixture, mode: mode, faults: faults, counters: counters, behindTLSFront: behindTLSFront,
            servesNewerAPI: newerAPI, cloudStorage: cloudStorage)
        let gate = ConnectionGate(counters: counters, cap: { [faults = site.faults] in faults.plan.connectionCap })
        var logger = Logger(label: "physionet-sim")
        logger.logLevel = .critical

        let ready = OneShot<Int>()
        let application = Application(
            responder: SimulatorResponder(site: site),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionTrackingHandler(gate: gate)])),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in ready.fulfil(.success(channel.localAddress?.port ?? port)) },
            logger: logger
        )
        let task = Task {
            do {
                try await application.run()
                ready.fulfil(.failure(StartError(description: "the server stopped before it was listening")))
            } catch {
                ready.fulfil(.failure(error))
                throw error
            }
        }
        let boundPort = try await ready.value()
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        guard let url = URL(string: "http://\(hostInURL):\(boundPort)") else {
            task.cancel()
            throw StartError(description: "cannot form a URL for \(host):\(boundPort)")
        }
        return SimulatorServer(baseURL: url, site: site, task: task)
    }

    /// Replaces the fault plan; rule counts start again from zero.
    public func setFaults(_ plan: FaultPlan) {
        site.faults.replace(with: plan)
    }

    /// Moves the site's clock on by `seconds`: sessions older than their lifetime then expire, as if the
    /// test had waited.
    public func advanceClock(by seconds: TimeInterval) {
        site.clock.advance(by: seconds)
    }

    /// Faults applied to requests since the current plan was set (`setFaults` starts again from zero).
    public var faultsInjected: Int { site.faults.applied }

    // MARK: Changes while running

    /// Publishes `version` as a new version of the existing project `slug`, files included. "Latest" follows:
    /// `/content/<slug>/` redirects to the highest version number, and older versions' pages say they are not
    /// the latest. Throws `ChangeError` for an unknown project or a version already published, and whatever
    /// reading a `files.folder` throws.
    public func publish(slug: String, version: FixtureVersion) throws {
        try site.content.publish(slug: slug, version: version)
    }

    /// Gives the file at `path` (relative to the version root) new content, of any size, served from memory and
    /// modified now (a second after its previous time at least, validators having whole seconds), so its ETag and
    /// Last-Modified change; a new path adds the file. The version's
    /// `SHA256SUMS.txt`, when it has one, is regenerated in the generator's format with the new digest and is
    /// modified now too, so a conditional request for it is answered 200. Listings, the API sizes and the ZIP
    /// follow. Throws `ChangeError` for an unknown version or a path that cannot be a file.
    public func replaceFile(slug: String, version: String, path: String, with bytes: [UInt8]) throws {
        try site.content.replaceFile(slug: slug, version: version, path: path, with: bytes)
    }

    /// Removes the file at `path`: it answers 404 and leaves the listings; the version's `SHA256SUMS.txt`, when it
    /// has one, is regenerated without its line and modified now. Throws `ChangeError` when there is no such file.
    public func removeFile(slug: String, version: String, path: String) throws {
        try site.content.removeFile(slug: slug, version: version, path: path)
    }

    /// `baseURL` plus a path such as `/files/mimiciii-demo/1.4/`.
    public func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + path)!
    }

    /// Stops listening and waits for the server to wind down.
    public func stop() async {
        guard let running = task.withLock({ current -> Task<Void, any Error>? in
            defer { current = nil }
            return current
        }) else { return }
        running.cancel()
        _ = await running.result
    }

    deinit {
        task.withLock { $0?.cancel() }
    }
}

/// A value delivered once, awaited once: bridges `onServerRunning` (or a start failure) to `start`.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var waiter: CheckedContinuation<Value, any Error>?
    }

    private let state = Mutex(State())

    func fulfil(_ result: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
