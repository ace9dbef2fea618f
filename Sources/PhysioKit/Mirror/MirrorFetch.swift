import FoundationEssentials
import Synchronization

/// A file the mirror does not hold as PhysioNet lists it: missing, or other bytes than the list's SHA-256.
public struct MirrorDivergence: Codable, Sendable, Equatable {
    public var path: String
    public var expected: String
    /// The digest the mirror's bytes had, or what it answered instead (`missing (HTTP 404)`).
    public var received: String
}

/// The mirror side of a fetch: bytes from the mirror, each verified against PhysioNet's list like any other;
/// a file the mirror lacks or serves differently is reported as diverged and fetched from PhysioNet
/// instead (unless `--no-fallback`), at most `fallbackLimit` at a time, PhysioNet's politeness still holding.
final class MirrorFetch: Sendable {
    let mirror: CloudMirror
    let downloader: FileDownloader
    let fallback: FileDownloader?
    let fallbackLimiter: AdaptiveLimiter
    let urls: DatasetURLs
    let events: FetchEventSink
    private let tally = Mutex(Tally())

    struct Tally {
        var fromMirror = 0
        var fromPhysioNet = 0
        var diverged: [MirrorDivergence] = []
    }

    init(mirror: CloudMirror, downloader: FileDownloader, fallback: FileDownloader?, fallbackLimit: Int, urls: DatasetURLs, events: FetchEventSink) {
        self.mirror = mirror
        self.downloader = downloader
        self.fallback = fallback
        self.fallbackLimiter = AdaptiveLimiter(limit: max(1, fallbackLimit))
        self.urls = urls
        self.events = events
    }

    var result: Tally { tally.withLock { $0 } }

    /// One file: the mirror first, PhysioNet when the mirror fails it.
    func download(_ job: DownloadJob) async throws -> DownloadOutcome {
        var mirrored = job
        mirrored.url = mirror.url(for: job.path)
        let first = try await downloader.download(mirrored)
        guard case .failed(let path, let failure, let bytes) = first else {
            tally.withLock { $0.fromMirror += 1 }
            return first
        }
        if case .local = failure { return first }
        let received: String
        switch failure {
        case .integrity(_, let actual): received = actual.hex
        case .missingOnServer(let status), .accessLost(let status), .serverError(let status): received = "missing (HTTP \(status))"
        case .htmlInsteadOfData: received = "an HTML page"
        case .network(let detail): received = "unreachable (\(detail))"
        case .local(let detail), .mirrorDiverged(let detail): received = detail
        }
        tally.withLock {
            $0.diverged.append(MirrorDivergence(path: path.value, expected: job.expectedDigest?.hex ?? "none listed", received: received))
        }
        guard let fallback else { return .failed(path: path, failure: .mirrorDiverged(received), bytesTransferred: bytes) }
        events.emit(.warning("mirror diverged: \(path.value) (\(received)); fetching it from PhysioNet"))
        // The mirror's partial bytes are not PhysioNet's: the fallback starts clean.
        FileSystem.remove(atPath: fallback.location.partialPath(for: job.path))
        FileSystem.remove(atPath: fallback.location.partialInfoPath(for: job.path))
        var direct = job
        direct.url = urls.file(job.path)
        direct.bytesPresent = 0
        direct.segments = 1
        direct.priorBytes = bytes
        await fallbackLimiter.acquire()
        defer { fallbackLimiter.release() }
        let second = try await fallback.download(direct)
        if case .failed = second { return second }
        tally.withLock { $0.fromPhysioNet += 1 }
        return second
    }

    /// Before any transfer: one byte of the first file, so refused credentials stop the run at once with
    /// the mirror named (exit 5) rather than turning every file into a fallback.
    static func checkAccess(_ mirror: CloudMirror, probe path: DatasetPath) async throws {
        let transport = CurlTransport(configuration: mirror.configuration)
        let request = HTTPRequest(method: .get, url: mirror.url(for: path), headers: ["Range": "bytes=0-0"])
        let response: HTTPResponse
        do {
            response = try await transport.send(request, bodyLimit: 64 << 10)
        } catch {
            return  // unreachable now: the files will say so, and fall back
        }
        guard response.status == 401 || response.status == 403 else { return }
        let body = response.text
        let code = body.firstRange(of: "<Code>").flatMap { start in
            body[start.upperBound...].firstRange(of: "</Code>").map { String(body[start.upperBound..<$0.lowerBound]) }
        }
        // A bucket without list permission answers 403 AccessDenied for a missing key too; the codes below
        // can only mean the credentials.
        let credentialCodes: Set<String> = [
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AuthenticationRequired",
            "AccessDenied", "UserProjectAccessDenied", "UserProjectMissing", "AllAccessDisabled",
        ]
        guard response.status == 401 || code.map(credentialCodes.contains) ?? true else { return }
        throw PhysioError.mirrorRefused(source: mirror.name, status: response.status, code: code, credentials: mirror.credentialOrigin)
    }

    /// `auto`: the open-data bucket when it carries this version (a HEAD of its SHA256SUMS.txt answers 200).
    static func probeOpenData(slug: String, version: String, context: CloudMirror.Context) async -> CloudMirror? {
        guard let mirror = try? CloudMirror.resolve(.awsOpen, slug: slug, version: version, context: context),
            let list = try? DatasetPath(validating: "SHA256SUMS.txt")
        else { return nil }
        let transport = CurlTransport(configuration: mirror.configuration)
        guard let response = try? await transport.send(HTTPRequest(method: .head, url: mirror.url(for: list)), bodyLimit: 0),
            response.status == 200
        else { return nil }
        return mirror
    }
}
