/// A Google Cloud Storage emulation served beside the simulated site, for testing a client that reads PhysioNet's
/// requester-pays buckets (`<slug>-<version>.physionet.org`) through the XML API:
/// `GET /<bucket>/<object>?userProject=<project>` with `Authorization: Bearer <token>`, Range included. A client is
/// pointed at the server's base URL where it would use `https://storage.googleapis.com` (or `STORAGE_EMULATOR_HOST`).
///
/// Opt-in: without one (`SimulatorServer.start(cloudStorage: nil)`, the default) no path is answered as a bucket.
public struct CloudStorageEmulation: Sendable {
    /// What one bucket holds: the files of a published version of the fixture, exactly as `/files/` serves them
    /// (bytes, sizes, changes made while the server runs), except where the test makes the bucket diverge.
    public struct BucketContent: Sendable {
        public var slug: String
        public var version: String
        /// Objects whose bytes differ from PhysioNet's file at the same path, as a stale or corrupted mirror's would;
        /// a path the version lacks adds an object only the bucket has.
        public var overrides: [String: [UInt8]]
        /// Objects PhysioNet publishes but the bucket lacks: answered 404 `NoSuchKey`. Wins over `overrides`.
        public var missing: Set<String>

        public init(slug: String, version: String, overrides: [String: [UInt8]] = [:], missing: Set<String> = []) {
            self.slug = slug
            self.version = version
            self.overrides = overrides
            self.missing = missing
        }
    }

    /// The suffix of PhysioNet's bucket names. A first path segment with it is answered by the emulation even when
    /// no such bucket is configured, so that a client asking for the wrong bucket gets GCS's `NoSuchBucket` rather
    /// than the site's 404 page.
    public static let physioNetBucketSuffix = ".physionet.org"

    /// The OAuth access token every request must carry as `Authorization: Bearer <token>`.
    public var token: String
    /// The Google Cloud project requests must bill (`userProject=`): PhysioNet's buckets are requester pays.
    public var billingProject: String
    /// Contents by bucket name. A name must look like a GCS bucket name with a dot in it, as PhysioNet's do: no path
    /// of the site starts with such a segment, so a bucket can never shadow a page.
    public var buckets: [String: BucketContent]

    public init(token: String, billingProject: String, buckets: [String: BucketContent]) {
        self.token = token
        self.billingProject = billingProject
        self.buckets = buckets
    }

    /// Buckets named as PhysioNet names them, each serving its version unchanged.
    public init(token: String, billingProject: String, mirroring versions: [(slug: String, version: String)]) {
        var buckets: [String: BucketContent] = [:]
        for (slug, version) in versions {
            buckets[Self.bucketName(slug: slug, version: version)] = BucketContent(slug: slug, version: version)
        }
        self.init(token: token, billingProject: billingProject, buckets: buckets)
    }

    /// PhysioNet's bucket for a version: `mimiciii-1.4.physionet.org`.
    public static func bucketName(slug: String, version: String) -> String {
        "\(slug)-\(version)\(physioNetBucketSuffix)"
    }

    /// Whether the emulation answers a path whose first segment is `segment`: a configured bucket, or any name of
    /// PhysioNet's form.
    func claims(_ segment: String) -> Bool {
        buckets[segment] != nil || segment.hasSuffix(Self.physioNetBucketSuffix)
    }

    /// Checks the configuration against the fixture the server starts with, so that a misspelt version or bucket
    /// fails the start rather than answering every object 404.
    func validate(against fixture: SimulatorFixture) throws {
        for (name, content) in buckets.sorted(by: { $0.key < $1.key }) {
            guard Self.isBucketName(name) else {
                throw SimulatorServer.StartError(
                    description: "\"\(name)\" cannot be an emulated bucket: GCS's characters (a-z, 0-9, -, _, .) and a dot, "
                        + "so that it cannot shadow a path of the site")
            }
            guard fixture.project(slug: content.slug)?.version(content.version) != nil else {
                throw SimulatorServer.StartError(
                    description: "bucket \(name) mirrors \(content.slug) \(content.version), which the fixture does not publish")
            }
        }
    }

    /// GCS's naming rules, reduced to what keeps routing unambiguous: 3 to 222 characters of a-z, 0-9, `-`, `_` and `.`,
    /// a letter or digit at both ends, and at least one dot.
    static func isBucketName(_ name: String) -> Bool {
        func isLetterOrDigit(_ character: Character) -> Bool {
            ("a"..."z").contains(character) || ("0"..."9").contains(character)
        }
        guard (3...222).contains(name.count), name.contains("."), let first = name.first, let last = name.last,
            isLetterOrDigit(first), isLetterOrDigit(last)
        else { return false }
        return name.allSatisfy { isLetterOrDigit($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
